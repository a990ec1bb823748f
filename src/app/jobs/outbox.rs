//! The mail sender inside `muster serve`: whichever process holds the `outbox` lease claims due
//! messages from the outbox table ([`crate::store::outbox`]) in small batches, writes each one
//! (making its links at that moment), sends it through the mailer, and records what became of it.
//!
//! - **Sent once in the normal case.** A message is marked sent right after the relay's `250`,
//!   in one small commit with the others accepted at that moment, and its connection takes no
//!   other message before that commit. If the process dies between a `250` and the commit, the
//!   message's claim runs out and it is sent again: a crash can repeat at most the messages in
//!   flight at that moment, one per relay connection ([`PARALLEL`]), and nothing else. Claimed
//!   messages not yet handed to the relay are only claimed, not sent, so they go once.
//! - **Nothing lost.** A message leaves the table only as sent, or given up with a reason: a
//!   permanent refusal (5xx, a bad address), [`MAX_ATTEMPTS`] temporary refusals, or a reminder
//!   whose day closed first.
//! - **Quiet hours.** A reminder claimed inside its reader's quiet hours
//!   ([`crate::rules::quiet`]) is put back to wait until they end, or given up when its day closes
//!   first; it is written only when it can go.
//! - **Retries.** A message refused for now (4xx) waits an exponential backoff with jitter. When
//!   the relay cannot be reached at all, the messages are not at fault: they keep their place and
//!   the sender itself backs off, so when the relay returns everything goes oldest first.
//! - **Channel posts** (a cohort's morning summary to its team channel) go the same way, posted
//!   to the channel's webhook ([`crate::webhook`]): 2xx is sent; 429, 5xx, timeouts and a channel
//!   that cannot be reached are retried with the same backoff; any other answer is given up.
//! - **Quick.** A message queued by this process wakes the sender at once ([`Services::mail_queued`]);
//!   others are found by polling every [`POLL_EVERY`].

use crate::domain::{Day, PersonId};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::app::channel;
use crate::app::messages::{self, DayReminder, DigestMail, ReportAlert};
use crate::app::signin::{self, LINK_LIFETIME};
use crate::app::{AppError, Refusal, Services};
use crate::mail::{List, Rich, Verdict};
use crate::rules::calendar::time_zone;
use crate::rules::quiet::QuietHours;
use crate::store::channel::CHANNEL;
use crate::store::digest;
use crate::store::outbox::{self, Claimed};
use crate::store::team;
use crate::store::{auth, instant, leases, millis};
use crate::webhook::Post;

const LEASE: &str = "outbox";
/// How often the sender looks for due messages queued by other processes (or due again).
pub const POLL_EVERY: Duration = Duration::from_secs(2);
/// Messages being sent at once: at most one per pooled relay connection (lettre keeps 10).
pub const PARALLEL: usize = 8;
/// Messages claimed at a time: enough that the connections seldom wait for the next batch to
/// be written (its links made in one transaction).
const BATCH: i64 = 16 * PARALLEL as i64;
/// Temporary refusals of one message before it is given up.
pub const MAX_ATTEMPTS: i64 = 10;
/// The first retry's delay; each next one doubles, up to [`MAX_BACKOFF`], then ±50 % jitter.
const FIRST_BACKOFF: chrono::Duration = chrono::Duration::seconds(30);
const MAX_BACKOFF: chrono::Duration = chrono::Duration::hours(1);
/// How long a day-released link works: long enough to be read later in the shift.
pub const REMINDER_LINK_LIFETIME: chrono::Duration = chrono::Duration::hours(12);

/// What one pass did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub given_up: usize,
    pub retrying: usize,
    /// Reminders put back until their reader's quiet hours end.
    pub waiting: usize,
    /// The relay could not be reached; the rest of the batch waits for it.
    pub relay_away: bool,
    /// The batch was full: there may be more due at once.
    pub more: bool,
}

/// The sender: lease, claims, sending, bookkeeping.
pub struct Sender {
    services: Services,
    /// Who this process is, in the lease table and on its claims.
    holder: String,
    lease_for: chrono::Duration,
}

impl Sender {
    pub fn new(services: Services, holder: String) -> Self {
        Sender {
            services,
            holder,
            lease_for: chrono::Duration::seconds(15),
        }
    }

