//! The words every layer shares: who (a person, a team), where (a cohort), which day, and who
//! may read a reflection. Use cases speak in these, so pages, the API and the command line never
//! see how the store spells them (an integer column, a string, 0 for "none").

use std::fmt;

use utoipa::openapi::{RefOr, schema::Schema};
use utoipa::{PartialSchema, ToSchema};

/// An id newtype over `i64`: the same integer on the wire and in the API's document, but a
/// cohort's id can no longer be passed where a person's is meant.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                i64::schema()
            }
        }

        impl ToSchema for $name {}
    };
}

id!(
    /// A cohort: one run of a challenge pack for a group of people.
    CohortId
);
id!(
    /// A person, across all their cohorts.
    PersonId
);
id!(
    /// A team within a cohort.
    TeamId
);

/// A day of a challenge, counted from 1: one type wherever a day number travels, instead of
/// `u32` in the rules and `i64` in the store with casts between them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Day(u32);

/// A day number that is not one: 0, negative or past `u32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a day number (days count from 1)")]
pub struct NotADay(pub i64);

impl Day {
    /// The first day.
    pub const FIRST: Day = Day(1);

    /// Day `n`, if `n` counts from 1.
    pub fn new(n: u32) -> Option<Day> {
        (n > 0).then_some(Day(n))
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// The next day.
    pub fn next(self) -> Day {
        Day(self.0.saturating_add(1))
    }

    /// Days 1 to `last`, in order: every day of a challenge of that length.
    pub fn up_to(last: u32) -> impl DoubleEndedIterator<Item = Day> {
        (1..=last).map(Day)
    }
}

impl TryFrom<i64> for Day {
    type Error = NotADay;

    fn try_from(n: i64) -> Result<Day, NotADay> {
        u32::try_from(n).ok().and_then(Day::new).ok_or(NotADay(n))
    }
}

impl TryFrom<u32> for Day {
    type Error = NotADay;

    fn try_from(n: u32) -> Result<Day, NotADay> {
        Day::new(n).ok_or(NotADay(i64::from(n)))
    }
}

impl From<Day> for u32 {
    fn from(day: Day) -> u32 {
        day.0
    }
}

impl From<Day> for i64 {
    fn from(day: Day) -> i64 {
        i64::from(day.0)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        u32::schema()
    }
}

impl ToSchema for Day {}

/// Who may read a reflection.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Everyone in the cohort, with my name.
    Cohort,
    /// My team (and its managers), with my name.
    Team,
    /// Only me: never shown to anyone else, managers and change leads included.
    Private,
    /// Everyone in the cohort, without my name or team.
    Anonymous,
}

impl Visibility {
    pub const ALL: [Visibility; 4] = [
        Visibility::Cohort,
        Visibility::Team,
        Visibility::Anonymous,
        Visibility::Private,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Cohort => "cohort",
            Visibility::Team => "team",
            Visibility::Private => "private",
            Visibility::Anonymous => "anonymous",
        }
    }

    pub fn parse(s: &str) -> Option<Visibility> {
        Visibility::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// How the choice reads on the form.
    pub fn label(self) -> &'static str {
        match self {
            Visibility::Cohort => "My cohort, with my name",
            Visibility::Team => "My team only",
            Visibility::Anonymous => "My cohort, without my name",
            Visibility::Private => "Only me",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_one() {
        assert_eq!(Day::new(0), None);
        assert_eq!(Day::try_from(0i64), Err(NotADay(0)));
        assert_eq!(Day::try_from(-3i64), Err(NotADay(-3)));
        assert_eq!(Day::try_from(7i64).map(u32::from), Ok(7));
        assert_eq!(Day::FIRST.next().get(), 2);
        assert_eq!(Day::up_to(3).map(u32::from).collect::<Vec<_>>(), [1, 2, 3]);
    }

    #[test]
    fn newtypes_are_plain_integers_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&CohortId(5)).ok().as_deref(),
            Some("5")
        );
        assert_eq!(
            serde_json::to_string(&Day::FIRST).ok().as_deref(),
            Some("1")
        );
        assert_eq!(
            serde_json::to_value(CohortId::schema()).ok(),
            serde_json::to_value(i64::schema()).ok()
        );
    }
}
