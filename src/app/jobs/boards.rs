//! Keeping the boards equal to the ledger: a full comparison at start-up and every
//! [`FULL_EVERY`], and every [`PROBE_EVERY`] a repair of any cohort whose board missed a change
//! (Redis away) or vanished (Redis flushed). Each process checks the boards it writes to.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Job;
use crate::app::leaderboard::{Scope, check_all};
use crate::app::{AppError, Services};

/// How often every board is compared with the ledger in full (it reads the whole ledger, summed).
const FULL_EVERY: Duration = Duration::from_secs(300);
/// How often boards known to be behind, or gone, are looked for and repaired.
const PROBE_EVERY: Duration = Duration::from_secs(10);

pub struct BoardCheck {
    /// When the last full comparison was made.
    last_full: DateTime<Utc>,
}

impl BoardCheck {
    /// Compares every board with the ledger in full, now; the next full comparison is due
    /// [`FULL_EVERY`] later. Under load a check must wait for a quiet moment to tell drift from
    /// updates in flight, so this is done before the first request.
    pub async fn at_start(services: &Services) -> Self {
        let mut check = BoardCheck {
            last_full: services.clock.now(),
        };
        check.logged(services, Scope::Full).await;
        check.last_full = services.clock.now();
        check
    }

    /// One pass at `now`: a full comparison when one is due, otherwise only the suspect boards.
    /// Returns how many cohorts' boards were repaired.
    pub async fn tick(
        &mut self,
        services: &Services,
        now: DateTime<Utc>,
    ) -> Result<usize, AppError> {
        check_all(services, self.scope(now)).await
    }

    fn scope(&mut self, now: DateTime<Utc>) -> Scope {
        let since = (now - self.last_full).to_std().unwrap_or_default();
        if since < FULL_EVERY {
            Scope::Suspect
        } else {
            self.last_full = now;
            Scope::Full
        }
    }

    async fn logged(&mut self, services: &Services, scope: Scope) {
        match check_all(services, scope).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(repaired = n, "boards repaired"),
            Err(e) => tracing::warn!(error = %e, "board check failed; will retry"),
        }
    }
}

impl Job for BoardCheck {
    const EVERY: Duration = PROBE_EVERY;

    async fn pass(&mut self, services: &Services, now: DateTime<Utc>) {
        let scope = self.scope(now);
        self.logged(services, scope).await;
    }
}
