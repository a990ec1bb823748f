//! All integration tests in one binary, so a change to the crate links one test executable, not
//! one per file. One module per area; `support` is the shared harness (a fresh database per test
//! on each backend, the real server, SMTP, Redis, a browser).

#[macro_use]
mod support;

mod api;
mod architecture;
mod archive;
mod batches;
mod boards;
mod briefing;
mod briefing_browser;
mod browser;
mod channel;
mod digest;
mod hardening;
mod lead;
mod mail;
mod mail_faults;
mod observability;
mod outbox;
mod pack_check;
mod participants;
mod privacy;
mod reliability;
mod reminders;
mod roles;
mod safeguarding_corpus;
mod scheduler;
mod scoring;
mod server;
mod storage;
mod team;
mod today;
mod today_browser;
