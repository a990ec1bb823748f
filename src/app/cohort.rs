//! Cohorts: creating one from a checked pack, reading its status, and moving it to a new version
//! of its pack.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sha2::{Digest, Sha256};

use super::kept::Counts;
use super::{AppError, Refusal, Services};
use crate::domain::CohortId;
use crate::pack::{self, Pack};
use crate::rules::calendar::{Calendar, Schedule, time_zone};
use crate::store::cohorts::{self, CohortRow, NewCohort, TeamCount};
use crate::store::{Store, StoreError, millis, releases};

/// What a change lead asks for when starting a cohort.
#[derive(Debug, Clone)]
pub struct CohortRequest {
    /// A pack id in the packs folder, or a path to a pack.
    pub pack: String,
    pub name: String,
    pub start: NaiveDate,
    pub time_zone: String,
    pub release_cron: String,
    pub grace: Duration,
    /// An anonymous reflection's author hides among at least this many people (at least
    /// [`DEFAULT_ANONYMITY_K`]).
    pub anonymity_k: u32,
    /// When its closing reminder goes, and its people's default quiet hours.
    pub reminders: super::reminders::CohortReminders,
}

/// The smallest crowd an anonymous author may hide in, and a cohort's default.
pub const DEFAULT_ANONYMITY_K: u32 = 5;
/// A crowd larger than this would keep anonymous reflections of all but the largest cohorts
/// from ever appearing.
pub const MAX_ANONYMITY_K: u32 = 1000;

/// The longest grace period: past it a day would overlap the one after next.
pub const MAX_GRACE_HOURS: i64 = 24;

/// Creates a cohort, refusing with a clear message (and writing nothing) when the pack has errors,
/// the schedule or time zone is wrong, or the cohort would already be over.
pub async fn create(
    services: &Services,
    packs_dir: &Path,
    request: &CohortRequest,
) -> Result<i64, AppError> {
    let now = services.clock.now();
    let name = request.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(Refusal::CohortNameInvalid.says("a cohort needs a name of 1 to 100 characters"));
    }
    if request.grace < Duration::zero() || request.grace > Duration::hours(MAX_GRACE_HOURS) {
        return Err(Refusal::GraceOutOfRange.says(format!(
            "the grace period must be between 0 and {MAX_GRACE_HOURS} hours"
        )));
    }
    if !(DEFAULT_ANONYMITY_K..=MAX_ANONYMITY_K).contains(&request.anonymity_k) {
        return Err(Refusal::CrowdOutOfRange.says(format!(
            "anonymous reflections need a crowd of {DEFAULT_ANONYMITY_K} to {MAX_ANONYMITY_K} people"
        )));
    }
    let reminders = request.reminders.stored()?;
    let pack = load_clean_pack(&request.pack, packs_dir)?;
    let schedule = Schedule::parse(&request.release_cron)
        .map_err(|e| Refusal::InvalidSchedule.says(e.to_string()))?;
    let tz =
        time_zone(&request.time_zone).map_err(|e| Refusal::UnknownTimeZone.says(e.to_string()))?;
    let calendar = Calendar::new(&schedule, request.start, tz, pack.length, request.grace)
        .map_err(|e| Refusal::InvalidCalendar.says(e.to_string()))?;
    if calendar.ends_at() <= now {
        return Err(Refusal::CohortAlreadyOver.says(format!(
            "a {}-day cohort starting on {} would already be over (its last day closed {}); choose a later start date",
            pack.length,
            request.start,
            calendar
                .ends_at()
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M %Z")
        )));
    }
    let new = NewCohort {
        name: name.to_string(),
        pack_id: pack.id.clone(),
        pack_version: pack.version.clone(),
        pack_hash: pack_digest(&pack_json(&pack)),
        pack_json: pack_json(&pack),
        length_days: i64::from(pack.length),
        start_date: request.start.to_string(),
        time_zone: tz.name().to_string(),
        release_cron: schedule.expression().to_string(),
        grace_minutes: request.grace.num_minutes(),
        anonymity_k: i64::from(request.anonymity_k),
    };
    let mut tx = services.store.begin_write().await?;
    let id = cohorts::insert(tx.conn(), &new, millis(now))
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => Refusal::CohortNameTaken.says(format!(
                "a cohort named \"{name}\" already exists; choose another name"
            )),
            e => AppError::from(e),
        })?;
    crate::store::reminders::set_cohort_settings(tx.conn(), id, &reminders).await?;
    tx.commit().await?;
    Ok(id)
}

