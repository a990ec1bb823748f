//! Awarding badges as submissions and reactions arrive, inside their transaction: each badge at
//! most once per person (a unique constraint, so concurrent requests cannot award it twice), with
//! the moment and the submission that earned it, and a points bonus in the ledger.

use crate::domain::{Day, PersonId, TeamId};
use std::cmp::Reverse;

use crate::store::Tx;
use chrono::{DateTime, Utc};

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
    pub day: Day,
    /// The team the submission was made in.
    pub team_id: Option<TeamId>,
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

impl Awarded {
    /// The points the person's new badges added to the ledger, with what earned them.
    pub fn bonus(&self) -> i64 {
        BADGE_BONUS * self.person.len() as i64
    }
}

/// One person whose badges an occasion may have changed.
pub struct Candidate<'a> {
    pub cohort: &'a Cohort,
    pub person_id: PersonId,
    /// Their day-by-day record (for streaks and comebacks).
    pub days: Vec<DayState>,
    /// What is known of them, read in the same transaction with [`facts_key`] (before their
    /// points were worked out, as the days come with it).
    pub known: store::PersonFacts,
    pub occasion: Option<Occasion>,
    /// The points the occasion itself earned, not yet written: they are written with the
    /// badges' bonuses, everyone's in one statement (each statement is a round trip inside the
    /// transaction).
    pub ledger: Vec<points::Entry<'a>>,
    /// When the occasion happened: the moment its badges are awarded.
    pub at: DateTime<Utc>,
}

/// The key to read a person's facts with ([`store::people_facts`]), for an occasion that may be
/// a first completion (of a day, in a team).
pub fn facts_key(
    cohort_id: i64,
    person_id: PersonId,
    occasion: Option<Occasion>,
) -> store::FactsKey {
    let first = occasion.filter(|o| o.first_completion);
    store::FactsKey {
        cohort_id,
        person_id,
        day: first.map(|o| o.day),
        team_id: first.and_then(|o| o.team_id),
    }
}

/// Awards each candidate (each person once) every badge their record now meets and they do not
/// have yet, and, when their occasion is a first completion that completed its day for the
/// whole team, the team's. Answers in the candidates' order.
/// A batch of submissions costs the same few statements as one.
pub async fn award(
    tx: &mut Tx,
    mut candidates: Vec<Candidate<'_>>,
) -> Result<Vec<Awarded>, AppError> {
    let persons = award_persons(tx, &candidates).await?;
    let mut ledger = Vec::new();
    for (candidate, badges) in candidates.iter_mut().zip(&persons) {
        ledger.append(&mut candidate.ledger);
        ledger.extend(badges.iter().map(|_| points::Entry {
            cohort_id: candidate.cohort.row.id,
            person_id: candidate.person_id,
            day: None,
            points: BADGE_BONUS,
            reason: Reason::BadgeBonus.as_str(),
            submission_id: candidate.occasion.map(|o| o.submission_id),
            reaction_id: None,
            at: millis(candidate.at),
        }));
    }
    points::insert_all(tx.conn(), &ledger).await?;
    // Teams in order, so that two transactions awarding the same teams lock them in one order;
    // a team's badges go to the last of its members in the batch, whose completion completed
    // the day, as they would written one at a time.
    let mut teams: Vec<(i64, TeamId, Reverse<usize>)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let team_id = first_completion(c)?.team_id?;
            c.known
                .team_completed_day
                .then_some((c.cohort.row.id, team_id, Reverse(i)))
        })
        .collect();
    teams.sort_unstable();
    teams.dedup_by_key(|(cohort_id, team_id, _)| (*cohort_id, *team_id));
    let mut team_badges: Vec<Vec<Badge>> = vec![Vec::new(); candidates.len()];
    for (_, team_id, Reverse(i)) in teams {
        let candidate = &candidates[i];
        team_badges[i] = award_team(tx, candidate.cohort, team_id, candidate.at).await?;
    }
    Ok(persons
        .into_iter()
        .zip(team_badges)
        .map(|(person, team)| Awarded { person, team })
        .collect())
}

