//! Writing the API tokens' noted uses ([`crate::app::signin::TokenUses`]) every few seconds, and
//! once more on the way out, rather than one write per request.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Job;
use crate::app::{AppError, Services};

pub struct TokenUses;

impl TokenUses {
    /// Writes the uses noted since the last pass; those that fail stay noted for the next.
    pub async fn tick(services: &Services) -> Result<(), AppError> {
        services.token_uses.write(&services.store).await
    }

    async fn logged(services: &Services) {
        if let Err(e) = Self::tick(services).await {
            tracing::warn!(error = %e, "cannot record API token uses; will retry");
        }
    }
}

impl Job for TokenUses {
    const EVERY: Duration = Duration::from_secs(5);

    async fn pass(&mut self, services: &Services, _now: DateTime<Utc>) {
        Self::logged(services).await;
    }

    async fn last(&mut self, services: &Services) {
        Self::logged(services).await;
    }
}
