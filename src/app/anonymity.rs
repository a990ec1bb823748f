//! When anonymous reflections appear in the feed.
//!
//! "Anonymous" is a promise about what an observer can work out, not only about a missing
//! name: someone who reads every board, the feed, the briefing screen and the API at any
//! moment must not narrow an anonymous reflection's author down to fewer than the cohort's k
//! people. The boards show, to the second, who completed a day and whether they wrote a
//! reflection (its bonus moves their points), so a reflection that appeared the moment it was
//! written would name its author. Instead:
//!
//! - an anonymous reflection waits, unseen by anyone but its author, until it can go out in a
//!   **batch** with the day's other waiting ones, all at one moment and in a random order (their
//!   public ids are random, [`crate::store::feed`]), showing their day but no time;
//! - a day's batch goes out only when its **crowd** (the people who, since that day's last
//!   batch, wrote a reflection for the day that never carried their name: private or
//!   anonymous) is at least k + 1, so anyone reading, even one of the crowd, is left with at
//!   least k people who could have written each one. Private reflections count because the
//!   boards cannot tell them from anonymous ones. Until then it waits, however long: a day
//!   whose crowd never grows never publishes, rather than publish a smaller crowd;
//! - nothing an observer can do to an anonymous reflection moves anything they can see:
//!   reactions to it earn no points and count towards no badge ([`super::feed::react`]).
//!
//! The anonymous batches job ([`super::jobs::anonymous`]) runs [`publish_due`] every few seconds.

use crate::domain::Day;
use chrono::{DateTime, Utc};

use super::{AppError, Services};
use crate::store::{anonymity, millis};

/// A day's batch that went out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub cohort_id: i64,
    pub day: Day,
    pub reflections: u64,
    pub crowd: i64,
}

/// Whether a day's waiting anonymous reflections may go out among a crowd of `crowd` people
/// when the cohort promises `k`: each reader must be left with at least k people, and a reader
/// may be one of the crowd.
pub fn crowd_is_enough(crowd: i64, k: i64) -> bool {
    crowd > k
}

/// Publishes every cohort's days whose waiting anonymous reflections now have a large enough
/// crowd, each day in its own transaction.
pub async fn publish_due(
    services: &Services,
    now: DateTime<Utc>,
) -> Result<Vec<Published>, AppError> {
    let store = &services.store;
    let at = millis(now);
    let mut published = Vec::new();
    for day in anonymity::waiting(store.pool(), at).await? {
        if !crowd_is_enough(day.crowd, day.anonymity_k) {
            continue;
        }
        let mut tx = store.begin_write().await?;
        let reflections =
            anonymity::publish(&mut tx, day.cohort_id, day.day, day.crowd, at).await?;
        tx.commit().await?;
        published.push(Published {
            cohort_id: day.cohort_id,
            day: day.day,
            reflections,
            crowd: day.crowd,
        });
    }
    Ok(published)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_crowd_must_leave_k_people_besides_the_reader() {
        assert!(!super::crowd_is_enough(5, 5));
        assert!(super::crowd_is_enough(6, 5));
        assert!(!super::crowd_is_enough(0, 5));
    }
}