    /// One batch: take or renew the lease, claim what is due, send it. `Ok(None)` when another
    /// process holds the lease. Stops handing messages to the relay once `stop` turns true.
    pub async fn tick(&self, stop: &watch::Receiver<bool>) -> Result<Option<Pass>, AppError> {
        if !self.renew_lease().await? {
            return Ok(None);
        }
        // Unique even between processes that share a holder name.
        let claim = format!("{}#{}", self.holder, &signin::new_secret()[..16]);
        let pool = self.services.store.pool();
        let now = self.services.clock.now();
        let ids = outbox::claim(
            pool,
            &claim,
            millis(now),
            millis(now + self.lease_for * 2),
            BATCH,
        )
        .await?;
        let mut pass = Pass {
            more: ids.len() as i64 == BATCH,
            ..Pass::default()
        };
        if ids.is_empty() {
            return Ok(Some(pass));
        }
        let mut waiting = match self.compose_batch(&claim, &mut pass).await {
            Ok(composed) => composed.into_iter(),
            Err(e) => {
                outbox::release_claim(pool, &claim).await?;
                return Err(e);
            }
        };
        let mut sending = JoinSet::new();
        let mut renewed = Instant::now();
        loop {
            while sending.len() < PARALLEL && !pass.relay_away && !*stop.borrow() {
                let Some((message, outgoing)) = waiting.next() else {
                    break;
                };
                let services = self.services.clone();
                sending.spawn(async move { send_one(&services, message, outgoing).await });
            }
            let Some(done) = sending.join_next().await else {
                break;
            };
            let mut finished = vec![done];
            while let Some(done) = sending.try_join_next() {
                finished.push(done);
            }
            let mut accepted = Vec::new();
            for done in finished {
                match done {
                    Ok(Outcome::Accepted(id)) => accepted.push(id),
                    Ok(Outcome::GivenUp) => pass.given_up += 1,
                    Ok(Outcome::Later) => pass.retrying += 1,
                    Ok(Outcome::RelayAway) => pass.relay_away = true,
                    Err(e) => tracing::error!(error = %e, "a mail send task failed"),
                }
            }
            // Marked before their connections take other messages, so that what a crash can
            // repeat stays within the messages in flight.
            let now = millis(self.services.clock.now());
            match outbox::mark_sent(pool, &accepted, now).await {
                Ok(()) => pass.sent += accepted.len(),
                Err(e) => {
                    // Their claims run out and they are sent again.
                    tracing::error!(error = %e, "cannot record that mail was sent");
                    pass.retrying += accepted.len();
                }
            }
            if renewed.elapsed() > self.lease_for.to_std().unwrap_or_default() / 3 {
                renewed = Instant::now();
                self.renew_lease().await?;
                let until = self.services.clock.now() + self.lease_for * 2;
                outbox::extend_claim(pool, &claim, millis(until)).await?;
            }
        }
        // Whatever was not handed to the relay keeps its place in the queue.
        outbox::release_claim(pool, &claim).await?;
        if pass.relay_away || *stop.borrow() {
            pass.more = false;
        }
        Ok(Some(pass))
    }

    /// The batch's messages that may go now, written: their links and unsubscribe tokens stored
    /// in one transaction, two multi-row statements ([`Secrets`]) rather than two per message. Those inside their
    /// reader's quiet hours are put back (or given up) in the same transaction, counted in `pass`.
    async fn compose_batch(
        &self,
        claim: &str,
        pass: &mut Pass,
    ) -> Result<Vec<(Claimed, Result<Outgoing, String>)>, AppError> {
        let claimed = outbox::claimed(self.services.store.pool(), claim).await?;
        let now = self.services.clock.now();
        let mut tx = self.services.store.begin_write().await?;
        let mut composed = Vec::with_capacity(claimed.len());
        let mut secrets = Secrets::default();
        for message in claimed {
            let open = message.expires_at.is_none_or(|t| t > millis(now));
            if let Some(end) = quiet_until(&message, now).filter(|_| open) {
                if message.expires_at.is_some_and(|t| millis(end) >= t) {
                    let reason = "the day closed during the person's quiet hours";
                    outbox::give_up(tx.conn(), message.id, millis(now), reason).await?;
                    pass.given_up += 1;
                } else {
                    outbox::wait_until(tx.conn(), message.id, millis(end)).await?;
                    pass.waiting += 1;
                }
                continue;
            }
            let outgoing = match compose(&self.services, &mut tx, &mut secrets, &message).await {
                Ok(outgoing) => Ok(outgoing),
                Err(AppError::Refused(Refusal::MailUnwritable, reason)) => Err(reason),
                Err(e) => return Err(e),
            };
            composed.push((message, outgoing));
        }
        auth::insert_links(tx.conn(), &secrets.links).await?;
        outbox::insert_unsubscribe_tokens(tx.conn(), &secrets.tokens).await?;
        tx.commit().await?;
        Ok(composed)
    }

