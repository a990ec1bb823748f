//! The in-process board: the same boards as Redis, in a map behind a mutex, for one server
//! without Redis.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Key, Score, Standing, View, rank};

#[derive(Default)]
pub struct Memory {
    boards: Mutex<HashMap<(i64, Key), HashMap<i64, Score>>>,
}

impl Memory {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<(i64, Key), HashMap<i64, Score>>) -> T) -> T {
        f(&mut self.boards.lock().unwrap_or_else(|e| e.into_inner()))
    }

    pub fn add(&self, cohort: i64, targets: &[(Key, i64)], points: i64, at: i64) {
        self.with(|boards| {
            for (key, member) in targets {
                let score = boards
                    .entry((cohort, key.clone()))
                    .or_default()
                    .entry(*member)
                    .or_insert(Score {
                        points: 0,
                        reached: at,
                    });
                score.points += points;
                score.reached = score.reached.max(at);
            }
        });
    }

    pub fn complete(&self, cohort: i64, day: u32, member: i64, at: i64) {
        self.with(|boards| {
            boards
                .entry((cohort, Key::Day(day)))
                .or_default()
                .entry(member)
                .or_insert(Score {
                    points: 0,
                    reached: at,
                });
        });
    }

    fn ranked(&self, cohort: i64, key: &Key) -> Vec<Standing> {
        let members = self.with(|boards| {
            boards
                .get(&(cohort, key.clone()))
                .map(|m| m.iter().map(|(k, v)| (*k, *v)).collect())
                .unwrap_or_default()
        });
        rank(members)
    }

    pub fn range(&self, cohort: i64, key: &Key, start: usize, count: usize) -> Vec<Standing> {
        self.ranked(cohort, key)
            .into_iter()
            .skip(start)
            .take(count)
            .collect()
    }

    pub fn position(&self, cohort: i64, key: &Key, member: i64) -> Option<usize> {
        self.ranked(cohort, key)
            .iter()
            .position(|s| s.member == member)
    }

    pub fn replace(&self, cohort: i64, view: &View) {
        self.with(|boards| {
            boards.retain(|(c, _), _| *c != cohort);
            for (key, members) in &view.boards {
                boards.insert((cohort, key.clone()), members.iter().copied().collect());
            }
        });
    }
}
