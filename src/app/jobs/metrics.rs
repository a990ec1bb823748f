//! Folding the metrics' latency samples into their buckets every few seconds
//! ([`crate::metrics::Metrics::upkeep`]), so that they do not pile up in memory while nothing
//! scrapes `/metrics`.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::Job;
use crate::app::Services;

pub struct MetricsUpkeep;

impl Job for MetricsUpkeep {
    const EVERY: Duration = Duration::from_secs(5);

    async fn pass(&mut self, services: &Services, _now: DateTime<Utc>) {
        services.metrics.upkeep();
    }
}
