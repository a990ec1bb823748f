//! Pure rules: plain functions over plain data, with the time passed in. No I/O, no clock.
//!
//! - [`calendar`]: when each day of a cohort is released and how long it stays open;
//! - [`window`]: whether a released day can be completed now, on time or late;
//! - [`safeguarding`]: what in a reflection looks like a member of the public's or a case's details;
//! - [`streak`]: current and best streaks;
//! - [`points`]: what completions, reflections, streaks and reactions earn;
//! - [`badges`]: which badges a person's record meets;
//! - [`quiet`]: a person's quiet hours, when reminders wait.

pub mod badges;
pub mod calendar;
pub mod points;
pub mod quiet;
pub mod safeguarding;
pub mod streak;
pub mod window;
