//! `muster mail`: what the outbox could not deliver, for the change lead.

use clap::Subcommand;

use crate::app::jobs::outbox;
use crate::config::Config;

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// List the messages given up (refused for good, a bad address, too many refusals, or a
    /// reminder whose day closed first), newest first, with the reason.
    Failed {
        /// A cohort's reminders (default: sign-in mail, which belongs to no cohort).
        #[arg(long, value_name = "ID")]
        cohort: Option<i64>,
    },
}

impl MailCommand {
    pub async fn run(self, config: &Config) -> anyhow::Result<()> {
        let store = super::open_store(config).await?;
        let MailCommand::Failed { cohort } = self;
        let failed = outbox::failed(&store, cohort).await?;
        if failed.is_empty() {
            println!("no undelivered mail");
        }
        for f in failed {
            let day = f.day.map(|d| format!(" day {d}")).unwrap_or_default();
            println!(
                "{}  {} <{}>  {}{day}  {}",
                f.failed_at.format("%Y-%m-%d %H:%M UTC"),
                f.display_name,
                f.email,
                f.kind,
                f.failure
            );
        }
        Ok(())
    }
}
