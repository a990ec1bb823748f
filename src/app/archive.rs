//! Backups and moving house: `muster export` writes a cohort, or everything, to an archive, and
//! `muster import` reads one into another database (SQLite to PostgreSQL is export then import).
//!
//! The archive is a tar file (format [`FORMAT`], version [`VERSION`]):
//!
//! - `manifest.json` first: the format and its version, the schema version (the latest
//!   migration) of the database it came from, what it holds (`all` or one cohort), when it was
//!   written, and per file its table, row count and SHA-256.
//! - one `<table>.jsonl` per table of [`archive::TABLES`]: one JSON object per row, by column
//!   name; integers as numbers, text as strings, NULL as null.
//!
//! An import checks all of it before writing (every listed file there, nothing else, counts and
//! checksums equal, the same schema) and writes every table in one transaction: a truncated,
//! altered or conflicting archive is refused and the database is left as it was. Rows keep their
//! ids, so an import goes into a database that holds none of them (a new one, or one without
//! those cohorts and people). The checksums find damage, not a forger: the manifest is not signed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{AppError, Services, cohort, leaderboard};
use crate::domain::CohortId;
use crate::store::StoreError;
use crate::store::archive::{self, Row, Scope, TABLES, WriteError};

/// What `manifest.json`'s `format` says.
pub const FORMAT: &str = "muster-archive";
/// The archive layout's version; an import refuses any other.
pub const VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";

/// Why an export or import failed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// The archive cannot be imported here: damaged, of another version, or conflicting with
    /// what the database holds. Nothing was written.
    #[error("{0}")]
    Refused(String),
    #[error("cannot read or write the archive: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<StoreError> for ArchiveError {
    fn from(e: StoreError) -> Self {
        ArchiveError::App(AppError::Store(e))
    }
}

fn refused(why: impl Into<String>) -> ArchiveError {
    ArchiveError::Refused(why.into())
}

/// `manifest.json`.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    /// The latest migration of the database written from.
    pub schema: i64,
    /// When it was written (RFC 3339, UTC).
    pub created_at: String,
    /// The cohort archived, or none for the whole database.
    pub cohort: Option<CohortId>,
    pub files: Vec<FileEntry>,
}

/// One table's file in the manifest.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileEntry {
    pub name: String,
    pub table: String,
    pub rows: u64,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// What an import wrote.
#[derive(Debug)]
pub struct Imported {
    pub cohorts: Vec<CohortId>,
    pub rows: u64,
}

fn file_name(table: &str) -> String {
    format!("{table}.jsonl")
}

fn sha256(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Writes the archive of `cohort` (or of everything) to `out`, read from one moment of the
/// database; returns its manifest.
pub async fn export(
    services: &Services,
    cohort: Option<CohortId>,
    out: impl Write,
) -> Result<Manifest, ArchiveError> {
    let store = &services.store;
    if let Some(id) = cohort {
        cohort::get(services, id.0).await?;
    }
    let scope = cohort.map_or(Scope::All, Scope::Cohort);
    let mut tx = archive::begin_snapshot(store).await?;
    let schema = archive::schema_version(tx.conn()).await?;
    let mut files = Vec::with_capacity(TABLES.len());
    let mut entries = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let rows = archive::read(&mut tx, store.backend(), table, scope).await?;
        let mut bytes = Vec::new();
        for row in &rows {
            serde_json::to_writer(&mut bytes, row).map_err(std::io::Error::from)?;
            bytes.push(b'\n');
        }
        entries.push(FileEntry {
            name: file_name(table.name),
            table: table.name.to_string(),
            rows: rows.len() as u64,
            sha256: sha256(&bytes),
        });
        files.push(bytes);
    }
    drop(tx);
    let now = services.clock.now();
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        schema,
        created_at: now.to_rfc3339(),
        cohort,
        files: entries,
    };
    let mut tar = tar::Builder::new(out);
    let mtime = now.timestamp().max(0) as u64;
    let json = serde_json::to_vec_pretty(&manifest).map_err(std::io::Error::from)?;
    append(&mut tar, MANIFEST, &json, mtime)?;
    for (entry, bytes) in manifest.files.iter().zip(&files) {
        append(&mut tar, &entry.name, bytes, mtime)?;
    }
    tar.into_inner()?.flush()?;
    Ok(manifest)
}

fn append<W: Write>(
    tar: &mut tar::Builder<W>,
    name: &str,
    bytes: &[u8],
    mtime: u64,
) -> std::io::Result<()> {
    let mut header = tar::Header::new_ustar();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(mtime);
    header.set_cksum();
    tar.append_data(&mut header, name, bytes)
}

