//! Loading a pack folder (`pack.toml` and `days/NN.toml`) into a [`Pack`], with every problem found
//! on the way reported as a [`Diagnostic`].
//!
//! Loading never panics and never trusts the file system: files are size-capped before they are read,
//! only regular files are opened (a named pipe would block), nothing is walked recursively (so symlink
//! loops cannot trap it), and a broken file is reported while the rest of the pack is still checked.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::check;
use super::diagnostic::{Diagnostic, Source};
use super::model::{Badge, BadgeRule, Day, Link, Pack, RULE_NAMES, Scoring, TeamScore, Variant};
use super::read::{TableReader, Text, parse_document};
use super::suggest::did_you_mean;

/// No pack file may be larger than this; a real day file is about 2 KB.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Bound on the entries of a `days/` folder, so a runaway folder cannot make a check slow.
pub const MAX_DAY_FILES: usize = 400;
/// Pack lengths muster supports.
pub const LENGTHS: std::ops::RangeInclusive<i64> = 7..=90;
/// Points for any one thing are kept in this range so that no day dwarfs the rest.
pub const POINTS: std::ops::RangeInclusive<i64> = 0..=100;

const PACK_KEYS: &[&str] = &[
    "id", "title", "summary", "version", "author", "audience", "length", "tags", "scoring", "badge",
];
const SCORING_KEYS: &[&str] = &[
    "completion",
    "reflection_bonus",
    "streak_bonus",
    "streak_bonus_cap",
    "late_completion",
    "catch_up_days",
    "rest_days",
    "team_score",
];
const BADGE_KEYS: &[&str] = &["id", "name", "description", "icon", "rule", "days", "count"];
const DAY_KEYS: &[&str] = &[
    "day", "title", "habit", "why", "action", "prompts", "points", "minutes", "link", "variant",
];
const LINK_KEYS: &[&str] = &["title", "url"];
const VARIANT_KEYS: &[&str] = &["title", "action", "prompts"];

/// The result of loading one pack folder: the pack if it has no errors, and everything found.
#[derive(Debug)]
pub struct LoadedPack {
    pub root: PathBuf,
    /// The pack's id as written, when it could be read (even if the pack has errors).
    pub id: Option<String>,
    pub pack: Option<Pack>,
    pub diagnostics: Vec<Diagnostic>,
    /// The files read, so diagnostics can quote them.
    pub sources: Vec<Source>,
}

impl LoadedPack {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Loads and checks the pack in folder `root`.
pub fn load(root: &Path) -> LoadedPack {
    let mut loader = Loader {
        out: Vec::new(),
        complete_days: Vec::new(),
        sources: Vec::new(),
    };
    let header = loader.header(root);
    // An unusable length (or no pack.toml) leaves the number of days unknown: days are then
    // checked against the longest pack allowed, and none is called missing.
    let length = header.as_ref().and_then(|h| h.length);
    if let Some(days) = loader.days(root, length.unwrap_or(*LENGTHS.end() as u32)) {
        if let (Some(length), Some(header)) = (length, &header) {
            loader.check_day_numbers(&days, length, header);
        }
        loader.check_habits(&days);
    }

    let id = header.as_ref().and_then(|h| h.id.clone());
    let mut diagnostics = std::mem::take(&mut loader.out);
    // pack.toml first, then the days in order, each file top to bottom.
    diagnostics.sort_by_key(|d| {
        (
            !d.file.ends_with("pack.toml"),
            d.file.clone(),
            d.line,
            d.column,
        )
    });
    let pack = if diagnostics.iter().any(Diagnostic::is_error) {
        None
    } else {
        header.and_then(|h| h.into_pack(loader.complete_days))
    };
    LoadedPack {
        root: root.to_path_buf(),
        id,
        pack,
        diagnostics,
        sources: loader.sources,
    }
}

/// Reads a file as UTF-8 text, refusing anything that is not a regular file or is too large.
pub fn read_text(path: &Path) -> Result<String, Box<Diagnostic>> {
    let unreadable = |e: std::io::Error| {
        Diagnostic::error("unreadable", format!("cannot read {}: {e}", path.display()))
            .in_file(path)
            .hint("check the file exists and is readable")
    };
    let metadata = fs::metadata(path).map_err(unreadable)?;
    if !metadata.is_file() {
        return Err(Diagnostic::error(
            "not-a-file",
            format!("{} is not a regular file", path.display()),
        )
        .in_file(path)
        .hint("a pack is made of plain text files")
        .into());
    }
    let too_large = |size: u64| {
        Diagnostic::error(
            "file-too-large",
            format!(
                "{} is {:.1} MB; a pack file may be at most 1 MB",
                path.display(),
                size as f64 / 1e6
            ),
        )
        .in_file(path)
        .hint("a day file is usually a couple of kilobytes: is this the right file?")
    };
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(metadata.len()).into());
    }
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64).into());
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let (line, column) =
            Source::new(path, String::from_utf8_lossy(&e.as_bytes()[..valid])).line_column(valid);
        let mut diagnostic = Diagnostic::error(
            "not-utf8",
            format!(
                "{} is not UTF-8 text (an unreadable byte at line {line}, column {column})",
                path.display()
            ),
        )
        .in_file(path)
        .hint("save the file as UTF-8 in your editor");
        diagnostic.line = Some(line);
        diagnostic.column = Some(column);
        Box::new(diagnostic)
    })
}

