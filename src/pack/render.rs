//! Plain-text views of a pack for `muster pack show`: a summary for the change lead, and one day as
//! a participant will read it.

use std::fmt::Write;

use super::model::{BadgeRule, Day, Pack, TeamScore};

/// The pack at a glance: what it is, how it scores, its badges and the title of every day.
pub fn summary(pack: &Pack) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} ({} v{})", pack.title, pack.id, pack.version);
    let _ = writeln!(s, "{}\n", pack.summary);
    let _ = writeln!(s, "For:     {}", pack.audience);
    let _ = writeln!(s, "By:      {}", pack.author);
    let _ = writeln!(s, "Length:  {} days", pack.length);
    if !pack.tags.is_empty() {
        let _ = writeln!(s, "Tags:    {}", pack.tags.join(", "));
    }
    let sc = &pack.scoring;
    let _ = writeln!(
        s,
        "\nScoring: {} a day on time (+{} with a reflection), +{} per streak day up to +{}, {} when late \
         (up to {} days late), {} rest days, teams scored {}",
        sc.completion,
        sc.reflection_bonus,
        sc.streak_bonus,
        sc.streak_bonus_cap,
        sc.late_completion,
        sc.catch_up_days,
        sc.rest_days,
        match sc.team_score {
            TeamScore::PerMember => "per member",
            TeamScore::Sum => "by sum",
        }
    );
    let _ = writeln!(s, "\nBadges:");
    for badge in &pack.badges {
        let _ = writeln!(
            s,
            "  {} {:<24} {}",
            badge.icon,
            badge.name,
            rule_text(badge.rule)
        );
    }
    let _ = writeln!(s, "\nDays:");
    for day in &pack.days {
        let habit = day
            .habit
            .as_deref()
            .map(|h| format!("  [{h}]"))
            .unwrap_or_default();
        let variants = match day.variants.len() {
            0 => String::new(),
            n => format!("  (+{n} wording{})", if n == 1 { "" } else { "s" }),
        };
        let _ = writeln!(s, "  {:>2}. {}{habit}{variants}", day.number, day.title);
    }
    s
}

/// One day, laid out as the participant reads it on their phone.
pub fn day(pack: &Pack, day: &Day) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Day {} of {} · {}\n", day.number, pack.length, day.title);
    let _ = writeln!(s, "Why it matters\n{}\n", day.why.trim());
    let _ = writeln!(s, "On shift today\n{}\n", day.action.trim());
    let _ = writeln!(s, "Reflect at the end of your shift");
    for prompt in &day.prompts {
        let _ = writeln!(s, "  • {prompt}");
    }
    let _ = writeln!(
        s,
        "\nAbout {} minutes · {} points",
        day.minutes,
        pack.completion_points(day)
    );
    for link in &day.links {
        let _ = writeln!(s, "Read more: {} <{}>", link.title, link.url);
    }
    for (i, variant) in day.variants.iter().enumerate() {
        let _ = writeln!(
            s,
            "\nOther wording {}{}",
            i + 1,
            variant
                .title
                .as_deref()
                .map(|t| format!(": {t}"))
                .unwrap_or_default()
        );
        let _ = writeln!(s, "{}", variant.action.trim());
        for prompt in &variant.prompts {
            let _ = writeln!(s, "  • {prompt}");
        }
    }
    s
}

/// A badge rule in words, e.g. "a 7-day streak".
pub fn rule_text(rule: BadgeRule) -> String {
    let times = |n: u32| {
        if n == 1 {
            "once".to_string()
        } else {
            format!("{n} times")
        }
    };
    match rule {
        BadgeRule::FirstCompletion => "the first completed day".into(),
        BadgeRule::Streak { days } => format!("a {days}-day streak"),
        BadgeRule::Completions { count } => format!("{count} days completed"),
        BadgeRule::AllDays => "every day completed".into(),
        BadgeRule::Reflections { count } => format!("{count} reflections written"),
        BadgeRule::ReactionsReceived { count } => format!("{count} reactions received"),
        BadgeRule::FirstInTeam { count } => {
            format!("first in the team to complete a day, {}", times(count))
        }
        BadgeRule::TeamFullDay { count } => {
            format!("the whole team completes a day, {}", times(count))
        }
        BadgeRule::Comeback { count } => format!("back after a missed day, {}", times(count)),
    }
}
