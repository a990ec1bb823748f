//! Which reminders a person gets: one-click unsubscribe from a message (no session needed), and
//! the choices on the preferences page.

use super::people::Person;
use super::signin::hash;
use super::{AppError, Refusal, Services};
use crate::store::{millis, outbox, people};

/// The kinds of reminder a person can choose, as stored, with how the page names them.
pub const KINDS: &[(&str, &str)] = &[(outbox::RELEASED, "When a day is released")];

/// What an unsubscribe link did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsubscribe {
    /// The person gets no more of that kind of reminder in that cohort.
    Done { cohort: String, kind: &'static str },
    /// The link is unknown, tampered with or already used: nothing changed.
    NotValid,
}

/// Uses a one-click unsubscribe token (RFC 8058): the token alone says who and what, so it works
/// without signing in. A token works once; a second use, or one that was never issued, changes
/// nothing.
pub async fn unsubscribe(services: &Services, token: &str) -> Result<Unsubscribe, AppError> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Unsubscribe::NotValid);
    }
    let now = millis(services.clock.now());
    let mut tx = services.store.begin_write().await?;
    let Some(used) = outbox::use_unsubscribe_token(tx.conn(), &hash(token), now).await? else {
        return Ok(Unsubscribe::NotValid);
    };
    outbox::set_subscribed(
        &mut tx,
        used.person_id,
        used.cohort_id,
        &used.kind,
        false,
        now,
    )
    .await?;
    let cohort = crate::store::cohorts::get(tx.conn(), used.cohort_id)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    tx.commit().await?;
    let kind = KINDS
        .iter()
        .find(|(k, _)| *k == used.kind)
        .map_or("these reminders", |(_, name)| *name);
    Ok(Unsubscribe::Done { cohort, kind })
}

/// One cohort's reminder choices for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortChoices {
    pub cohort_id: i64,
    pub cohort: String,
    /// Each kind of [`KINDS`], and whether the person gets it.
    pub kinds: Vec<(&'static str, &'static str, bool)>,
}

/// The person's choices in every cohort they are enrolled in.
pub async fn choices(services: &Services, person: &Person) -> Result<Vec<CohortChoices>, AppError> {
    let pool = services.store.pool();
    let mut all = Vec::new();
    for membership in people::memberships(pool, person.id).await? {
        let off = outbox::unsubscribed(pool, person.id, membership.cohort.id).await?;
        all.push(CohortChoices {
            cohort_id: membership.cohort.id,
            cohort: membership.cohort.name,
            kinds: KINDS
                .iter()
                .map(|(kind, name)| (*kind, *name, !off.iter().any(|o| o == kind)))
                .collect(),
        });
    }
    Ok(all)
}

/// Sets which reminders the person gets in a cohort they are enrolled in: those in `on`.
pub async fn choose(
    services: &Services,
    person: &Person,
    cohort_id: i64,
    on: &[String],
) -> Result<(), AppError> {
    let pool = services.store.pool();
    if !people::memberships(pool, person.id)
        .await?
        .iter()
        .any(|m| m.cohort.id == cohort_id)
    {
        return Err(AppError::NotFound(
            "you are not enrolled in that cohort".into(),
        ));
    }
    if let Some(unknown) = on.iter().find(|k| !KINDS.iter().any(|(kind, _)| kind == k)) {
        return Err(
            Refusal::UnknownReminder.says(format!("There is no reminder called \"{unknown}\"."))
        );
    }
    let now = millis(services.clock.now());
    let mut tx = services.store.begin_write().await?;
    for (kind, _) in KINDS {
        let wanted = on.iter().any(|k| k == kind);
        outbox::set_subscribed(&mut tx, person.id, cohort_id, kind, wanted, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
