//! When a released day may be completed: on time until it closes (the next release plus the
//! cohort's grace period, fixed when the day was released), then late for the pack's catch-up
//! days, then never.

use chrono::{DateTime, Duration, Utc};

/// Where a day stands for completion at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Not released yet.
    NotReleased,
    /// Open: a completion now counts in full.
    OnTime { closes_at: DateTime<Utc> },
    /// Closed, but a completion now still counts as late.
    Late { until: DateTime<Utc> },
    /// Past the catch-up period: it can no longer be completed.
    Closed,
}

/// The window of a day released at `released_at` that closes at `closes_at`, with `catch_up_days`
/// whole days of late completion after that, at `now`.
pub fn window(
    released_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    catch_up_days: u32,
    now: DateTime<Utc>,
) -> Window {
    let late_until = closes_at + Duration::days(i64::from(catch_up_days));
    if now < released_at {
        Window::NotReleased
    } else if now < closes_at {
        Window::OnTime { closes_at }
    } else if now < late_until {
        Window::Late { until: late_until }
    } else {
        Window::Closed
    }
}

impl Window {
    /// Whether a completion (or an edit of one) is accepted now.
    pub fn accepts(&self) -> bool {
        matches!(self, Window::OnTime { .. } | Window::Late { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_day_is_on_time_from_release_until_it_closes_then_late_then_closed() {
        let released = at("2027-01-04T06:00:00Z");
        let closes = at("2027-01-05T12:00:00Z");
        let w = |now| window(released, closes, 2, at(now));
        assert_eq!(w("2027-01-04T05:59:59Z"), Window::NotReleased);
        assert_eq!(
            w("2027-01-04T06:00:00Z"),
            Window::OnTime { closes_at: closes }
        );
        assert_eq!(
            w("2027-01-05T11:59:59Z"),
            Window::OnTime { closes_at: closes }
        );
        let until = at("2027-01-07T12:00:00Z");
        assert_eq!(w("2027-01-05T12:00:00Z"), Window::Late { until });
        assert_eq!(w("2027-01-07T11:59:59Z"), Window::Late { until });
        assert_eq!(w("2027-01-07T12:00:00Z"), Window::Closed);
    }

    #[test]
    fn without_catch_up_days_a_closed_day_is_closed() {
        let released = at("2027-01-04T06:00:00Z");
        let closes = at("2027-01-05T06:00:00Z");
        assert_eq!(window(released, closes, 0, closes), Window::Closed);
        assert!(!Window::Closed.accepts());
        assert!(!Window::NotReleased.accepts());
        assert!(Window::Late { until: closes }.accepts());
    }
}
