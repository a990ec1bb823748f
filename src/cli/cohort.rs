//! `muster cohort ...` and `muster enrol`: what a change lead does before the web admin exists.

use crate::domain::Day;
use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::{Duration, NaiveDate};
use clap::{Args, Subcommand};

use crate::app::channel::{self, ChannelFormat};
use crate::app::cohort::{self, CohortRequest, PackChange};
use crate::app::digest::{self, DigestTime};
use crate::app::enrol::{EnrolError, enrol_csv};
use crate::app::reminders::CohortReminders;
use crate::config::Config;
use crate::domain::CohortId;
use crate::rules::quiet::{QuietHours, QuietHoursError};

#[derive(Debug, Subcommand)]
pub enum CohortCommand {
    /// Start a cohort of a pack.
    ///
    /// Example: muster cohort create --pack digital-confidence --name "Birmingham East, January"
    /// --start 2027-01-04 --tz Europe/London --release "0 6 * * *" --grace 6h
    Create {
        /// The pack: an id in challenges/ or a path to a pack folder.
        #[arg(long)]
        pack: String,
        #[arg(long)]
        name: String,
        /// The first day, as YYYY-MM-DD.
        #[arg(long)]
        start: NaiveDate,
        /// IANA time zone the release time is in, e.g. Europe/London.
        #[arg(long = "tz", default_value = "Europe/London")]
        time_zone: String,
        /// When each day is released: a five-field cron expression in the cohort's time zone.
        #[arg(long, default_value = "0 6 * * *")]
        release: String,
        /// How long after the next release a day may still be completed on time, e.g. 6h or 90m.
        #[arg(long, default_value = "6h", value_parser = parse_grace)]
        grace: Duration,
        /// An anonymous reflection appears only once at least this many people besides any
        /// reader could have written it (5 or more).
        #[arg(long = "anonymous-crowd", default_value_t = cohort::DEFAULT_ANONYMITY_K)]
        anonymity_k: u32,
        /// How long before a day closes to remind those who have not done it, e.g. 2h or 90m;
        /// `off` for no such reminder.
        #[arg(long = "closing-reminder", default_value = "2h", value_parser = parse_closing_reminder)]
        // Spelt out so that clap takes the parser's `Option` as the value, not as "may be absent".
        closing_reminder: std::option::Option<Duration>,
        /// When people get no reminders unless they choose their own, in the cohort's time zone,
        /// e.g. 21:00-07:00; `none` for none.
        #[arg(long = "quiet-hours", default_value = "21:00-07:00", value_parser = parse_quiet_hours)]
        quiet_hours: std::option::Option<QuietHours>,
    },
    /// List cohorts.
    List,
    /// Where a cohort stands: day N of 30, released days, the next release, people per team.
    Status { id: i64 },
    /// Use the pack as it now is on disk for the days not yet released.
    UpdatePack { id: i64 },
    /// Change when a cohort's weekly digest goes, and its team channel.
    ///
    /// Example: muster cohort set 3 --digest "mon 06:00" --channel-webhook
    /// https://example.webhook.office.com/... --channel-format teams
    Set {
        id: i64,
        /// When the managers' weekly digest goes: a weekday and a time of day in the cohort's
        /// time zone, e.g. "mon 06:00"; `off` for none.
        #[arg(long, value_name = "WHEN")]
        digest: Option<DigestTime>,
        /// The incoming webhook of the team channel the morning summary is posted to (a secret:
        /// it is never printed in full); `none` to post nowhere.
        #[arg(long = "channel-webhook", value_name = "URL")]
        channel_webhook: Option<String>,
        /// How the channel takes messages: teams or slack. Needed with a webhook.
        #[arg(long = "channel-format", value_name = "FORMAT")]
        channel_format: Option<ChannelFormat>,
    },
}

#[derive(Debug, Args)]
pub struct EnrolArgs {
    #[arg(long)]
    cohort: i64,
    /// CSV with a header row naming email, name, team and role.
    #[arg(long)]
    csv: PathBuf,
}

