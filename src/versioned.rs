//! Values kept in memory under a version: each is used only while the version it was read under
//! is current, and all are forgotten once a newer one is seen. The version in use is the callers'
//! version kept in SQL ([`crate::store::callers`]), which every change to who belongs where
//! moves: callers, people's names and team sizes are kept under it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Beyond this many values, all are forgotten and read again as they are asked for: a bound on
/// memory that costs one read per value in use when crossed.
const MAX_KEPT: usize = 100_000;

pub struct Versioned<K, V>(Mutex<Kept<K, V>>);

struct Kept<K, V> {
    /// The version the values were read under.
    version: i64,
    values: HashMap<K, V>,
}

impl<K, V> Default for Versioned<K, V> {
    fn default() -> Self {
        Versioned(Mutex::new(Kept {
            version: i64::MIN,
            values: HashMap::new(),
        }))
    }
}

impl<K: Eq + Hash, V: Clone> Versioned<K, V> {
    /// The value kept for `key`, if it was read under `version`.
    pub fn get<Q: Eq + Hash + ?Sized>(&self, version: i64, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
    {
        let kept = self.lock();
        if kept.version != version {
            return None;
        }
        kept.values.get(key).cloned()
    }

    /// Keeps what was read under `version`: the version current before the read began, so a
    /// change that lands during the read moves the version past it and the value is not used.
    pub fn keep(&self, version: i64, key: K, value: V) {
        let mut kept = self.lock();
        if version > kept.version {
            kept.version = version;
            kept.values.clear();
        } else if version < kept.version {
            return;
        }
        if kept.values.len() >= MAX_KEPT {
            kept.values.clear();
        }
        kept.values.insert(key, value);
    }

    /// Changes a kept value in place, if there is one.
    pub fn update<Q: Eq + Hash + ?Sized>(&self, key: &Q, change: impl FnOnce(&mut V))
    where
        K: Borrow<Q>,
    {
        if let Some(value) = self.lock().values.get_mut(key) {
            change(value);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<K, V>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_used_only_under_the_version_it_was_read_with() {
        let kept = Versioned::default();
        kept.keep(3, "h", "Ann");
        assert_eq!(kept.get(3, &"h"), Some("Ann"));
        assert_eq!(kept.get(4, &"h"), None, "the version moved");
        assert_eq!(kept.get(3, &"other"), None);
    }

    #[test]
    fn a_newer_version_forgets_the_older_and_an_older_read_is_not_kept() {
        let kept = Versioned::default();
        kept.keep(3, "h", "Ann");
        kept.keep(4, "g", "Bea");
        assert_eq!(kept.get(4, &"h"), None, "forgotten with version 3");
        // A read that began before the version moved and finished after: never used.
        kept.keep(3, "h", "Ann (stale)");
        assert_eq!(kept.get(3, &"h"), None);
        assert_eq!(kept.get(4, &"h"), None);
        assert_eq!(kept.get(4, &"g"), Some("Bea"));
        kept.update(&"g", |name| *name = "Bea (changed)");
        assert_eq!(kept.get(4, &"g"), Some("Bea (changed)"));
    }
}