/// Loads a pack and refuses it if the checker finds errors.
fn load_clean_pack(name: &str, packs_dir: &Path) -> Result<Pack, AppError> {
    let root =
        pack::find(name, packs_dir).map_err(|e| Refusal::PackNotFound.says(e.to_string()))?;
    let loaded = pack::load(&root);
    let errors = loaded.errors();
    loaded.pack.ok_or_else(|| {
        Refusal::PackHasErrors.says(format!(
            "the pack in {} has {errors} error(s); run `muster pack check {}` to see them",
            root.display(),
            root.display()
        ))
    })
}

/// The canonical stored form of a pack: serde's output for the same pack is always the same text,
/// so comparing it tells whether a pack changed.
pub fn pack_json(pack: &Pack) -> String {
    serde_json::to_string(pack).unwrap_or_default()
}

/// The digest stored beside a pinned pack, by which a decoded copy is known to be current.
pub fn pack_digest(json: &str) -> String {
    format!("{:x}", Sha256::digest(json.as_bytes()))
}

/// A stored cohort with the pieces the rules need, decoded. Cheap to clone: the pack is shared.
#[derive(Debug, Clone)]
pub struct Cohort {
    /// The row, whose `pack_hash` is always filled in here; read by use cases only, the layers
    /// above read it through the methods below.
    pub(in crate::app) row: CohortRow,
    pub pack: Arc<Pack>,
    pub tz: Tz,
    pub calendar: Calendar,
}

impl Cohort {
    pub fn id(&self) -> CohortId {
        CohortId(self.row.id)
    }

    pub fn name(&self) -> &str {
        &self.row.name
    }

    /// The pinned pack's id and version.
    pub fn pack_pin(&self) -> (&str, &str) {
        (&self.row.pack_id, &self.row.pack_version)
    }

    /// The digest of the pinned pack this was decoded from (`pack_digest`).
    pub fn pack_hash(&self) -> &str {
        &self.row.pack_hash
    }

    /// The time zone's name as it was given.
    pub fn time_zone(&self) -> &str {
        &self.row.time_zone
    }

    /// When days are released: the cron expression, in the cohort's time zone.
    pub fn release_cron(&self) -> &str {
        &self.row.release_cron
    }

    /// How long a day still takes submissions after it closes.
    pub fn grace(&self) -> Duration {
        Duration::minutes(self.row.grace_minutes)
    }

    /// Decodes a stored row, reading its pinned pack only when this process has not decoded that
    /// very row before. A row that no longer decodes (a time zone dropped from the tz database,
    /// say) is reported rather than crashing the release job.
    pub async fn load(services: &Services, mut row: CohortRow) -> Result<Self, AppError> {
        let kept = &services.kept.cohorts;
        if let Some(cohort) = kept.counts.found(kept.get(&row)) {
            return Ok(cohort);
        }
        let store = &services.store;
        let json = cohorts::pack_json(store.pool(), row.id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("there is no cohort {}", row.id)))?;
        let hash = pack_digest(&json);
        if row.pack_hash.is_empty() {
            let mut tx = store.begin_write().await?;
            cohorts::set_pack_hash(&mut tx, row.id, &json, &hash).await?;
            services.commit_caller_change(tx).await?;
        } else if row.pack_hash != hash {
            // The pack changed between reading the row and reading the pack: read both again.
            return Box::pin(Self::load(services, cohort_row(store, row.id).await?)).await;
        }
        row.pack_hash = hash;
        let cohort = Self::decode(row, &json)?;
        kept.keep(&cohort);
        Ok(cohort)
    }

    fn decode(row: CohortRow, pack_json: &str) -> Result<Self, AppError> {
        let broken = |what: String| {
            Refusal::CohortUnschedulable.says(format!(
                "cohort {} ({}) cannot be scheduled: {what}",
                row.id, row.name
            ))
        };
        let pack: Pack = serde_json::from_str(pack_json)
            .map_err(|e| broken(format!("its pinned pack does not decode: {e}")))?;
        let tz = time_zone(&row.time_zone).map_err(|e| broken(e.to_string()))?;
        let schedule = Schedule::parse(&row.release_cron).map_err(|e| broken(e.to_string()))?;
        let start: NaiveDate = row
            .start_date
            .parse()
            .map_err(|e| broken(format!("bad start date: {e}")))?;
        let length = u32::try_from(row.length_days).map_err(|e| broken(e.to_string()))?;
        let calendar = Calendar::new(
            &schedule,
            start,
            tz,
            length,
            Duration::minutes(row.grace_minutes),
        )
        .map_err(|e| broken(e.to_string()))?;
        Ok(Cohort {
            row,
            pack: Arc::new(pack),
            tz,
            calendar,
        })
    }
}

