//! Reading `pack.toml`: the pack's identity, its length and its `[scoring]` section.

use std::path::Path;

use super::badges::read_badges;
use super::{Header, LENGTHS, Loader, POINTS};
use crate::pack::check;
use crate::pack::diagnostic::Diagnostic;
use crate::pack::model::{Scoring, TeamScore};
use crate::pack::read::{TableReader, parse_document};
use crate::pack::suggest::did_you_mean;

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

impl Loader {
    pub(super) fn header(&mut self, root: &Path) -> Option<Header> {
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
