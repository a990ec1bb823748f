//! Points: what a completion, a reflection, a streak or a reaction earns, following the pack's
//! scoring rules (`challenges/README.md` describes them for change leads). Every point ends up as a
//! row in the ledger with one of these reasons, so a total can always be explained.

use crate::pack::Scoring;

/// Why points were given. Stored as text in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Completion,
    LateCompletion,
    ReflectionBonus,
    StreakBonus,
    ReactionReceived,
    BadgeBonus,
}

impl Reason {
    pub const ALL: [Reason; 6] = [
        Reason::Completion,
        Reason::LateCompletion,
        Reason::ReflectionBonus,
        Reason::StreakBonus,
        Reason::ReactionReceived,
        Reason::BadgeBonus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Completion => "completion",
            Reason::LateCompletion => "late_completion",
            Reason::ReflectionBonus => "reflection_bonus",
            Reason::StreakBonus => "streak_bonus",
            Reason::ReactionReceived => "reaction_received",
            Reason::BadgeBonus => "badge_bonus",
        }
    }

    pub fn parse(s: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How the reason reads in a points breakdown.
    pub fn label(self) -> &'static str {
        match self {
            Reason::Completion => "Days completed",
            Reason::LateCompletion => "Days caught up late",
            Reason::ReflectionBonus => "Reflections",
            Reason::StreakBonus => "Streak bonuses",
            Reason::ReactionReceived => "Reactions received",
            Reason::BadgeBonus => "Badges",
        }
    }
}

/// Points a colleague's reaction to your reflection earns you (and loses again if taken back).
pub const REACTION_RECEIVED: i64 = 1;
/// Points for earning a badge.
pub const BADGE_BONUS: i64 = 5;

/// The points for completing a day. `streak` is the streak length including this day (only on-time
/// completions earn a streak bonus); `day_points` is the day's own value, if it sets one.
pub fn completion(
    scoring: &Scoring,
    day_points: Option<u32>,
    late: bool,
    has_reflection: bool,
    streak: u32,
) -> Vec<(Reason, i64)> {
    let mut awards = Vec::new();
    if late {
        awards.push((Reason::LateCompletion, i64::from(scoring.late_completion)));
    } else {
        awards.push((
            Reason::Completion,
            i64::from(day_points.unwrap_or(scoring.completion)),
        ));
        let bonus = scoring
            .streak_bonus
            .saturating_mul(streak.saturating_sub(1))
            .min(scoring.streak_bonus_cap);
        if bonus > 0 {
            awards.push((Reason::StreakBonus, i64::from(bonus)));
        }
    }
    if has_reflection {
        awards.push((Reason::ReflectionBonus, i64::from(scoring.reflection_bonus)));
    }
    awards.retain(|(_, points)| *points > 0);
    awards
}

/// The bonus for a reflection added to a day already completed without one.
pub fn reflection_added(scoring: &Scoring) -> Option<(Reason, i64)> {
    (scoring.reflection_bonus > 0)
        .then(|| (Reason::ReflectionBonus, i64::from(scoring.reflection_bonus)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scoring() -> Scoring {
        Scoring {
            completion: 10,
            reflection_bonus: 5,
            streak_bonus: 2,
            streak_bonus_cap: 10,
            late_completion: 4,
            ..Scoring::default()
        }
    }

    #[test]
    fn an_on_time_completion_earns_completion_reflection_and_streak_bonus() {
        assert_eq!(
            completion(&scoring(), None, false, false, 1),
            vec![(Reason::Completion, 10)]
        );
        assert_eq!(
            completion(&scoring(), None, false, true, 3),
            vec![
                (Reason::Completion, 10),
                (Reason::StreakBonus, 4),
                (Reason::ReflectionBonus, 5)
            ]
        );
    }

    #[test]
    fn the_streak_bonus_stops_at_its_cap() {
        let awards = completion(&scoring(), None, false, false, 30);
        assert_eq!(awards[1], (Reason::StreakBonus, 10));
        let awards = completion(&scoring(), None, false, false, 6);
        assert_eq!(awards[1], (Reason::StreakBonus, 10));
        let awards = completion(&scoring(), None, false, false, 5);
        assert_eq!(awards[1], (Reason::StreakBonus, 8));
    }

    #[test]
    fn a_day_can_set_its_own_points() {
        assert_eq!(
            completion(&scoring(), Some(25), false, false, 1),
            vec![(Reason::Completion, 25)]
        );
    }

    #[test]
    fn a_late_completion_earns_the_late_points_and_no_streak_bonus() {
        assert_eq!(
            completion(&scoring(), Some(25), true, true, 7),
            vec![(Reason::LateCompletion, 4), (Reason::ReflectionBonus, 5)]
        );
    }

    #[test]
    fn zero_point_rules_write_no_rows() {
        let none = Scoring {
            reflection_bonus: 0,
            streak_bonus: 0,
            ..scoring()
        };
        assert_eq!(
            completion(&none, None, false, true, 9),
            vec![(Reason::Completion, 10)]
        );
        assert_eq!(reflection_added(&none), None);
        assert_eq!(
            reflection_added(&scoring()),
            Some((Reason::ReflectionBonus, 5))
        );
        for reason in Reason::ALL {
            assert_eq!(Reason::parse(reason.as_str()), Some(reason));
        }
    }
}