    async fn renew_lease(&self) -> Result<bool, AppError> {
        let now = self.services.clock.now();
        Ok(leases::try_acquire(
            self.services.store.pool(),
            LEASE,
            &self.holder,
            millis(now),
            millis(now + self.lease_for),
        )
        .await?)
    }

    /// Runs until `stop` turns true: a pass whenever a message is queued here, every
    /// [`POLL_EVERY`], and at once after a full batch; backs off while the relay is away.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let wake = self.services.mail_queued.clone();
        let mut away_for = Duration::ZERO;
        loop {
            let pause = match self.tick(&stop).await {
                Ok(Some(pass)) if pass.relay_away => {
                    away_for =
                        (away_for * 2).clamp(Duration::from_secs(1), Duration::from_secs(60));
                    tracing::warn!(retry_in = ?away_for, "the mail relay cannot be reached; mail waits");
                    jitter(away_for)
                }
                Ok(Some(pass)) => {
                    away_for = Duration::ZERO;
                    if pass.more {
                        Duration::ZERO
                    } else {
                        POLL_EVERY
                    }
                }
                Ok(None) => POLL_EVERY,
                Err(e) => {
                    tracing::warn!(error = %e, "mail sender pass failed; retrying");
                    POLL_EVERY
                }
            };
            if *stop.borrow() {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = wake.notified(), if away_for.is_zero() => {}
                _ = stop.changed() => break,
            }
        }
        if let Err(e) = leases::release(self.services.store.pool(), LEASE, &self.holder).await {
            tracing::warn!(error = %e, "could not give up the mail sender lease");
        }
    }
}

/// When the quiet hours a reminder's reader is in at `now` end; `None` when they are not in
/// them, for mail that is not a reminder (a sign-in link is asked for, so it goes at once), and
/// for a channel post (quiet hours are a person's; the channel's post goes at the cohort's
/// release time).
fn quiet_until(m: &Claimed, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if m.kind == outbox::SIGN_IN || m.kind == CHANNEL {
        return None;
    }
    let hours: QuietHours = m.quiet_hours.as_deref()?.parse().ok()?;
    let tz = time_zone(m.time_zone.as_deref()?).ok()?;
    hours.ends_after(now, tz)
}

/// A message written, ready to go: an email, or a post to a team channel.
pub enum Outgoing {
    Mail(Rich),
    Post(Post),
}

/// What became of one claimed message.
enum Outcome {
    /// The relay accepted it (or the channel took it); it is still to be marked sent.
    Accepted(i64),
    GivenUp,
    Later,
    RelayAway,
}

