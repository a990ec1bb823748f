//! Pure rules: plain functions over plain data, with the time passed in. No I/O, no clock.
//!
//! - [`calendar`]: when each day of a cohort is released and how long it stays open.

pub mod calendar;
