//! Pack-wide checks: those that need every day in view (each day once, habits that recur and
//! do not repeat themselves word for word).

use std::collections::BTreeMap;

use super::{Header, LoadedDay, Loader};
use crate::pack::diagnostic::Diagnostic;

impl Loader {
    /// Every day from 1 to the length exactly once.
    pub(super) fn check_day_numbers(&mut self, days: &[LoadedDay], length: u32, header: &Header) {
        let mut seen: BTreeMap<u32, &LoadedDay> = BTreeMap::new();
        for day in days {
            let Some(number) = day.number else { continue };
            match (seen.get(&number), day.source_index, &day.number_span) {
                (Some(first), Some(index), Some(span)) => {
                    let first_path = first
                        .source_index
                        .map(|i| self.sources[i].path.display().to_string());
                    let hint = format!(
                        "day {number} is already {}; give this one another number",
                        first_path.unwrap_or_else(|| "taken".into())
                    );
                    self.out.push(
                        Diagnostic::error(
                            "duplicate-day",
                            format!("day {number} is defined twice"),
                        )
                        .at(&self.sources[index], span.clone())
                        .label("a second day with this number")
                        .hint(hint),
                    );
                }
                (Some(_), _, _) => {}
                (None, _, _) => {
                    seen.insert(number, day);
                }
            }
        }
        let pack_source = &self.sources[header.source_index];
        if days.is_empty() {
            self.out.push(
                Diagnostic::error(
                    "no-days",
                    format!("this pack has no days: days must run 1 to {length}"),
                )
                .at(pack_source, header.length_span.clone())
                .hint("add days/01.toml, days/02.toml and so on; challenges/README.md shows a day"),
            );
            return;
        }
        for number in (1..=length).filter(|n| !seen.contains_key(n)) {
            self.out.push(
                Diagnostic::error(
                    "missing-day",
                    format!("day {number} is missing: days must run 1 to {length}"),
                )
                .at(pack_source, header.length_span.clone())
                .label(format!("{length} days"))
                .hint(format!("add days/{number:02}.toml with `day = {number}`")),
            );
        }
    }

    /// Days that share a habit should not repeat each other word for word, and a habit should
    /// recur. A habit is only called lonely when every day file could be read, since an unreadable
    /// one may share it.
    pub(super) fn check_habits(&mut self, days: &[LoadedDay]) {
        let all_read = days.iter().all(|d| d.action.is_some());
        let mut by_habit: BTreeMap<&str, Vec<&LoadedDay>> = BTreeMap::new();
        for day in days {
            if let Some(habit) = &day.habit {
                by_habit.entry(habit).or_default().push(day);
            }
        }
        for (habit, mut group) in by_habit {
            group.sort_by_key(|d| d.number);
            if let ([only], true) = (group.as_slice(), all_read)
                && let (Some(index), Some((_, span))) = (only.source_index, &only.action)
            {
                let on = only
                    .number
                    .map_or("once".to_string(), |n| format!("on day {n}"));
                self.out.push(
                    Diagnostic::warning("lonely-habit", format!("habit `{habit}` appears only {on}"))
                        .at(&self.sources[index], span.clone())
                        .label("the only day of this habit")
                        .hint("a habit names an activity that comes back on other days; use it again or remove it"),
                );
            }
            for (i, later) in group.iter().enumerate() {
                let (Some(index), Some((action, span))) = (later.source_index, &later.action)
                else {
                    continue;
                };
                let earlier = group[..i].iter().find(|e| {
                    e.number != later.number
                        && e.action
                            .as_ref()
                            .is_some_and(|(a, _)| same_words(a, action))
                });
                if let Some(earlier) = earlier {
                    let (later_n, earlier_n) =
                        (later.number.unwrap_or(0), earlier.number.unwrap_or(0));
                    self.out.push(
                        Diagnostic::warning(
                            "repeated-action",
                            format!("day {later_n} repeats the action of day {earlier_n} word for word"),
                        )
                        .at(&self.sources[index], span.clone())
                        .label("same words as before")
                        .hint("word it differently: a habit sticks when it is practised with slight variation"),
                    );
                }
            }
        }
    }
}

/// Whether two texts say the same words, ignoring case, spacing and punctuation.
pub(super) fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(a) == words(b)
}
