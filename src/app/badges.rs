//! Awarding badges as submissions and reactions arrive, inside their transaction: each badge at
//! most once per person (a unique constraint, so concurrent requests cannot award it twice), with
//! the moment and the submission that earned it, and a points bonus in the ledger.

use chrono::{DateTime, Utc};
use sqlx::{Any, Transaction};

use super::AppError;
use super::cohort::Cohort;
use crate::pack::{Badge, BadgeRule};
use crate::rules::badges::{self, Facts};
use crate::rules::points::{BADGE_BONUS, Reason};
use crate::rules::streak::{self, DayState};
use crate::store::{badges as store, millis, points};

/// The submission that led to a badge check, when one did (a reaction also leads to one).
#[derive(Debug, Clone, Copy)]
pub struct Occasion {
    pub submission_id: i64,
    pub day: i64,
    /// The team the submission was made in.
    pub team_id: Option<i64>,
    pub first_completion: bool,
}

/// What an occasion earned in badges.
#[derive(Debug, Default)]
pub struct Awarded {
    /// The person's new badges; each earns a bonus, already in the ledger.
    pub person: Vec<Badge>,
    /// Their team's, when a first completion completed the day for the whole team.
    pub team: Vec<Badge>,
}

/// Awards the person every badge their record now meets and they do not have yet, and, when the
/// occasion is a first completion that completed its day for the whole team, the team's. `days`
/// is their day-by-day record (for streaks and comebacks).
///
/// `ledger` holds the points the occasion itself earned, not yet written: they are written with
/// the badges' bonuses in one statement (each statement is a round trip inside the transaction).
pub async fn award(
    tx: &mut Transaction<'static, Any>,
    cohort: &Cohort,
    person_id: i64,
    days: &[DayState],
    occasion: Option<Occasion>,
    now: DateTime<Utc>,
    mut ledger: Vec<points::Entry<'_>>,
) -> Result<Awarded, AppError> {
    let first = occasion.filter(|o| o.first_completion);
    let known = store::person_facts(
        &mut **tx,
        cohort.row.id,
        person_id,
        first.map_or(0, |o| o.day),
        first.and_then(|o| o.team_id),
    )
    .await?;
    let person = award_person(tx, cohort, person_id, days, &known, occasion, now).await?;
    let submission_id = occasion.map(|o| o.submission_id);
    ledger.extend(person.iter().map(|_| points::Entry {
        cohort_id: cohort.row.id,
        person_id,
        day: 0,
        points: BADGE_BONUS,
        reason: Reason::BadgeBonus.as_str(),
        submission_id,
        reaction_id: None,
        at: millis(now),
    }));
    points::insert_all(&mut **tx, &ledger).await?;
    let team = match first {
        Some(Occasion {
            team_id: Some(team_id),
            ..
        }) if known.team_completed_day => award_team(tx, cohort, team_id, now).await?,
        _ => Vec::new(),
    };
    Ok(Awarded { person, team })
}

/// Writes the badges the person has newly earned, given what is `known` of them; returns them.
async fn award_person(
    tx: &mut Transaction<'static, Any>,
    cohort: &Cohort,
    person_id: i64,
    days: &[DayState],
    known: &store::PersonFacts,
    occasion: Option<Occasion>,
    now: DateTime<Utc>,
) -> Result<Vec<Badge>, AppError> {
    let submission_id = occasion.map(|o| o.submission_id);
    let cohort_id = cohort.row.id;
    let pack = &cohort.pack;
    let have = &known.awarded;
    let wanted: Vec<&Badge> = pack
        .badges
        .iter()
        .filter(|b| !have.contains(&b.id) && !matches!(b.rule, BadgeRule::TeamFullDay { .. }))
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let needs_first = wanted
        .iter()
        .any(|b| matches!(b.rule, BadgeRule::FirstInTeam { .. }));
    // The count of days first in the team can only have grown by a first completion that was
    // the team's first of its day; counting every day costs far more than checking that one.
    let first_in_team = if needs_first && known.first_in_team_on_day {
        store::first_in_team(&mut **tx, cohort_id, person_id).await?
    } else {
        0
    };
    let facts = Facts {
        completions: days.iter().filter(|d| **d == DayState::Completed).count() as u32,
        best_streak: streak::streaks(days).best,
        reflections: known.reflections as u32,
        reactions_received: known.reactions_received as u32,
        first_in_team: first_in_team as u32,
        comebacks: badges::comebacks(days),
        length: pack.length,
    };
    let mut awarded = Vec::new();
    for badge in badges::earned(&pack.badges, &facts) {
        if have.contains(&badge.id) {
            continue;
        }
        if store::award(
            &mut **tx,
            cohort_id,
            person_id,
            &badge.id,
            submission_id,
            millis(now),
        )
        .await?
        {
            awarded.push(badge.clone());
        }
    }
    Ok(awarded)
}

/// Awards a team the team badges it now meets, a submission having just completed a day for the
/// whole team.
async fn award_team(
    tx: &mut Transaction<'static, Any>,
    cohort: &Cohort,
    team_id: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Badge>, AppError> {
    let pack = &cohort.pack;
    if !pack
        .badges
        .iter()
        .any(|b| matches!(b.rule, BadgeRule::TeamFullDay { .. }))
    {
        return Ok(Vec::new());
    }
    let cohort_id = cohort.row.id;
    let full_days = store::team_full_days(&mut **tx, cohort_id, team_id).await?;
    let mut awarded = Vec::new();
    for badge in badges::team_earned(&pack.badges, full_days.len() as u32) {
        let BadgeRule::TeamFullDay { count } = badge.rule else {
            continue;
        };
        // The day on which the team reached the count.
        let day = full_days[count.max(1) as usize - 1];
        if store::award_team(&mut **tx, cohort_id, team_id, &badge.id, day, millis(now)).await? {
            awarded.push(badge.clone());
        }
    }
    Ok(awarded)
}
