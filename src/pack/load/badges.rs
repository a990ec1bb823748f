//! Reading the `[[badge]]` blocks of `pack.toml`, refusing badges nobody could ever earn in a
//! pack of this length.

use std::collections::HashMap;
use std::ops::Range;

use crate::pack::check;
use crate::pack::diagnostic::{Diagnostic, Source};
use crate::pack::model::{Badge, BadgeRule, RULE_NAMES};
use crate::pack::read::{TableReader, Text};
use crate::pack::suggest::did_you_mean;

const BADGE_KEYS: &[&str] = &["id", "name", "description", "icon", "rule", "days", "count"];

pub(super) fn read_badges(
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
            None => format!("the rules are {}", crate::pack::read::list(&RULE_NAMES)),
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

/// "a" or "an" before a number said aloud: an 8-day, an 11-day, an 18-day, an 80-day streak.
fn article(n: i64) -> &'static str {
    if matches!(n, 8 | 11 | 18 | 80..=89 | 800..=899) {
        "an"
    } else {
        "a"
    }
}
