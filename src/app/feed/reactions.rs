//! Reacting to a reflection: a reaction to a named one earns its author a point and may complete
//! a badge, written with the reaction, then put on the boards.

use super::readable;
use crate::app::badges::Awarded;
use crate::app::leaderboard::{self, Earned};
use crate::app::people::{CohortAccess, Person};
use crate::app::record::Record;
use crate::app::{AppError, Refusal, Services};
use crate::rules::points::{REACTION_RECEIVED, Reason};
use crate::store::badges::people_facts;
use crate::store::feed;
use crate::store::millis;
use crate::store::points as points_store;

/// The reactions a reflection can get: kind, then how it reads.
pub const REACTIONS: [(&str, &str); 3] = [
    ("helpful", "Helpful"),
    ("made_me_think", "Made me think"),
    ("thank_you", "Thank you"),
];

/// Sets or clears one of the person's reactions. Setting twice is the same as once, so a double
/// tap never flips it back. Returns whether anything changed.
///
/// A reaction to a named reflection earns its author a point (and may complete a badge); one to
/// an anonymous reflection earns nothing and tells no board or screen, so reacting and taking
/// it back cannot show who wrote it ([`crate::app::anonymity`]).
pub async fn react(
    services: &Services,
    person: &Person,
    access: &CohortAccess,
    reflection_id: i64,
    kind: &str,
    on: bool,
) -> Result<bool, AppError> {
    let Some((kind, _)) = REACTIONS.iter().find(|(k, _)| *k == kind) else {
        return Err(Refusal::UnknownReaction.says(format!(
            "\"{kind}\" is not a reaction; use one of: {}",
            REACTIONS.map(|(k, _)| k).join(", ")
        )));
    };
    let reflection = readable(services, access, reflection_id).await?;
    if reflection.mine {
        return Err(Refusal::OwnReflection.says("You cannot react to your own reflection."));
    }
    // One reading of the clock for the ledger row and the board: two readings could fall either
    // side of a second and order ties differently on the board than in the ledger.
    let when = services.clock.now();
    let now = millis(when);
    let row_id = reflection.row_id;
    let mut tx = services.store.begin_write().await?;
    let changed = if on {
        feed::add_reaction(tx.conn(), row_id, person.id, kind, now)
            .await?
            .is_some()
    } else {
        feed::remove_reaction(tx.conn(), row_id, person.id, kind)
            .await?
            .is_some()
    };
    if changed && !reflection.anonymous() {
        // The author earns a point for a reaction, and loses it if it is taken back.
        let author = feed::author(tx.conn(), row_id).await?;
        let points = if on {
            REACTION_RECEIVED
        } else {
            -REACTION_RECEIVED
        };
        let entry = points_store::Entry {
            cohort_id: access.cohort.row.id,
            person_id: author,
            day: Some(reflection.day),
            points,
            reason: Reason::ReactionReceived.as_str(),
            submission_id: None,
            // Not the reaction's id: taking a reaction back deletes its row, which a reference
            // from the ledger (the history of that point) would forbid.
            reaction_id: None,
            at: now,
        };
        let mut earned = points;
        if on {
            // A reaction received can complete a badge; its bonus is written with the point.
            let released = crate::app::released::released(services, &access.cohort).await?;
            let key = crate::app::badges::facts_key(access.cohort.row.id, author, None);
            let known = people_facts(tx.conn(), &[key])
                .await?
                .pop()
                .unwrap_or_default();
            let record = Record::of(&access.cohort, released, known.days.clone());
            let candidate = crate::app::badges::Candidate {
                cohort: &access.cohort,
                person_id: author,
                days: record.states(when, i64::MAX),
                known,
                occasion: None,
                ledger: vec![entry],
                at: when,
            };
            let awarded = crate::app::badges::award(&mut tx, vec![candidate]).await?;
            earned += awarded.iter().map(Awarded::bonus).sum::<i64>();
        } else {
            points_store::insert_all(tx.conn(), &[entry]).await?;
        }
        let team = points_store::team_of(tx.conn(), access.cohort.row.id, author).await?;
        let earned = Earned {
            cohort: &access.cohort,
            person_id: author,
            team_id: team,
            points: earned,
            at: when,
            completed_day: None,
        };
        leaderboard::commit_and_tell(services, tx, &[earned]).await?;
        return Ok(true);
    }
    tx.commit().await?;
    Ok(changed)
}