/// Reads the archive in `input` into this database in one transaction, then rebuilds the
/// imported cohorts' boards from their ledgers. Refuses, writing nothing, an archive that is
/// damaged, of another format or schema, or whose rows the database already holds.
pub async fn import(services: &Services, input: impl Read) -> Result<Imported, ArchiveError> {
    let (manifest, tables) = unpack(input)?;
    let store = &services.store;
    let mut tx = store.begin_write().await?;
    let schema = archive::schema_version(tx.conn()).await?;
    if manifest.schema != schema {
        return Err(refused(format!(
            "the archive was written on schema {}, but this database is on {schema}: \
             import with the muster release that wrote it, into a database it has migrated",
            manifest.schema
        )));
    }
    let mut rows = 0;
    for table in TABLES {
        let table_rows = &tables[table.name];
        archive::write(&mut tx, store.backend(), table, table_rows)
            .await
            .map_err(|e| match e {
                WriteError::Shape(why) => refused(format!("nothing was imported: {why}")),
                WriteError::Store(e) => e.into(),
            })?;
        rows += table_rows.len() as u64;
    }
    let cohorts: Vec<CohortId> = tables["cohorts"]
        .iter()
        .map(|row| match row.get("id") {
            Some(Some(archive::Value::Int(id))) => Ok(CohortId(*id)),
            _ => Err(refused("a row of cohorts.jsonl has no id")),
        })
        .collect::<Result<_, _>>()?;
    archive::derive(&mut tx, &cohorts).await?;
    tx.commit().await?;
    for id in &cohorts {
        let cohort = cohort::get(services, id.0).await?;
        leaderboard::rebuild(services, &cohort).await?;
    }
    Ok(Imported { cohorts, rows })
}

/// The manifest and every table's rows, checked against each other.
fn unpack(input: impl Read) -> Result<(Manifest, BTreeMap<&'static str, Vec<Row>>), ArchiveError> {
    let damaged = |why: String| refused(format!("the archive is damaged or truncated: {why}"));
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut tar = tar::Archive::new(input);
    for entry in tar.entries().map_err(|e| damaged(e.to_string()))? {
        let mut entry = entry.map_err(|e| damaged(e.to_string()))?;
        let name = entry
            .path()
            .map_err(|e| damaged(e.to_string()))?
            .to_string_lossy()
            .into_owned();
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| damaged(format!("{name}: {e}")))?;
        if files.insert(name.clone(), bytes).is_some() {
            return Err(damaged(format!("{name} appears twice")));
        }
    }
    let manifest = files
        .remove(MANIFEST)
        .ok_or_else(|| damaged(format!("it has no {MANIFEST} (is it a muster archive?)")))?;
    let manifest: Manifest = serde_json::from_slice(&manifest)
        .map_err(|e| damaged(format!("{MANIFEST} cannot be read: {e}")))?;
    if manifest.format != FORMAT {
        return Err(refused(format!(
            "this is not a muster archive ({MANIFEST} says format `{}`)",
            manifest.format
        )));
    }
    if manifest.version != VERSION {
        return Err(refused(format!(
            "the archive is of format version {}; this muster reads version {VERSION}",
            manifest.version
        )));
    }
    let listed: BTreeSet<&str> = manifest.files.iter().map(|f| f.name.as_str()).collect();
    if let Some(extra) = files.keys().find(|name| !listed.contains(name.as_str())) {
        return Err(damaged(format!("{extra} is not in the manifest")));
    }
    let mut tables = BTreeMap::new();
    for table in TABLES {
        let name = file_name(table.name);
        let entry = manifest
            .files
            .iter()
            .find(|f| f.name == name && f.table == table.name)
            .ok_or_else(|| damaged(format!("the manifest lists no {name}")))?;
        let bytes = files
            .get(&name)
            .ok_or_else(|| damaged(format!("{name} is missing")))?;
        if sha256(bytes) != entry.sha256 {
            return Err(damaged(format!(
                "{name} does not match its checksum in the manifest (altered or cut short)"
            )));
        }
        let rows = std::str::from_utf8(bytes)
            .map_err(|_| damaged(format!("{name} is not UTF-8")))?
            .lines()
            .enumerate()
            .map(|(i, line)| {
                serde_json::from_str::<Row>(line)
                    .map_err(|e| damaged(format!("{name} line {}: {e}", i + 1)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if rows.len() as u64 != entry.rows {
            return Err(damaged(format!(
                "{name} has {} rows, the manifest says {}",
                rows.len(),
                entry.rows
            )));
        }
        tables.insert(table.name, rows);
    }
    Ok((manifest, tables))
}