/// Writes and sends one message, and records what became of it unless it was accepted (the
/// caller marks those, several at once). Logs name the message's id, never its address or links.
async fn send_one(
    services: &Services,
    message: Claimed,
    outgoing: Result<Outgoing, String>,
) -> Outcome {
    let pool = services.store.pool();
    let now = services.clock.now();
    let recorded = async {
        if message.expires_at.is_some_and(|t| t <= millis(now)) {
            outbox::give_up(
                pool,
                message.id,
                millis(now),
                "the day closed before it could be sent",
            )
            .await?;
            return Ok::<_, AppError>(Outcome::GivenUp);
        }
        let outgoing = match outgoing {
            Ok(outgoing) => outgoing,
            Err(reason) => {
                outbox::give_up(pool, message.id, millis(now), &reason).await?;
                return Ok(Outcome::GivenUp);
            }
        };
        let sent = match &outgoing {
            Outgoing::Mail(rich) => services
                .mailer
                .send_rich(rich)
                .await
                .map_err(|e| (redact(&e.to_string(), &message.email), e.verdict())),
            // The error never holds the webhook's URL.
            Outgoing::Post(post) => services
                .webhook
                .post(post)
                .await
                .map_err(|e| (e.to_string(), e.verdict())),
        };
        let Err((error, verdict)) = sent else {
            return Ok(Outcome::Accepted(message.id));
        };
        let now = services.clock.now();
        Ok(match verdict {
            Verdict::Permanent => {
                tracing::warn!(message = message.id, %error, "mail refused for good; recorded");
                outbox::give_up(pool, message.id, millis(now), &error).await?;
                Outcome::GivenUp
            }
            Verdict::Later if message.attempts >= MAX_ATTEMPTS => {
                let reason = format!("still refused after {} tries: {error}", message.attempts);
                outbox::give_up(pool, message.id, millis(now), &reason).await?;
                Outcome::GivenUp
            }
            Verdict::Later => {
                let due = now + backoff(message.attempts);
                tracing::info!(message = message.id, %error, "mail refused for now; will retry");
                outbox::retry_at(pool, message.id, millis(due), &error).await?;
                Outcome::Later
            }
            Verdict::Unreachable => {
                tracing::warn!(%error, "cannot reach the mail relay");
                Outcome::RelayAway
            }
        })
    };
    let outcome = recorded.await;
    services.metrics.mail(match &outcome {
        Ok(Outcome::Accepted(_)) => "sent",
        Ok(Outcome::GivenUp) => "failed",
        Ok(Outcome::Later) | Err(_) => "retry",
        Ok(Outcome::RelayAway) => "relay_away",
    });
    match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            // The claim runs out and the message is tried again.
            tracing::error!(message = message.id, error = %e, "cannot record what became of a mail");
            Outcome::Later
        }
    }
}