/// What `pack.toml` says; each field `None` when it was missing or wrong (and reported).
struct Header {
    id: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    version: Option<String>,
    author: Option<String>,
    audience: Option<String>,
    length: Option<u32>,
    /// Where the length is written (or the top of the file), for "day N is missing".
    length_span: Range<usize>,
    source_index: usize,
    tags: Vec<String>,
    scoring: Option<Scoring>,
    badges: Option<Vec<Badge>>,
}

impl Header {
    fn into_pack(self, mut days: Vec<Day>) -> Option<Pack> {
        days.sort_by_key(|d| d.number);
        Some(Pack {
            id: self.id?,
            title: self.title?,
            summary: self.summary?,
            version: self.version?,
            author: self.author?,
            audience: self.audience?,
            length: self.length?,
            tags: self.tags,
            scoring: self.scoring?,
            badges: self.badges?,
            days,
        })
    }
}

/// A day file as read, with the places later checks point at.
struct LoadedDay {
    /// From `day = N` or, when that cannot be read, from the file name (`07.toml`), so that a
    /// broken file is not also reported as a missing day. `None` when neither says.
    number: Option<u32>,
    /// Where `day = N` is written, when it could be read.
    number_span: Option<Range<usize>>,
    source_index: Option<usize>,
    habit: Option<String>,
    /// The action's text and span, when it could be read.
    action: Option<(String, Range<usize>)>,
}

struct Loader {
    out: Vec<Diagnostic>,
    /// The days read without errors.
    complete_days: Vec<Day>,
    sources: Vec<Source>,
}

impl Loader {
    /// Reads a file into `sources`, returning its index, or reports why it cannot be read.
    fn read(&mut self, path: &Path) -> Option<usize> {
        match read_text(path) {
            Ok(text) => {
                self.sources.push(Source::new(path, text));
                Some(self.sources.len() - 1)
            }
            Err(diagnostic) => {
                self.out.push(*diagnostic);
                None
            }
        }
    }

