//! muster: 30-day habit challenges for shift workers.
//!
//! A map of the crate, from the outside in:
//! - [`cli`]: the command line, which only translates arguments into calls below;
//! - [`web`]: the HTTP server (axum), which does the same for requests;
//! - [`app`]: one function per use case (create a cohort, enrol, release a day...);
//! - [`domain`]: the words every layer shares (ids, the day number, who may read a reflection);
//! - [`rules`]: pure rules over plain data (the release calendar...), tested without I/O;
//! - [`pack`]: challenge packs: the model, loading TOML with positions, the checker;
//! - [`store`]: SQL on SQLite or PostgreSQL through one set of queries;
//! - [`mail`]: outgoing email, through an SMTP relay or to an outbox folder of `.eml` files;
//! - [`config`] and [`clock`]: layered configuration and the injected clock;
//! - [`files`]: files and folders only muster's own user may read;
//! - [`coalesce`]: one read for the requests that arrive together;
//! - [`versioned`]: values kept in memory until the callers' version in SQL moves.

pub mod app;
pub mod board;
pub mod cli;
pub mod clock;
pub mod coalesce;
pub mod config;
pub mod domain;
pub mod files;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod pack;
pub mod rules;
pub mod store;
pub mod versioned;
pub mod web;
pub mod webhook;
