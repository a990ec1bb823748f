//! `muster export` and `muster import`: backups and moving house (`app::archive` says the format).

use std::fs::OpenOptions;
use std::io::BufWriter;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::app::archive;
use crate::config::Config;
use crate::domain::CohortId;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only this cohort, with its people and teams (default: everything).
    #[arg(long, value_name = "ID")]
    cohort: Option<i64>,
    /// The archive to write (a tar file); it holds personal data, so it is made readable by its
    /// owner only.
    #[arg(long, short, value_name = "FILE")]
    output: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// An archive written by `muster export`.
    #[arg(value_name = "FILE")]
    archive: PathBuf,
}

/// Writes the archive beside its final name and renames it there once complete, so an export
/// cut short never leaves a file that looks like an archive.
pub async fn export(config: &Config, args: ExportArgs) -> anyhow::Result<()> {
    let services = super::open_services(config).await?;
    let partial = args.output.with_extension("partial");
    let file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let manifest = archive::export(&services, args.cohort.map(CohortId), BufWriter::new(file))
        .await
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })?;
    std::fs::rename(&partial, &args.output).with_context(|| {
        format!(
            "cannot rename {} to {}",
            partial.display(),
            args.output.display()
        )
    })?;
    let rows: u64 = manifest.files.iter().map(|f| f.rows).sum();
    println!(
        "wrote {} ({} tables, {rows} rows, schema {})",
        args.output.display(),
        manifest.files.len(),
        manifest.schema
    );
    Ok(())
}

pub async fn import(config: &Config, args: ImportArgs) -> anyhow::Result<()> {
    let services = super::open_services(config).await?;
    let file = std::fs::File::open(&args.archive)
        .with_context(|| format!("cannot open {}", args.archive.display()))?;
    let imported = archive::import(&services, std::io::BufReader::new(file))
        .await
        .with_context(|| format!("cannot import {}", args.archive.display()))?;
    let cohorts: Vec<String> = imported.cohorts.iter().map(|c| c.0.to_string()).collect();
    println!(
        "imported {} rows; cohorts {}; boards rebuilt from the ledger",
        imported.rows,
        cohorts.join(", ")
    );
    Ok(())
}
