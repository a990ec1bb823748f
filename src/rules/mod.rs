//! Pure rules: plain functions over plain data, with the time passed in. No I/O, no clock.
//!
//! - [`calendar`]: when each day of a cohort is released and how long it stays open;
//! - [`window`]: whether a released day can be completed now, on time or late;
//! - [`safeguarding`]: what in a reflection looks like a member of the public's or a case's details;
//! - [`streak`]: current and best streaks.

pub mod calendar;
pub mod safeguarding;
pub mod streak;
pub mod window;
