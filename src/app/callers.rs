//! Callers kept in memory. Every page and API call first asks who is behind its session cookie or
//! bearer token, and the answer (the person and their memberships) changes only when a session
//! ends, a token is revoked, people are enrolled or a cohort's pack is pinned again. Each of those
//! writes moves the callers' version in SQL in its own transaction ([`Store::caller_version`]);
//! a caller kept under an older version is never used. So a change made by this process shows at
//! once, one made by another server or the CLI within a second, and knowing who is asking costs
//! the database one query a second rather than one per request.
//!
//! Only the hash of a secret is kept, as in the database. Unknown secrets are not remembered, so
//! a new session or token is found on its first use.

use std::collections::HashMap;
use std::sync::Mutex;

use super::people::Caller;

/// Beyond this many kept callers, all are forgotten and kept again as they come back: a bound
/// on memory that costs one query per active caller when crossed.
const MAX_KEPT: usize = 100_000;

/// What a secret was found to stand for.
#[derive(Debug, Clone)]
pub enum Known {
    Session {
        caller: Caller,
        csrf: String,
        /// Unix milliseconds; checked on every use, as the query does.
        expires_at: i64,
    },
    Token {
        caller: Caller,
        last_used_at: Option<i64>,
    },
}

/// The kept callers of one process, by the hash of their secret.
#[derive(Default)]
pub struct Callers(Mutex<Kept>);

#[derive(Default)]
struct Kept {
    /// The version the kept callers were read under.
    version: i64,
    by_hash: HashMap<String, Known>,
}

impl Callers {
    /// The caller kept for this secret hash, if it was read under `version`.
    pub fn get(&self, version: i64, secret_hash: &str) -> Option<Known> {
        let kept = self.lock();
        if kept.version != version {
            return None;
        }
        kept.by_hash.get(secret_hash).cloned()
    }

    /// Keeps what was read under `version` (the one current before the read began, so a change
    /// that lands during the read moves the version past it and the entry is never used).
    pub fn keep(&self, version: i64, secret_hash: String, known: Known) {
        let mut kept = self.lock();
        if version > kept.version {
            kept.version = version;
            kept.by_hash.clear();
        } else if version < kept.version {
            return;
        }
        if kept.by_hash.len() >= MAX_KEPT {
            kept.by_hash.clear();
        }
        kept.by_hash.insert(secret_hash, known);
    }

    /// Notes that a kept token's use was recorded, so it is not noted again within the hour.
    pub fn token_used(&self, secret_hash: &str, at: i64) {
        if let Some(Known::Token { last_used_at, .. }) = self.lock().by_hash.get_mut(secret_hash) {
            *last_used_at = Some(at);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::people::{Person, Role};

    fn token(name: &str) -> Known {
        Known::Token {
            caller: Caller {
                person: Person {
                    id: 1,
                    email: "a@b".into(),
                    display_name: name.into(),
                    role: Role::Participant,
                },
                memberships: Vec::new(),
            },
            last_used_at: None,
        }
    }

    fn name(known: Option<Known>) -> Option<String> {
        match known? {
            Known::Token { caller, .. } => Some(caller.person.display_name),
            Known::Session { .. } => None,
        }
    }

    #[test]
    fn a_caller_is_used_only_under_the_version_it_was_read_with() {
        let callers = Callers::default();
        callers.keep(3, "h".into(), token("Ann"));
        assert_eq!(name(callers.get(3, "h")), Some("Ann".into()));
        assert_eq!(name(callers.get(4, "h")), None, "the version moved");
        assert_eq!(name(callers.get(3, "other")), None);
    }

    #[test]
    fn a_newer_version_forgets_the_older_and_an_older_read_is_not_kept() {
        let callers = Callers::default();
        callers.keep(3, "h".into(), token("Ann"));
        callers.keep(4, "g".into(), token("Bea"));
        assert_eq!(name(callers.get(4, "h")), None, "forgotten with version 3");
        // A read that began before the version moved, finishing after: never used.
        callers.keep(3, "h".into(), token("Ann (stale)"));
        assert_eq!(name(callers.get(3, "h")), None);
        assert_eq!(name(callers.get(4, "h")), None);
        assert_eq!(name(callers.get(4, "g")), Some("Bea".into()));
    }
}