/// The candidate's occasion, when it is a first completion.
fn first_completion(candidate: &Candidate<'_>) -> Option<Occasion> {
    candidate.occasion.filter(|o| o.first_completion)
}

/// Writes the badges each candidate has newly earned, given what is known of them; returns
/// them, per candidate.
async fn award_persons(
    tx: &mut Tx,
    candidates: &[Candidate<'_>],
) -> Result<Vec<Vec<Badge>>, AppError> {
    let wanted: Vec<Vec<&Badge>> = candidates
        .iter()
        .map(|c| {
            let k = &c.known;
            c.cohort
                .pack
                .badges
                .iter()
                .filter(|b| {
                    !k.awarded.contains(&b.id) && !matches!(b.rule, BadgeRule::TeamFullDay { .. })
                })
                .collect()
        })
        .collect();
    // The count of days first in the team can only have grown by a first completion that was
    // the team's first of its day; counting every day costs far more than checking that one.
    let needs_first: Vec<(i64, PersonId)> = candidates
        .iter()
        .zip(&wanted)
        .filter(|(c, w)| {
            c.known.first_in_team_on_day
                && w.iter()
                    .any(|b| matches!(b.rule, BadgeRule::FirstInTeam { .. }))
        })
        .map(|(c, _)| (c.cohort.row.id, c.person_id))
        .collect();
    let first_in_team = store::first_in_team(tx.conn(), &needs_first).await?;
    let mut earned: Vec<Vec<&Badge>> = Vec::with_capacity(candidates.len());
    for (c, wanted) in candidates.iter().zip(&wanted) {
        let k = &c.known;
        if wanted.is_empty() {
            earned.push(Vec::new());
            continue;
        }
        let pack = &c.cohort.pack;
        let facts = Facts {
            completions: c.days.iter().filter(|d| **d == DayState::Completed).count() as u32,
            best_streak: streak::streaks(&c.days).best,
            reflections: k.reflections as u32,
            reactions_received: k.reactions_received as u32,
            first_in_team: first_in_team
                .get(&(c.cohort.row.id, c.person_id))
                .copied()
                .unwrap_or(0) as u32,
            comebacks: badges::comebacks(&c.days),
            length: pack.length,
        };
        earned.push(
            badges::earned(&pack.badges, &facts)
                .into_iter()
                .filter(|b| !k.awarded.contains(&b.id))
                .collect(),
        );
    }
    let new: Vec<store::NewAward> = candidates
        .iter()
        .zip(&earned)
        .flat_map(|(c, badges)| {
            badges.iter().map(|b| store::NewAward {
                cohort_id: c.cohort.row.id,
                person_id: c.person_id,
                badge_id: &b.id,
                submission_id: c.occasion.map(|o| o.submission_id),
                at: millis(c.at),
            })
        })
        .collect();
    let awarded = store::award(tx.conn(), &new).await?;
    Ok(candidates
        .iter()
        .zip(earned)
        .map(|(c, badges)| {
            badges
                .into_iter()
                .filter(|b| awarded.contains(&(c.person_id, b.id.clone())))
                .cloned()
                .collect()
        })
        .collect())
}

/// Awards a team the team badges it now meets, a submission having just completed a day for the
/// whole team.
async fn award_team(
    tx: &mut Tx,
    cohort: &Cohort,
    team_id: TeamId,
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
    let full_days = store::team_full_days(tx.conn(), cohort_id, team_id).await?;
    let mut awarded = Vec::new();
    for badge in badges::team_earned(&pack.badges, full_days.len() as u32) {
        let BadgeRule::TeamFullDay { count } = badge.rule else {
            continue;
        };
        // The day on which the team reached the count.
        let day = full_days[count.max(1) as usize - 1];
        if store::award_team(tx.conn(), cohort_id, team_id, &badge.id, day, millis(now)).await? {
            awarded.push(badge.clone());
        }
    }
    Ok(awarded)
}
