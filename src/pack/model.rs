//! The pack model: what a checked pack means, free of files, spans and TOML.
//!
//! Everything downstream (the scheduler, scoring, badges, the pages) reads these types. They are
//! serialisable so that a cohort can pin the exact version of a pack it started with.

use serde::{Deserialize, Serialize};

/// A whole challenge pack: metadata, scoring rules, badges and its days in order (day 1 first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pack {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub version: String,
    pub author: String,
    pub audience: String,
    pub length: u32,
    pub tags: Vec<String>,
    pub scoring: Scoring,
    pub badges: Vec<Badge>,
    pub days: Vec<Day>,
}

impl Pack {
    /// The day with this number, if the pack has it.
    pub fn day(&self, number: u32) -> Option<&Day> {
        self.days.iter().find(|d| d.number == number)
    }

    /// Points for completing `day` on time: the day's own points or the pack's default.
    pub fn completion_points(&self, day: &Day) -> u32 {
        day.points.unwrap_or(self.scoring.completion)
    }
}

/// How completions turn into points. See `challenges/README.md` for what each value means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scoring {
    pub completion: u32,
    pub reflection_bonus: u32,
    pub streak_bonus: u32,
    pub streak_bonus_cap: u32,
    pub late_completion: u32,
    pub catch_up_days: u32,
    pub rest_days: u32,
    pub team_score: TeamScore,
}

impl Default for Scoring {
    fn default() -> Self {
        Scoring {
            completion: 10,
            reflection_bonus: 5,
            streak_bonus: 2,
            streak_bonus_cap: 10,
            late_completion: 5,
            catch_up_days: 2,
            rest_days: 4,
            team_score: TeamScore::PerMember,
        }
    }
}

/// How a team's score is made from its members' points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamScore {
    /// Points per enrolled member, so teams of different sizes compete fairly.
    PerMember,
    /// The plain sum of members' points.
    Sum,
}

/// One day's challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub number: u32,
    pub title: String,
    /// Names a habit that comes back on other days with different wording.
    pub habit: Option<String>,
    pub why: String,
    pub action: String,
    pub prompts: Vec<String>,
    /// Overrides `Scoring::completion` for this day.
    pub points: Option<u32>,
    pub minutes: u32,
    pub links: Vec<Link>,
    pub variants: Vec<Variant>,
}

/// A link offered with a day, e.g. to guidance on the intranet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub title: String,
    pub url: String,
}

/// Another wording of a day's action, so a habit is practised again with slight variation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub title: Option<String>,
    pub action: String,
    /// Empty when the variant uses the day's prompts.
    pub prompts: Vec<String>,
}

/// A badge and the rule that awards it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Badge {
    pub id: String,
    pub name: String,
    pub description: String,
    pub icon: String,
    pub rule: BadgeRule,
}

/// The fixed vocabulary of badge rules a pack may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum BadgeRule {
    FirstCompletion,
    Streak { days: u32 },
    Completions { count: u32 },
    AllDays,
    Reflections { count: u32 },
    ReactionsReceived { count: u32 },
    FirstInTeam { count: u32 },
    TeamFullDay { count: u32 },
    Comeback { count: u32 },
}

/// The rule names as written in `pack.toml`, for messages and suggestions.
pub const RULE_NAMES: [&str; 9] = [
    "first_completion",
    "streak",
    "completions",
    "all_days",
    "reflections",
    "reactions_received",
    "first_in_team",
    "team_full_day",
    "comeback",
];