/// Cohorts already decoded in this process, by id, with the row they were decoded from.
///
/// Decoding is a pure function of the row and its pack, but not a cheap one: reading the pinned
/// pack (about 45 KB), decoding it and walking the release schedule through croner for 31 days
/// cost about a millisecond, and every request reads its cohort. A row that differs in anything
/// (a new pack, by its digest; another database's cohort with the same id) is decoded afresh.
/// Bounded: emptied when full.
#[derive(Default)]
pub struct Decoded {
    by_id: Mutex<HashMap<i64, Cohort>>,
    pub(super) counts: Counts,
}

const DECODED_MAX: usize = 256;

impl Decoded {
    fn get(&self, row: &CohortRow) -> Option<Cohort> {
        if row.pack_hash.is_empty() {
            return None;
        }
        let cache = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        cache.get(&row.id).filter(|c| c.row == *row).cloned()
    }

    fn keep(&self, cohort: &Cohort) {
        let mut cache = self.by_id.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() >= DECODED_MAX {
            cache.clear();
        }
        cache.insert(cohort.row.id, cohort.clone());
    }
}

async fn cohort_row(store: &Store, id: i64) -> Result<CohortRow, AppError> {
    cohorts::get(store.pool(), id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no cohort {id}")))
}

pub async fn get(services: &Services, id: i64) -> Result<Cohort, AppError> {
    Cohort::load(services, cohort_row(&services.store, id).await?).await
}

pub async fn list(services: &Services) -> Result<Vec<CohortRow>, AppError> {
    Ok(cohorts::list(services.store.pool()).await?)
}

/// Where a cohort stands at a moment.
#[derive(Debug, Clone)]
pub struct CohortStatus {
    pub cohort: Cohort,
    /// Days due by the calendar (0 before it starts).
    pub days_due: u32,
    pub released_days: Vec<crate::domain::Day>,
    pub next_release: Option<(u32, DateTime<Utc>)>,
    pub teams: Vec<TeamCount>,
    /// The version on disk when it differs from the pinned pack; `None` when they are the same
    /// or the pack is no longer on disk in a usable state.
    pub pack_on_disk: Option<PackChange>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackChange {
    Changed { version: String },
    Broken { errors: usize },
    Missing,
}

/// Where cohort `id` stands now, and whether its pack on disk moved on from the pinned one.
pub async fn status(
    services: &Services,
    packs_dir: &Path,
    id: i64,
) -> Result<CohortStatus, AppError> {
    let now = services.clock.now();
    let store = &services.store;
    let cohort = get(services, id).await?;
    let released_days = releases::list(store.pool(), id)
        .await?
        .into_iter()
        .map(|r| r.day)
        .collect();
    let teams = cohorts::team_counts(store.pool(), id).await?;
    let pack_on_disk = match pack::find(&cohort.row.pack_id, packs_dir) {
        Err(_) => Some(PackChange::Missing),
        Ok(root) => {
            let loaded = pack::load(&root);
            match loaded.pack {
                None => Some(PackChange::Broken {
                    errors: loaded.errors(),
                }),
                Some(p) if pack_digest(&pack_json(&p)) != cohort.row.pack_hash => {
                    Some(PackChange::Changed { version: p.version })
                }
                Some(_) => None,
            }
        }
    };
    Ok(CohortStatus {
        days_due: cohort.calendar.days_due(now),
        next_release: cohort.calendar.next_release(now),
        cohort,
        released_days,
        teams,
        pack_on_disk,
    })
}

/// Pins the pack as it now is on disk. Days already released keep the wording they were released
/// with (each release stores its own copy); days not yet released get the new wording.
pub async fn apply_pack_update(
    services: &Services,
    packs_dir: &Path,
    id: i64,
) -> Result<(String, String), AppError> {
    let cohort = get(services, id).await?;
    let pack = load_clean_pack(&cohort.row.pack_id, packs_dir)?;
    if pack.length != cohort.pack.length {
        return Err(Refusal::PackLengthChanged.says(format!(
            "the pack on disk has {} days but the cohort runs {}; a running cohort cannot change length",
            pack.length, cohort.pack.length
        )));
    }
    let json = pack_json(&pack);
    let mut tx = services.store.begin_write().await?;
    cohorts::update_pack(&mut tx, id, &pack.version, &json, &pack_digest(&json)).await?;
    services.commit_caller_change(tx).await?;
    Ok((cohort.row.pack_version, pack.version))
}
