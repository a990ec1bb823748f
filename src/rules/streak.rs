//! Streaks: released days completed in a row.
//!
//! A day counts as completed whether it was done on time or caught up late (catching up is what
//! the catch-up days are for). Days before the person enrolled never break a streak, and neither
//! does the newest day while it is still open: the shift may not be over yet.

/// What happened to one released day, for one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayState {
    Completed,
    /// A day that cannot count against them: before they joined, or a rest day they marked.
    Excused,
    /// Released, not completed, and no longer open.
    Missed,
    /// Released, not completed, still open.
    Open,
}

/// Current and best streak over days 1, 2, ... in order (released days only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streaks {
    pub current: u32,
    pub best: u32,
}

pub fn streaks(days: &[DayState]) -> Streaks {
    let mut run = 0;
    let mut best = 0;
    for state in days {
        match state {
            DayState::Completed => {
                run += 1;
                best = best.max(run);
            }
            DayState::Excused | DayState::Open => {}
            DayState::Missed => run = 0,
        }
    }
    Streaks { current: run, best }
}

#[cfg(test)]
mod tests {
    use super::DayState::*;
    use super::*;

    #[test]
    fn counts_completed_days_in_a_row() {
        assert_eq!(streaks(&[]), Streaks::default());
        assert_eq!(
            streaks(&[Completed, Completed, Missed, Completed]),
            Streaks {
                current: 1,
                best: 2
            }
        );
        assert_eq!(
            streaks(&[Completed, Missed, Completed, Completed, Completed]),
            Streaks {
                current: 3,
                best: 3
            }
        );
    }

    #[test]
    fn days_before_joining_and_the_open_day_do_not_break_it() {
        assert_eq!(
            streaks(&[Excused, Excused, Completed, Completed, Open]),
            Streaks {
                current: 2,
                best: 2
            }
        );
        assert_eq!(
            streaks(&[Completed, Excused, Completed]),
            Streaks {
                current: 2,
                best: 2
            }
        );
    }

    #[test]
    fn a_missed_day_ends_the_current_streak() {
        assert_eq!(
            streaks(&[Completed, Completed, Missed]),
            Streaks {
                current: 0,
                best: 2
            }
        );
    }
}