/// The message a claimed row stands for, with fresh links. [`Refusal::MailUnwritable`] when it can
/// never be written (its day is gone from the pack, say).
async fn compose(
    services: &Services,
    tx: &mut crate::store::Tx,
    secrets: &mut Secrets,
    m: &Claimed,
) -> Result<Outgoing, AppError> {
    let base = services.base_url.trim_end_matches('/');
    let reader = || {
        m.person_id
            .ok_or_else(|| Refusal::MailUnwritable.says("the message has no reader"))
    };
    let title = |day: Day| {
        m.day_json
            .as_deref()
            .and_then(|json| serde_json::from_str::<crate::pack::model::Day>(json).ok())
            .map(|d| d.title)
            .ok_or_else(|| Refusal::MailUnwritable.says(format!("day {day} is not released")))
    };
    let cohort_name = m.cohort_name.clone().unwrap_or_default();
    match (m.kind.as_str(), m.cohort_id, m.day) {
        (outbox::SIGN_IN, _, _) => {
            let url = secrets.link(services, reader()?, LINK_LIFETIME);
            // In the demo without a mail relay, the link is also logged so it can be clicked at
            // once. Never otherwise: a live link in a log is a way in for anyone who reads it.
            if services.demo && matches!(*services.mailer, crate::mail::Mailer::Outbox { .. }) {
                tracing::info!(to = %m.email, %url, "sign-in link written to the outbox");
            }
            Ok(Outgoing::Mail(messages::sign_in(
                &m.email,
                &m.display_name,
                &url,
                LINK_LIFETIME.num_minutes(),
            )))
        }
        (
            kind @ (outbox::RELEASED | outbox::CLOSING | team::ENCOURAGE),
            Some(cohort),
            Some(day),
        ) => {
            let title = title(day)?;
            let url = secrets.link(services, reader()?, REMINDER_LINK_LIFETIME);
            let list_name = match kind {
                outbox::RELEASED => "Day released",
                outbox::CLOSING => "Day closing",
                _ => "Encouragement",
            };
            let list = list(services, secrets, m, cohort, kind, list_name)?;
            let reminder = DayReminder {
                to_address: &m.email,
                name: &m.display_name,
                cohort: &cohort_name,
                day,
                title: &title,
                open_url: &format!("{url}?next=/c/{cohort}/day/{day}"),
                preferences_url: &format!("{base}/preferences"),
                list,
            };
            if kind == outbox::RELEASED {
                return Ok(Outgoing::Mail(messages::day_released(&reminder)));
            }
            if kind == team::ENCOURAGE {
                let from = m.sender_name.as_deref().unwrap_or("Your manager");
                return Ok(Outgoing::Mail(messages::encouragement(&reminder, from)));
            }
            let closes = m
                .closes_at
                .and_then(DateTime::from_timestamp_millis)
                .zip(m.time_zone.as_deref().and_then(|z| time_zone(z).ok()))
                .map(|(t, tz)| {
                    t.with_timezone(&tz)
                        .format("%H:%M on %a %-d %b")
                        .to_string()
                })
                .ok_or_else(|| {
                    Refusal::MailUnwritable.says(format!("day {day} has no closing time"))
                })?;
            Ok(Outgoing::Mail(messages::day_closing(&reminder, &closes)))
        }
        (digest::DIGEST, Some(cohort), Some(day)) => {
            let Some(content) =
                crate::app::digest::content(tx, cohort, reader()?, day, services.clock.now())
                    .await?
            else {
                return Err(Refusal::MailUnwritable
                    .says("the reader no longer manages a team or leads the cohort"));
            };
            let list = list(
                services,
                secrets,
                m,
                cohort,
                digest::DIGEST,
                "Weekly digest",
            )?;
            Ok(Outgoing::Mail(messages::weekly_digest(&DigestMail {
                to_address: &m.email,
                name: &m.display_name,
                cohort: &cohort_name,
                digest: &content,
                cohort_url: &format!("{base}/c/{cohort}"),
                preferences_url: &format!("{base}/preferences"),
                list,
            })))
        }
        (digest::REPORTED, Some(cohort), _) => {
            let list = list(services, secrets, m, cohort, digest::REPORTED, "Reports")?;
            Ok(Outgoing::Mail(messages::reflection_reported(
                &ReportAlert {
                    to_address: &m.email,
                    name: &m.display_name,
                    cohort: &cohort_name,
                    reports_url: &format!("{base}/c/{cohort}/reports"),
                    preferences_url: &format!("{base}/preferences"),
                    list,
                },
            )))
        }
        (CHANNEL, Some(cohort), Some(day)) => {
            let (Some(url), Some(format)) = (&m.channel_url, &m.channel_format) else {
                return Err(Refusal::MailUnwritable.says("the cohort has no team channel now"));
            };
            let format = format
                .parse()
                .map_err(|e: String| Refusal::MailUnwritable.says(e))?;
            let summary = channel::summary(
                tx,
                cohort,
                &cohort_name,
                day,
                &title(day)?,
                format!("{base}/c/{cohort}/day/{day}"),
                services.clock.now(),
            )
            .await?;
            Ok(Outgoing::Post(channel::post(&summary, url, format)))
        }
        (kind, _, _) => Err(Refusal::MailUnwritable.says(format!("unknown kind of mail `{kind}`"))),
    }
}

/// The secrets a batch's messages hold (sign-in links, unsubscribe tokens), stored together in
/// the batch's transaction: two statements per batch rather than two per message.
#[derive(Default)]
struct Secrets {
    links: Vec<auth::NewLink>,
    tokens: Vec<outbox::NewUnsubscribeToken>,
}

impl Secrets {
    /// A new sign-in link for `person`, stored with the batch.
    fn link(
        &mut self,
        services: &Services,
        person: PersonId,
        lifetime: chrono::Duration,
    ) -> String {
        let (url, link) = signin::new_link(services, person, lifetime);
        self.links.push(link);
        url
    }
}

