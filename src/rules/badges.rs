//! Badges: which of a pack's badges a person's record has earned. Plain facts in, badge ids out;
//! gathering the facts and awarding each badge once is the use case's job.

use crate::pack::{Badge, BadgeRule};
use crate::rules::streak::DayState;

/// What the badge rules look at, for one person in one cohort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub completions: u32,
    pub best_streak: u32,
    pub reflections: u32,
    pub reactions_received: u32,
    /// Days on which they were the first in their team to complete.
    pub first_in_team: u32,
    /// Times they completed a day after missing the one before.
    pub comebacks: u32,
    /// The pack's length in days.
    pub length: u32,
}

/// The person's badges (not team badges) that `facts` meet.
pub fn earned<'a>(badges: &'a [Badge], facts: &Facts) -> Vec<&'a Badge> {
    badges
        .iter()
        .filter(|badge| match badge.rule {
            BadgeRule::FirstCompletion => facts.completions >= 1,
            BadgeRule::Streak { days } => facts.best_streak >= days,
            BadgeRule::Completions { count } => facts.completions >= count,
            BadgeRule::AllDays => facts.completions >= facts.length,
            BadgeRule::Reflections { count } => facts.reflections >= count,
            BadgeRule::ReactionsReceived { count } => facts.reactions_received >= count,
            BadgeRule::FirstInTeam { count } => facts.first_in_team >= count,
            BadgeRule::Comeback { count } => facts.comebacks >= count,
            BadgeRule::TeamFullDay { .. } => false,
        })
        .collect()
}

/// Team badges met by a team that has completed `full_days` whole days together.
pub fn team_earned(badges: &[Badge], full_days: u32) -> Vec<&Badge> {
    badges
        .iter()
        .filter(|b| matches!(b.rule, BadgeRule::TeamFullDay { count } if full_days >= count))
        .collect()
}

/// Times a completed day follows one or more missed days (excused days are skipped over).
pub fn comebacks(days: &[DayState]) -> u32 {
    let mut missed = false;
    let mut count = 0;
    for day in days {
        match day {
            DayState::Missed => missed = true,
            DayState::Completed => {
                if missed {
                    count += 1;
                }
                missed = false;
            }
            DayState::Excused | DayState::Open => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::DayState::*;
    use super::*;

    fn badge(id: &str, rule: BadgeRule) -> Badge {
        Badge {
            id: id.into(),
            name: id.into(),
            description: String::new(),
            icon: "⭐".into(),
            rule,
        }
    }

    fn ids(badges: Vec<&Badge>) -> Vec<&str> {
        badges.into_iter().map(|b| b.id.as_str()).collect()
    }

    #[test]
    fn each_rule_is_met_by_its_fact() {
        let badges = vec![
            badge("first", BadgeRule::FirstCompletion),
            badge("streak3", BadgeRule::Streak { days: 3 }),
            badge("ten", BadgeRule::Completions { count: 10 }),
            badge("all", BadgeRule::AllDays),
            badge("reflect5", BadgeRule::Reflections { count: 5 }),
            badge("liked3", BadgeRule::ReactionsReceived { count: 3 }),
            badge("first-in-team", BadgeRule::FirstInTeam { count: 1 }),
            badge("comeback", BadgeRule::Comeback { count: 1 }),
            badge("team", BadgeRule::TeamFullDay { count: 1 }),
        ];
        let none = Facts {
            length: 30,
            ..Facts::default()
        };
        assert!(earned(&badges, &none).is_empty());
        let some = Facts {
            completions: 1,
            best_streak: 3,
            reflections: 5,
            reactions_received: 2,
            first_in_team: 1,
            comebacks: 0,
            length: 30,
        };
        assert_eq!(
            ids(earned(&badges, &some)),
            vec!["first", "streak3", "reflect5", "first-in-team"]
        );
        let all = Facts {
            completions: 30,
            best_streak: 30,
            reflections: 30,
            reactions_received: 3,
            first_in_team: 4,
            comebacks: 1,
            length: 30,
        };
        assert_eq!(
            earned(&badges, &all).len(),
            8,
            "every person badge, never the team one"
        );
        assert!(team_earned(&badges, 0).is_empty());
        assert_eq!(ids(team_earned(&badges, 1)), vec!["team"]);
    }

    #[test]
    fn a_comeback_is_a_completion_after_a_miss() {
        assert_eq!(comebacks(&[Completed, Completed]), 0);
        assert_eq!(comebacks(&[Completed, Missed, Completed]), 1);
        assert_eq!(
            comebacks(&[Missed, Missed, Excused, Completed, Missed, Open]),
            1
        );
        assert_eq!(comebacks(&[Missed, Completed, Missed, Completed]), 2);
    }
}