    fn header(&mut self, root: &Path) -> Option<Header> {
        let index = self.read(&root.join("pack.toml"))?;
        let source = &self.sources[index];
        let out = &mut self.out;
        let document = parse_document(source, out)?;
        let t = TableReader::new(source, &document, "pack.toml", PACK_KEYS, out);

        let id = t.text("id", true, out).and_then(|id| {
            let slug = check::slug(source, &id, "the pack id", out)?;
            let folder = root
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
            if let Some(folder) = folder.filter(|folder| *folder != slug) {
                out.push(
                    Diagnostic::error(
                        "id-mismatch",
                        format!("the pack id `{slug}` does not match its folder `{folder}`"),
                    )
                    .at(source, id.span.clone())
                    .label("not the folder's name")
                    .hint(format!(
                        "rename the folder to `{slug}` or set id = \"{folder}\""
                    )),
                );
            }
            Some(slug)
        });
        let text = |key: &str, what: &str, soft: usize, out: &mut Vec<Diagnostic>| {
            t.text(key, true, out)
                .and_then(|v| check::text(source, &v, what, soft, out))
        };
        let title = text("title", "the title", 60, out);
        let summary = text("summary", "the summary", 280, out);
        let author = text("author", "the author", 80, out);
        let audience = text("audience", "the audience", 160, out);
        let version = t
            .text("version", true, out)
            .and_then(|v| check::version(source, &v, out));
        let length_int = t.integer("length", false, out);
        let length = match &length_int {
            Some(int) => check::number(source, int, "length", LENGTHS, out),
            None => Some(30),
        };
        let length_span = length_int.map_or(0..0, |i| {
            t.key_span("length").map_or(i.span(), |k| k.start..i.span.1)
        });
        let tags = t
            .text_list("tags", false, out)
            .map(|(tags, _)| {
                tags.iter()
                    .filter_map(|tag| check::text(source, tag, "a tag", 30, out))
                    .collect()
            })
            .unwrap_or_default();
        let scoring = match t.table("scoring", "the [scoring] section", SCORING_KEYS, out) {
            Some(s) => read_scoring(&s, length.unwrap_or(30), out),
            None if t.has("scoring") => None,
            None => Some(Scoring::default()),
        };
        let badges = read_badges(&t, length.unwrap_or(30), out);
        Some(Header {
            id,
            title,
            summary,
            version,
            author,
            audience,
            length,
            length_span,
            source_index: index,
            tags,
            scoring,
            badges,
        })
    }