/// `6h`, `90m`, `0`: hours or minutes.
fn parse_grace(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write e.g. 6h or 90m"))?;
    match unit {
        "h" => Ok(Duration::hours(n)),
        "m" => Ok(Duration::minutes(n)),
        "" if n == 0 => Ok(Duration::zero()),
        _ => Err(format!("`{text}` is not a duration; write e.g. 6h or 90m")),
    }
}

/// A duration as for `--grace`, or `off`.
fn parse_closing_reminder(text: &str) -> Result<Option<Duration>, String> {
    if text.trim() == "off" {
        return Ok(None);
    }
    parse_grace(text).map(Some)
}

/// `HH:MM-HH:MM`, or `none`.
fn parse_quiet_hours(text: &str) -> Result<Option<QuietHours>, String> {
    if text.trim() == "none" {
        return Ok(None);
    }
    text.parse()
        .map(Some)
        .map_err(|e: QuietHoursError| e.to_string())
}

impl CohortCommand {
    pub async fn run(self, config: &Config) -> anyhow::Result<()> {
        let services = super::open_services(config).await?;
        let packs_dir = &config.packs_dir.value;
        match self {
            CohortCommand::Create {
                pack,
                name,
                start,
                time_zone,
                release,
                grace,
                anonymity_k,
                closing_reminder,
                quiet_hours,
            } => {
                let request = CohortRequest {
                    pack,
                    name,
                    start,
                    time_zone,
                    release_cron: release,
                    grace,
                    anonymity_k,
                    reminders: CohortReminders {
                        closing_before: closing_reminder,
                        quiet_hours,
                    },
                };
                let id = cohort::create(&services, packs_dir, &request).await?;
                println!(
                    "created cohort {id}; enrol people with `muster enrol --cohort {id} --csv people.csv`"
                );
            }
            CohortCommand::List => {
                let rows = cohort::list(&services).await?;
                if rows.is_empty() {
                    println!("no cohorts yet; create one with `muster cohort create`");
                }
                for row in rows {
                    println!(
                        "{:>4}  {:<36} {} v{}  from {} ({}, \"{}\")",
                        row.id,
                        row.name,
                        row.pack_id,
                        row.pack_version,
                        row.start_date,
                        row.time_zone,
                        row.release_cron
                    );
                }
            }
            CohortCommand::Status { id } => {
                let status = cohort::status(&services, packs_dir, id).await?;
                let c = &status.cohort;
                let (pack_id, pack_version) = c.pack_pin();
                println!("Cohort {}: {}", c.id(), c.name());
                println!("Pack:      {pack_id} v{pack_version}");
                println!(
                    "Schedule:  \"{}\" in {}, grace {} min",
                    c.release_cron(),
                    c.time_zone(),
                    c.grace().num_minutes()
                );
                let length = c.calendar.length();
                match status.days_due {
                    0 => println!("Day:       not started (day 1 of {length} comes first)"),
                    n => println!("Day:       {n} of {length}"),
                }
                println!("Released:  {}", ranges(&status.released_days));
                match status.next_release {
                    Some((day, at)) => println!(
                        "Next:      day {day} at {} ({} UTC)",
                        at.with_timezone(&c.tz).format("%Y-%m-%d %H:%M %Z"),
                        at.format("%Y-%m-%d %H:%M")
                    ),
                    None => println!("Next:      none: every day is released"),
                }
                let when = digest::time(&services, c.id()).await?;
                println!("Digest:    {}", said(when));
                match channel::shown(&services, c.id()).await? {
                    Some(ch) => println!("Channel:   {} ({})", ch.webhook, ch.format.as_str()),
                    None => println!("Channel:   none"),
                }
                if status.teams.is_empty() {
                    println!("People:    nobody enrolled yet");
                }
                for team in &status.teams {
                    let name = team.team.as_deref().unwrap_or("(no team)");
                    println!(
                        "  {name:<30} {:>5} {}",
                        team.people,
                        team.role.replace('_', " ")
                    );
                }
                match status.pack_on_disk {
                    Some(PackChange::Changed { version }) => println!(
                        "warning: the pack on disk has changed (now v{version}); released days keep their wording. \
                         Run `muster cohort update-pack {id}` to use it for the days not yet released."
                    ),
                    Some(PackChange::Broken { errors }) => {
                        println!(
                            "warning: the pack on disk has {errors} error(s); the cohort keeps its pinned copy"
                        )
                    }
                    Some(PackChange::Missing) => println!(
                        "warning: the pack is no longer on disk; the cohort keeps its pinned copy"
                    ),
                    None => {}
                }
            }
            CohortCommand::Set {
                id,
                digest,
                channel_webhook,
                channel_format,
            } => {
                // Everything is checked before anything changes.
                let channel = match (channel_webhook.as_deref().map(str::trim), channel_format) {
                    (None, None) => None,
                    (Some("none"), None) => Some(None),
                    (Some("none"), Some(_)) => {
                        bail!("--channel-format goes with a webhook, not with `none`")
                    }
                    (Some(url), Some(format)) => Some(Some((url, format))),
                    (Some(_), None) => bail!(
                        "--channel-webhook needs --channel-format teams or --channel-format slack"
                    ),
                    (None, Some(_)) => bail!("--channel-format goes with --channel-webhook"),
                };
                if digest.is_none() && channel.is_none() {
                    bail!("nothing to change: give --digest or --channel-webhook");
                }
                if let Some(Some((url, _))) = channel {
                    crate::webhook::check_url(url)
                        .map_err(|why| anyhow::anyhow!("--channel-webhook: {why}"))?;
                }
                let cohort = CohortId(id);
                if let Some(when) = digest {
                    digest::set_time(&services, cohort, when).await?;
                    println!("cohort {id}: the weekly digest goes {}", said(when));
                }
                match channel {
                    Some(Some((url, format))) => {
                        channel::set(&services, cohort, Some((url, format))).await?;
                        println!(
                            "cohort {id}: the morning summary is posted to {} ({})",
                            crate::webhook::mask(url),
                            format.as_str()
                        );
                    }
                    Some(None) => {
                        channel::set(&services, cohort, None).await?;
                        println!("cohort {id}: no team channel");
                    }
                    None => {}
                }
            }
            CohortCommand::UpdatePack { id } => {
                let (old, new) = cohort::apply_pack_update(&services, packs_dir, id).await?;
                println!("cohort {id} now uses v{new} (was v{old}) for the days not yet released");
            }
        }
        Ok(())
    }
}

