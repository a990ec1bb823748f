//! `muster leaderboard`: rebuild or check the boards (Redis, or in-process) from the SQL ledger.

use anyhow::Context;
use clap::Subcommand;

use crate::app::cohort;
use crate::app::leaderboard::{self, Check};
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum LeaderboardCommand {
    /// Recompute every board from the points ledger and replace what Redis holds.
    Rebuild {
        /// Only this cohort (default: all).
        #[arg(long, value_name = "ID")]
        cohort: Option<i64>,
    },
    /// Compare every board with the ledger; repair and report any that differ.
    Check,
}

impl LeaderboardCommand {
    pub async fn run(self, config: &Config) -> anyhow::Result<()> {
        let services = super::open_services(config).await?;
        if config.redis_url.is_none() {
            println!(
                "note: no REDIS_URL: the boards live inside each `muster serve` process, which rebuilds them at start-up"
            );
        }
        match self {
            LeaderboardCommand::Rebuild { cohort: Some(id) } => {
                let cohort = cohort::get(&services, id).await?;
                leaderboard::rebuild(&services, &cohort)
                    .await
                    .with_context(|| format!("cannot rebuild the boards of cohort {id}"))?;
                println!("rebuilt the boards of cohort {id}");
            }
            LeaderboardCommand::Rebuild { cohort: None } => {
                for row in cohort::list(&services).await? {
                    let id = row.id;
                    let cohort = cohort::Cohort::load(&services, row).await?;
                    leaderboard::rebuild(&services, &cohort)
                        .await
                        .with_context(|| format!("cannot rebuild the boards of cohort {id}"))?;
                    println!("rebuilt the boards of cohort {id}");
                }
            }
            LeaderboardCommand::Check => {
                for row in cohort::list(&services).await? {
                    let id = row.id;
                    let cohort = cohort::Cohort::load(&services, row).await?;
                    match leaderboard::check(&services, &cohort).await? {
                        Check::Equal => println!("cohort {id}: equal to the ledger"),
                        Check::Repaired => {
                            println!("cohort {id}: differed from the ledger; repaired")
                        }
                        Check::Busy => println!(
                            "cohort {id}: differed while submissions were arriving; run it again"
                        ),
                    }
                }
            }
        }
        Ok(())
    }
}
