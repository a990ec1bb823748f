//! Reads of the boards kept between requests, each counted: what every viewer of a cohort sees
//! alike, the teams' sizes and people's names on the boards.

use std::collections::HashMap;
use std::sync::Arc;

use super::display::Shared;
use crate::app::kept::Counts;
use crate::app::{AppError, Services};
use crate::coalesce::Coalesced;
use crate::store::points;
use crate::versioned::Versioned;

/// Reads of the boards kept between requests: what every viewer of a cohort sees alike (read
/// once for the requests that arrive together, see [`crate::coalesce`]), and people's names.
#[derive(Default)]
pub struct Reads {
    pub(super) shared: Coalesced<Shared>,
    pub(in crate::app) shared_counts: Counts,
    pub(in crate::app) names: Names,
    team_sizes: Versioned<i64, TeamSizes>,
    pub(in crate::app) team_sizes_counts: Counts,
}

/// Teams with their participants, by team name.
pub type TeamSizes = Arc<Vec<(i64, String, i64)>>;

impl Reads {
    /// A cohort's teams with their participants (for per-member scores), read once per callers'
    /// version: only enrolment changes them, and enrolment moves the version.
    pub async fn team_sizes(
        &self,
        services: &Services,
        cohort_id: i64,
    ) -> Result<TeamSizes, AppError> {
        let version = services.caller_version().await?;
        if let Some(sizes) = self
            .team_sizes_counts
            .found(self.team_sizes.get(version, &cohort_id))
        {
            return Ok(sizes);
        }
        let sizes = Arc::new(points::team_sizes(services.store.pool(), cohort_id).await?);
        self.team_sizes.keep(version, cohort_id, sizes.clone());
        Ok(sizes)
    }
}

/// Display names for board rows, read once per callers' version: the boards show thousands of
/// different neighbours, and a name changes only when a change lead enrols the person again,
/// which moves the version.
#[derive(Default)]
pub(in crate::app) struct Names {
    kept: Versioned<i64, String>,
    pub(in crate::app) counts: Counts,
}

impl Names {
    pub(super) async fn of(
        &self,
        services: &Services,
        ids: &[i64],
    ) -> Result<HashMap<i64, String>, AppError> {
        let version = services.caller_version().await?;
        let mut found = HashMap::new();
        let mut missing = Vec::new();
        for &id in ids {
            match self.counts.found(self.kept.get(version, &id)) {
                Some(name) => {
                    found.insert(id, name);
                }
                None => missing.push(id),
            }
        }
        missing.sort_unstable();
        missing.dedup();
        if missing.is_empty() {
            return Ok(found);
        }
        for (id, name) in points::names(services.store.pool(), &missing).await? {
            self.kept.keep(version, id, name.clone());
            found.insert(id, name);
        }
        Ok(found)
    }
}
