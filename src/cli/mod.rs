//! The command line: one file per command group, each translating arguments into library calls.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use anyhow::Context;

use crate::app::{Outside, Services};
use crate::board::Board;
use crate::clock::Clock;
use crate::config::{Config, Overrides};
use crate::live::Live;
use crate::mail::Mailer;
use crate::rules::safeguarding::Checker;
use crate::store::Store;

mod archive;
mod cohort;
mod health;
mod leaderboard;
mod mail;
mod pack;
mod serve;

/// muster runs 30-day habit challenges for shift workers: a short challenge each day, done on shift,
/// with a reflection at the end of it.
#[derive(Debug, Parser)]
#[command(name = "muster", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// A configuration file (default: muster.toml when present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// The database: sqlite://PATH or postgres://USER@HOST/DB (overrides DATABASE_URL).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check and read challenge packs (the TOML files in the `packs_dir` folder).
    #[command(subcommand)]
    Pack(pack::PackCommand),
    /// Run the web server and its background jobs (releasing days, keeping the boards exact).
    Serve(serve::ServeArgs),
    /// Apply database migrations and exit.
    Migrate,
    /// Ask the server at `listen` for /healthz: exit 0 when it is up (the container's health check).
    Health,
    /// Print the effective configuration (secrets masked) and where each value came from.
    Config,
    /// Create and inspect cohorts: runs of a pack for a group of people.
    #[command(subcommand)]
    Cohort(cohort::CohortCommand),
    /// Enrol people in a cohort from a CSV file with columns email, name, team, role.
    Enrol(cohort::EnrolArgs),
    /// Rebuild or check the leaderboards from the points ledger.
    #[command(subcommand)]
    Leaderboard(leaderboard::LeaderboardCommand),
    /// Mail the outbox could not deliver.
    #[command(subcommand)]
    Mail(mail::MailCommand),
    /// Write a cohort, or everything, to an archive (a backup, or a move to another database).
    Export(archive::ExportArgs),
    /// Read an archive written by `export` into this database (all of it, or nothing).
    Import(archive::ImportArgs),
}

impl Cli {
    /// Runs the command, returning the process exit code: 0 success, 1 failure, 2 usage error.
    pub async fn run(self) -> ExitCode {
        let overrides = Overrides {
            config_file: self.config.clone(),
            listen: match &self.command {
                Command::Serve(args) => args.listen.clone(),
                _ => None,
            },
            database_url: self.database_url.clone(),
        };
        let config = match Config::load(&overrides) {
            Ok(config) => config,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        };
        let result = match self.command {
            Command::Pack(command) => return command.run(&config.packs_dir.value),
            Command::Config => {
                print!("{}", config.describe());
                Ok(())
            }
            Command::Serve(args) => serve::run(&config, args).await,
            Command::Health => health::run(config.listen.value).await,
            Command::Migrate => open_store(&config)
                .await
                .map(|_| println!("migrations applied")),
            Command::Cohort(command) => command.run(&config).await,
            Command::Enrol(args) => cohort::enrol(&config, args).await,
            Command::Leaderboard(command) => command.run(&config).await,
            Command::Mail(command) => command.run(&config).await,
            Command::Export(args) => archive::export(&config, args).await,
            Command::Import(args) => archive::import(&config, args).await,
        };
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        }
    }
}

/// Connects to the configured database and brings its schema up to date.
async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let url = crate::config::mask_url(&config.database_url.value);
    let store = Store::connect(&config.database_url.value)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("cannot migrate the database {url}"))?;
    Ok(store)
}

/// The use cases' view of the world, built from the configuration on the system clock: the
/// database (migrated), mail, the safeguarding checker, the boards and live updates.
async fn open_services(config: &Config) -> anyhow::Result<Services> {
    let store = open_store(config).await?;
    let mailer = Mailer::new(
        config.smtp_url.as_ref().map(|s| s.value.as_str()),
        config.data_dir.value.join("outbox"),
        &config.mail_from.value,
    )
    .context("the mail settings (smtp_url, mail_from) are not valid")?;
    tracing::info!(mail = %mailer.describe(), "mail");
    let safeguarding = Checker::with_extra(&config.safeguarding_patterns)
        .context("a [safeguarding] pattern in the configuration is not valid")?;
    let board = match &config.redis_url {
        Some(redis) => Board::redis(&redis.value, &config.redis_prefix.value)
            .await
            .with_context(|| {
                format!(
                    "cannot reach Redis at {} (from {})",
                    crate::config::mask_url(&redis.value),
                    redis.origin
                )
            })?,
        None => Board::in_memory(),
    };
    let live = match &config.redis_url {
        Some(redis) => Live::redis(&redis.value, &config.redis_prefix.value)
            .await
            .context("cannot subscribe to live updates on Redis")?,
        None => Live::local(),
    };
    tracing::info!(board = board.describe(), "leaderboards");
    Ok(Services::new(Outside {
        store,
        clock: Clock::System,
        mailer,
        safeguarding,
        board,
        live,
        base_url: config.base_url.value.clone(),
    }))
}