    /// Reads every day file; `None` when the days folder itself cannot be read.
    fn days(&mut self, root: &Path, length: u32) -> Option<Vec<LoadedDay>> {
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

    /// Every day from 1 to the length exactly once.
    fn check_day_numbers(&mut self, days: &[LoadedDay], length: u32, header: &Header) {
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
    fn check_habits(&mut self, days: &[LoadedDay]) {
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

fn read_scoring(
    t: &TableReader<'_, '_>,
    length: u32,
    out: &mut Vec<Diagnostic>,
) -> Option<Scoring> {
    let source = t.source();
    let defaults = Scoring::default();
    let value = |key: &str,
                 default: u32,
                 range: std::ops::RangeInclusive<i64>,
                 out: &mut Vec<Diagnostic>| match t.integer(key, false, out) {
        Some(int) => check::number(source, &int, key, range, out).map(|v| (v, Some(int))),
        None => Some((default, None)),
    };
    let completion = value("completion", defaults.completion, POINTS, out);
    let reflection_bonus = value("reflection_bonus", defaults.reflection_bonus, POINTS, out);
    let streak_bonus = value("streak_bonus", defaults.streak_bonus, POINTS, out);
    let streak_bonus_cap = value("streak_bonus_cap", defaults.streak_bonus_cap, POINTS, out);
    let late_completion = value("late_completion", defaults.late_completion, POINTS, out);
    let catch_up_days = value("catch_up_days", defaults.catch_up_days, 0..=7, out);
    let rest_days = value("rest_days", defaults.rest_days, 0..=i64::from(length), out);
    if let (Some((bonus, _)), Some((cap, cap_at))) = (streak_bonus, streak_bonus_cap)
        && cap < bonus
    {
        let place = cap_at.map_or(t.span(), |c| c.span());
        out.push(
            Diagnostic::error(
                "cap-below-bonus",
                format!("`streak_bonus_cap` is {cap}, less than `streak_bonus` ({bonus})"),
            )
            .at(source, place)
            .label("cap below the bonus")
            .hint(format!("set streak_bonus_cap to at least {bonus}")),
        );
    }
    if let (Some((on_time, _)), Some((late, Some(late_at)))) = (completion, late_completion)
        && late > on_time
    {
        out.push(
            Diagnostic::warning(
                "late-pays-more",
                format!("a late completion earns {late} points, more than on time ({on_time})"),
            )
            .at(source, late_at.span())
            .label("more than `completion`")
            .hint("late completions usually earn less, so that keeping up is worth it"),
        );
    }
    let team_score = match t.text("team_score", false, out) {
        None => Some(defaults.team_score),
        Some(text) => match text.value.as_str() {
            "per_member" => Some(TeamScore::PerMember),
            "sum" => Some(TeamScore::Sum),
            other => {
                let hint = match did_you_mean(other, ["per_member", "sum"]) {
                    Some(s) => format!("did you mean \"{s}\"?"),
                    None => "use \"per_member\" (fair between teams of different sizes) or \"sum\""
                        .to_string(),
                };
                out.push(
                    Diagnostic::error(
                        "unknown-team-score",
                        format!("`{other}` is not a way to score teams"),
                    )
                    .at(source, text.span)
                    .label("unknown")
                    .hint(hint),
                );
                None
            }
        },
    };
    Some(Scoring {
        completion: completion?.0,
        reflection_bonus: reflection_bonus?.0,
        streak_bonus: streak_bonus?.0,
        streak_bonus_cap: streak_bonus_cap?.0,
        late_completion: late_completion?.0,
        catch_up_days: catch_up_days?.0,
        rest_days: rest_days?.0,
        team_score: team_score?,
    })
}

fn read_badges(
    t: &TableReader<'_, '_>,
    length: u32,
    out: &mut Vec<Diagnostic>,
) -> Option<Vec<Badge>> {
    let source = t.source();
    let tables = t.tables("badge", "a [[badge]]", BADGE_KEYS, out);
    if tables.is_empty() && !t.has("badge") {
        out.push(
            Diagnostic::warning("no-badges", "this pack has no badges")
                .at(source, t.span())
                .hint("badges give people something to aim for: add a few [[badge]] blocks"),
        );
    }
    let mut ids: HashMap<String, Range<usize>> = HashMap::new();
    let mut badges = Vec::new();
    let mut complete = true;
    for b in &tables {
        let id = b.text("id", true, out).and_then(|id| {
            let slug = check::slug(source, &id, "the badge id", out)?;
            if let Some(first) = ids.get(&slug) {
                let (line, _) = source.line_column(first.start);
                out.push(
                    Diagnostic::error(
                        "duplicate-badge",
                        format!("there are two badges with the id `{slug}`"),
                    )
                    .at(source, id.span.clone())
                    .label("id used before")
                    .hint(format!(
                        "the first is on line {line}; give each badge its own id"
                    )),
                );
                return None;
            }
            ids.insert(slug.clone(), id.span.clone());
            Some(slug)
        });
        let name = b
            .text("name", true, out)
            .and_then(|v| check::text(source, &v, "the badge name", 40, out));
        let description = b
            .text("description", true, out)
            .and_then(|v| check::text(source, &v, "the badge description", 160, out));
        let icon = b
            .text("icon", true, out)
            .and_then(|v| icon(source, &v, out));
        let rule = read_rule(b, length, out);
        match (id, name, description, icon, rule) {
            (Some(id), Some(name), Some(description), Some(icon), Some(rule)) => {
                badges.push(Badge {
                    id,
                    name,
                    description,
                    icon,
                    rule,
                })
            }
            _ => complete = false,
        }
    }
    complete.then_some(badges)
}

fn icon(source: &Source, text: &Text, out: &mut Vec<Diagnostic>) -> Option<String> {
    let value = text.value.trim();
    if !value.is_empty()
        && value.chars().count() <= 8
        && !value.chars().any(|c| c.is_ascii_alphanumeric())
    {
        return Some(value.to_string());
    }
    out.push(
        Diagnostic::error("bad-icon", format!("`{value}` is not an icon"))
            .at(source, text.span.clone())
            .label("not an emoji")
            .hint("an icon is one emoji, such as \"🔥\""),
    );
    None
}

/// Reads a badge's rule and its parameter, refusing rules nobody could ever meet.
fn read_rule(b: &TableReader<'_, '_>, length: u32, out: &mut Vec<Diagnostic>) -> Option<BadgeRule> {
    let source = b.source();
    let rule = b.text("rule", true, out)?;
    let name = rule.value.as_str();
    let param = match name {
        "first_completion" | "all_days" => None,
        "streak" => Some("days"),
        _ => Some("count"),
    };
    if !RULE_NAMES.contains(&name) {
        let hint = match did_you_mean(name, RULE_NAMES) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("the rules are {}", super::read::list(&RULE_NAMES)),
        };
        out.push(
            Diagnostic::error("unknown-rule", format!("`{name}` is not a badge rule"))
                .at(source, rule.span)
                .label("unknown rule")
                .hint(hint),
        );
        return None;
    }
    // A parameter given to a rule that takes another (or none) is a mistake worth naming.
    for key in ["days", "count"] {
        if Some(key) != param
            && let Some(span) = b.key_span(key)
        {
            let hint = match param {
                Some(p) => format!("did you mean `{p}`?"),
                None => "remove it: this rule takes no parameter".to_string(),
            };
            out.push(
                Diagnostic::error(
                    "wrong-parameter",
                    format!("`{key}` does not apply to the `{name}` rule"),
                )
                .at(source, span)
                .label("not a parameter of this rule")
                .hint(hint),
            );
            return None;
        }
    }
    let Some(param) = param else {
        return Some(if name == "all_days" {
            BadgeRule::AllDays
        } else {
            BadgeRule::FirstCompletion
        });
    };
    let defaults_to_one = matches!(name, "first_in_team" | "team_full_day" | "comeback");
    let Some(int) = b.integer(param, !defaults_to_one, out) else {
        return defaults_to_one.then(|| rule_with(name, 1));
    };
    // The most that can happen in one pack: a comeback needs a missed day before each one.
    let most = match name {
        "reactions_received" => 10_000,
        "comeback" => i64::from(length / 2),
        _ => i64::from(length),
    };
    let least = if name == "streak" { 2 } else { 1 };
    if int.value > most && int.value <= 1_000_000 {
        let what = match name {
            "streak" => format!("{} {}-day streak", article(int.value), int.value),
            "comeback" => format!(
                "{} comebacks (each needs a missed day before it)",
                int.value
            ),
            _ => format!("{} {}", int.value, name.replace('_', " ")),
        };
        out.push(
            Diagnostic::error(
                "unreachable-badge",
                format!("{what} can never be met in a {length}-day pack"),
            )
            .at(source, int.span())
            .label("impossible")
            .hint(format!("choose at most {most}")),
        );
        return None;
    }
    let value = check::number(source, &int, param, least..=most, out)?;
    Some(rule_with(name, value))
}

fn rule_with(name: &str, n: u32) -> BadgeRule {
    match name {
        "streak" => BadgeRule::Streak { days: n },
        "completions" => BadgeRule::Completions { count: n },
        "reflections" => BadgeRule::Reflections { count: n },
        "reactions_received" => BadgeRule::ReactionsReceived { count: n },
        "first_in_team" => BadgeRule::FirstInTeam { count: n },
        "team_full_day" => BadgeRule::TeamFullDay { count: n },
        _ => BadgeRule::Comeback { count: n },
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

/// Whether two texts say the same words, ignoring case, spacing and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(a) == words(b)
}

/// "a" or "an" before a number said aloud: an 8-day, an 11-day, an 18-day, an 80-day streak.
fn article(n: i64) -> &'static str {
    if matches!(n, 8 | 11 | 18 | 80..=89 | 800..=899) {
        "an"
    } else {
        "a"
    }
}
