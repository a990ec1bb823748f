//! Reading the `days/` folder and each day file in it.

use std::fs;
use std::path::Path;

use super::pack_wide::same_words;
use super::{LoadedDay, Loader, MAX_DAY_FILES, POINTS};
use crate::pack::check;
use crate::pack::diagnostic::Diagnostic;
use crate::pack::model::{Day, Link, Variant};
use crate::pack::read::{TableReader, parse_document};

const DAY_KEYS: &[&str] = &[
    "day", "title", "habit", "why", "action", "prompts", "points", "minutes", "link", "variant",
];
const LINK_KEYS: &[&str] = &["title", "url"];
const VARIANT_KEYS: &[&str] = &["title", "action", "prompts"];

impl Loader {
    /// Reads every day file; `None` when the days folder itself cannot be read.
    pub(super) fn days(&mut self, root: &Path, length: u32) -> Option<Vec<LoadedDay>> {
        let folder = root.join("days");
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) => {
                self.out.push(
                    Diagnostic::error(
                        "no-days",
                        format!("cannot read the days folder {}: {e}", folder.display()),
                    )
                    .in_file(&folder)
                    .hint("a pack keeps each day in days/01.toml, days/02.toml and so on"),
                );
                return None;
            }
        };
        let mut paths = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => paths.push(entry.path()),
                Err(e) => self.out.push(
                    Diagnostic::error(
                        "unreadable",
                        format!("cannot list {}: {e}", folder.display()),
                    )
                    .in_file(&folder),
                ),
            }
            if paths.len() > MAX_DAY_FILES {
                self.out.push(
                    Diagnostic::error(
                        "too-many-files",
                        format!(
                            "{} holds more than {MAX_DAY_FILES} entries",
                            folder.display()
                        ),
                    )
                    .in_file(&folder)
                    .hint("a pack has one file per day: remove what does not belong there"),
                );
                return None;
            }
        }
        paths.sort();
        let mut days = Vec::new();
        for path in paths {
            if path.extension().is_none_or(|e| e != "toml") {
                self.out.push(
                    Diagnostic::warning(
                        "not-a-day",
                        format!(
                            "{} is not a .toml file, so it is not read as a day",
                            path.display()
                        ),
                    )
                    .in_file(&path)
                    .hint("move notes and drafts out of the days folder"),
                );
                continue;
            }
            days.push(self.day(&path, length));
        }
        Some(days)
    }

    fn day(&mut self, path: &Path, length: u32) -> LoadedDay {
        let from_name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(|s| s.parse::<u32>().ok());
        let unread = LoadedDay {
            number: from_name.filter(|n| (1..=length).contains(n)),
            number_span: None,
            source_index: None,
            habit: None,
            action: None,
        };
        let Some(index) = self.read(path) else {
            return unread;
        };
        let source = &self.sources[index];
        let out = &mut self.out;
        let Some(document) = parse_document(source, out) else {
            return LoadedDay {
                source_index: Some(index),
                ..unread
            };
        };
        let t = TableReader::new(source, &document, "a day", DAY_KEYS, out);

        let number_int = t.integer("day", true, out);
        let number = number_int.and_then(|int| {
            if (1..=i64::from(length)).contains(&int.value) {
                return u32::try_from(int.value).ok();
            }
            out.push(
                Diagnostic::error(
                    "day-out-of-range",
                    format!(
                        "day {} is outside this pack: days must run 1 to {length}",
                        int.value
                    ),
                )
                .at(source, int.span())
                .label("not a day of this pack")
                .hint(format!("number the days 1 to {length}, one file each")),
            );
            None
        });
        if let (Some(number), Some(stem)) = (number, path.file_stem().and_then(|s| s.to_str()))
            && stem.parse::<u32>().is_ok_and(|n| n != number)
        {
            out.push(
                Diagnostic::warning(
                    "file-name",
                    format!("this file is named {stem}.toml but holds day {number}"),
                )
                .at(source, number_int.map_or(0..0, |i| i.span()))
                .label(format!("day {number}"))
                .hint(format!(
                    "rename the file to {number:02}.toml so the days sort in order"
                )),
            );
        }
        let text = |key: &str, what: &str, soft: usize, out: &mut Vec<Diagnostic>| {
            t.text(key, true, out)
                .map(|v| (check::text(source, &v, what, soft, out), v.span))
        };
        let title = text("title", "the title", 60, out).and_then(|t| t.0);
        let why = text("why", "`why`", 400, out).and_then(|t| t.0);
        let action = text("action", "the action", 300, out);
        let habit = t
            .text("habit", false, out)
            .and_then(|h| check::slug(source, &h, "the habit", out));
        let prompts = read_prompts(&t, true, out);
        let points = t
            .integer("points", false, out)
            .map(|p| check::number(source, &p, "points", POINTS, out));
        let minutes = t.integer("minutes", true, out).and_then(|m| {
            let minutes = check::number(source, &m, "minutes", 1..=60, out)?;
            if minutes > 15 {
                out.push(
                    Diagnostic::warning(
                        "long-day",
                        format!("{minutes} minutes is a lot to find on shift"),
                    )
                    .at(source, m.span())
                    .label("over 15 minutes")
                    .hint("keep a day's challenge under 15 minutes, or split it over two days"),
                );
            }
            Some(minutes)
        });
        let links: Vec<Option<Link>> = t
            .tables("link", "a [[link]]", LINK_KEYS, out)
            .iter()
            .map(|l| {
                let title = l
                    .text("title", true, out)
                    .and_then(|v| check::text(source, &v, "the link title", 80, out));
                let url = l
                    .text("url", true, out)
                    .and_then(|v| check::url(source, &v, out));
                Some(Link {
                    title: title?,
                    url: url?,
                })
            })
            .collect();
        let (action, action_span) = action.unzip();
        let action = action.flatten();
        let variants: Vec<Option<Variant>> = t
            .tables("variant", "a [[variant]]", VARIANT_KEYS, out)
            .iter()
            .map(|v| {
                let title = v
                    .text("title", false, out)
                    .map(|t| check::text(source, &t, "the variant's title", 60, out));
                let variant_action = v.text("action", true, out)?;
                if action
                    .as_deref()
                    .is_some_and(|a| same_words(a, &variant_action.value))
                {
                    out.push(
                        Diagnostic::warning(
                            "same-variant",
                            "this variant says the same as the day's action",
                        )
                        .at(source, variant_action.span.clone())
                        .label("same as `action`")
                        .hint("a variant should word the action differently"),
                    );
                }
                let variant_action =
                    check::text(source, &variant_action, "the variant's action", 300, out);
                let prompts = read_prompts(v, false, out);
                Some(Variant {
                    title: title.flatten(),
                    action: variant_action?,
                    prompts: prompts?,
                })
            })
            .collect();

        let action_text = action.clone().zip(action_span.clone());
        let day = (|| {
            Some(Day {
                number: number?,
                title: title?,
                habit: habit.clone(),
                why: why?,
                action: action?,
                prompts: prompts?,
                points: points.flatten(),
                minutes: minutes?,
                links: links.into_iter().collect::<Option<_>>()?,
                variants: variants.into_iter().collect::<Option<_>>()?,
            })
        })();
        self.complete_days.extend(day);
        LoadedDay {
            number: number.or(unread.number.filter(|_| number_int.is_none())),
            number_span: number.and(number_int.map(|i| i.span())),
            source_index: Some(index),
            habit,
            action: action_text,
        }
    }
}

/// Reads `prompts`: a list of one or more non-blank questions.
fn read_prompts(
    t: &TableReader<'_, '_>,
    required: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let source = t.source();
    let Some((items, span)) = t.text_list("prompts", required, out) else {
        return (!required).then(Vec::new);
    };
    if items.is_empty() {
        out.push(
            Diagnostic::error(
                "no-prompts",
                "`prompts` is empty: a day needs at least one reflection prompt",
            )
            .at(source, span)
            .label("no prompts")
            .hint("add a question such as \"What did you notice?\""),
        );
        return None;
    }
    let prompts: Vec<Option<String>> = items
        .iter()
        .map(|p| check::text(source, p, "a prompt", 160, out))
        .collect();
    prompts.into_iter().collect()
}