/// The list headers of a message of `kind` in `cohort`, with a fresh one-click unsubscribe token
/// for it (stored hashed with the batch).
fn list(
    services: &Services,
    secrets: &mut Secrets,
    m: &Claimed,
    cohort: i64,
    kind: &str,
    list_name: &str,
) -> Result<List, AppError> {
    let base = services.base_url.trim_end_matches('/');
    let token = signin::new_secret();
    let person = m
        .person_id
        .ok_or_else(|| Refusal::MailUnwritable.says("the message has no reader"))?;
    secrets.tokens.push(outbox::NewUnsubscribeToken {
        token_hash: signin::hash(&token),
        person_id: person,
        cohort_id: cohort,
        kind: kind.into(),
        created_at: millis(services.clock.now()),
    });
    let host = base
        .rsplit("://")
        .next()
        .unwrap_or(base)
        .replace([':', '/'], "-");
    Ok(List {
        id: format!("{kind}.cohort-{cohort}.{host}"),
        name: format!(
            "{list_name}, {}",
            m.cohort_name.as_deref().unwrap_or_default()
        ),
        unsubscribe: format!("{base}/unsubscribe/{token}"),
    })
}

/// The delay before try `attempts + 1` of a message refused for now.
fn backoff(attempts: i64) -> chrono::Duration {
    let doubled =
        (0..attempts.clamp(1, 20) - 1).fold(FIRST_BACKOFF, |d, _| (d * 2).min(MAX_BACKOFF));
    chrono::Duration::from_std(jitter(doubled.to_std().unwrap_or_default())).unwrap_or(doubled)
}

/// `d` times a random factor between 0.5 and 1.5, so that retries do not arrive together.
fn jitter(d: Duration) -> Duration {
    let mut random = [0u8; 4];
    let factor = match getrandom::fill(&mut random) {
        Ok(()) => 0.5 + f64::from(u32::from_le_bytes(random)) / f64::from(u32::MAX),
        Err(_) => 1.0,
    };
    d.mul_f64(factor)
}

/// `text` with `address` replaced: a relay's refusal may quote it back, and logs never hold it.
fn redact(text: &str, address: &str) -> String {
    if address.is_empty() {
        return text.into();
    }
    regex::RegexBuilder::new(&regex::escape(address))
        .case_insensitive(true)
        .build()
        .map(|a| a.replace_all(text, "[the address]").into_owned())
        .unwrap_or_else(|_| "(not shown)".into())
}

/// A message given up, for the change lead.
#[derive(Debug, Clone)]
pub struct Failed {
    pub kind: String,
    pub email: String,
    pub display_name: String,
    /// The day a reminder was for.
    pub day: Option<Day>,
    pub failed_at: DateTime<Utc>,
    pub failure: String,
}

impl From<outbox::Failed> for Failed {
    fn from(f: outbox::Failed) -> Failed {
        let display_name = if f.kind == CHANNEL {
            "the team channel".into()
        } else {
            f.display_name
        };
        Failed {
            kind: f.kind,
            email: f.email,
            display_name,
            day: f.day,
            failed_at: instant(f.failed_at),
            failure: f.failure,
        }
    }
}

/// The messages given up in a cohort (or sign-in mail, with no cohort), newest first.
pub async fn failed(
    store: &crate::store::Store,
    cohort: Option<i64>,
) -> Result<Vec<Failed>, AppError> {
    let rows = outbox::failed(store.pool(), cohort).await?;
    Ok(rows.into_iter().map(Failed::from).collect())
}

/// Waits until nothing is left to send (for tests and benchmarks driving the sender by hand).
pub async fn drain(sender: &Sender) -> Result<Pass, AppError> {
    let (_keep, stop) = watch::channel(false);
    let mut total = Pass::default();
    loop {
        let Some(pass) = sender.tick(&stop).await? else {
            return Ok(total);
        };
        total.sent += pass.sent;
        total.given_up += pass.given_up;
        total.retrying += pass.retrying;
        total.waiting += pass.waiting;
        total.relay_away |= pass.relay_away;
        if !pass.more || pass.relay_away {
            return Ok(total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        for attempts in 1..=12 {
            let base = (FIRST_BACKOFF * 2i32.pow((attempts - 1) as u32)).min(MAX_BACKOFF);
            let d = backoff(attempts);
            assert!(d >= base / 2 && d <= base * 3 / 2, "{attempts}: {d}");
        }
    }

    #[test]
    fn addresses_are_redacted_whatever_their_case() {
        assert_eq!(
            redact("550 <Zoe@Force.police.uk> unknown", "zoe@force.police.uk"),
            "550 <[the address]> unknown"
        );
    }
}