pub async fn enrol(config: &Config, args: EnrolArgs) -> anyhow::Result<()> {
    let services = super::open_services(config).await?;
    let text = std::fs::read_to_string(&args.csv)
        .with_context(|| format!("cannot read {}", args.csv.display()))?;
    match enrol_csv(&services, args.cohort, &text).await {
        Ok(summary) => {
            println!("cohort {}: {summary}", args.cohort);
            Ok(())
        }
        Err(EnrolError::BadRows(problems)) => {
            for problem in &problems {
                eprintln!("{}:{problem}", args.csv.display());
            }
            bail!(
                "{} bad row(s) in {}; nothing was imported",
                problems.len(),
                args.csv.display()
            )
        }
        Err(EnrolError::App(e)) => Err(e.into()),
    }
}

/// When a digest goes, in words: `off`, `on Mondays at 06:00`.
fn said(when: DigestTime) -> String {
    match when {
        DigestTime::Off => "never (off)".into(),
        DigestTime::Weekly { weekday, at } => {
            let day = match weekday {
                chrono::Weekday::Mon => "Monday",
                chrono::Weekday::Tue => "Tuesday",
                chrono::Weekday::Wed => "Wednesday",
                chrono::Weekday::Thu => "Thursday",
                chrono::Weekday::Fri => "Friday",
                chrono::Weekday::Sat => "Saturday",
                chrono::Weekday::Sun => "Sunday",
            };
            format!(
                "on {day}s at {} (the cohort's time zone)",
                at.format("%H:%M")
            )
        }
    }
}

/// `1-5, 7`
fn ranges(days: &[Day]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = days.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&end.next()) {
            end = iter.next().unwrap_or(end);
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    if parts.is_empty() {
        "none yet".into()
    } else {
        parts.join(", ")
    }
}
