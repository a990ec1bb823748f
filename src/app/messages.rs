//! What muster's emails say: each message as plain text and as HTML (maud), readable on a phone.
//!
//! The HTML is one narrow column with inline styles (mail clients drop style sheets), a large link
//! for a thumb, and nothing loaded from elsewhere: no images, no tracking pixels, no counted
//! links. The plain text says the same, for clients that show only that.

use crate::domain::Day;
use maud::{DOCTYPE, Markup, html};

use crate::app::digest::Digest;
use crate::mail::{Email, List, Rich};

/// A person's sign-in link.
pub fn sign_in(to_address: &str, name: &str, url: &str, minutes: i64) -> Rich {
    let text = format!(
        "Hello {name},\n\nOpen this link to sign in to muster:\n\n{url}\n\nIt works once, for the next {minutes} minutes. \
         If you did not ask for it, you can ignore this email.\n"
    );
    let html = frame(
        "Your muster sign-in link",
        html! {
            p { "Hello " (name) "," }
            p { "Press the button to sign in to muster." }
            (button(url, "Sign in to muster"))
            p style=(SMALL) { "It works once, for the next " (minutes) " minutes. If you did not ask for it, you can ignore this email." }
        },
        None,
    );
    Rich {
        email: Email {
            to_address: to_address.into(),
            to_name: name.into(),
            subject: "Your muster sign-in link".into(),
            text,
        },
        html,
        list: None,
    }
}

/// What a reminder about a day needs.
#[derive(Debug, Clone)]
pub struct DayReminder<'a> {
    pub to_address: &'a str,
    pub name: &'a str,
    pub cohort: &'a str,
    pub day: Day,
    pub title: &'a str,
    /// A short-lived sign-in link that opens the day.
    pub open_url: &'a str,
    pub preferences_url: &'a str,
    pub list: List,
}

/// "Day N is open": the day's title and a one-tap link to it.
pub fn day_released(m: &DayReminder<'_>) -> Rich {
    let lead = format!("Day {} of {} is open:", m.day, m.cohort);
    day_reminder(
        m,
        format!("Day {}: {}", m.day, m.title),
        &lead,
        "Open today's challenge",
    )
}

/// "Still time for day N": the day closes at `closes` (the cohort's local time, as people read
/// it) and the person has not done it.
pub fn day_closing(m: &DayReminder<'_>, closes: &str) -> Rich {
    let lead = format!(
        "Day {} of {} closes at {closes} and you have not done it yet. It takes a few minutes:",
        m.day, m.cohort
    );
    day_reminder(
        m,
        format!("Still time for day {}: {}", m.day, m.title),
        &lead,
        &format!("Open day {}", m.day),
    )
}

/// A manager's word of encouragement to someone who has not done day N yet: kind, never a
/// warning, and sent at most once a day.
pub fn encouragement(m: &DayReminder<'_>, from: &str) -> Rich {
    let lead = format!(
        "{from}, your manager in {}, is cheering you on. Day {} is still open, and a few minutes \
         on shift is all it takes:",
        m.cohort, m.day
    );
    day_reminder(
        m,
        format!("{from} is cheering you on: day {}", m.day),
        &lead,
        &format!("Open day {}", m.day),
    )
}

/// A reminder about a day: `lead`, the day's title, a one-tap button, and the footer with the
/// preferences and unsubscribe links.
fn day_reminder(m: &DayReminder<'_>, subject: String, lead: &str, button_label: &str) -> Rich {
    let text = format!(
        "Hello {name},\n\n{lead} {title}.\n\nOpen it (this link signs you in):\n\n{url}\n",
        name = m.name,
        title = m.title,
        url = m.open_url,
    );
    let body = html! {
        p { "Hello " (m.name) "," }
        p { (lead) }
        p style="font-size:1.25em;font-weight:bold;margin:0 0 1em" { (m.title) }
        (button(m.open_url, button_label))
        p style=(SMALL) { "The button signs you in; it works once, for a few hours." }
    };
    let foot = Foot {
        why: format!("You get this because you take part in {}. ", m.cohort),
        preferences: (m.preferences_url, "Choose which reminders you get"),
        stop: "stop these reminders",
        list: &m.list,
    };
    of_list(m.to_address, m.name, subject, text, body, &foot)
}

/// A weekly digest as a message: to whom, the digest, and the links in its footer.
#[derive(Debug, Clone)]
pub struct DigestMail<'a> {
    pub to_address: &'a str,
    pub name: &'a str,
    pub cohort: &'a str,
    pub digest: &'a Digest,
    /// The cohort's pages (the feed, the boards), a signed-in reader's way in.
    pub cohort_url: &'a str,
    pub preferences_url: &'a str,
    pub list: List,
}

/// The weekly digest: completion by day, streaks, new badges, reflections worth reading aloud,
/// and, kindly, who has not been seen lately.
pub fn weekly_digest(m: &DigestMail<'_>) -> Rich {
    let d = m.digest;
    let whose = d.team.as_deref().unwrap_or(m.cohort);
    let subject = format!("Your week in {whose}, to day {}", d.day);
    let mut text = format!(
        "Hello {},\n\nHere is {whose}'s week in {}.\n\n",
        m.name, m.cohort
    );
    text += "Done, by day:\n";
    for day in &d.by_day {
        text += &format!("  Day {}: {} of {}\n", day.day, day.done, day.of);
    }
    let listed = |title: &str, items: Vec<String>, text: &mut String| {
        if !items.is_empty() {
            *text += &format!("\n{title}:\n");
            for item in items {
                *text += &format!("  {item}\n");
            }
        }
    };
    let streaks: Vec<String> = d
        .streaks
        .iter()
        .map(|(name, n)| {
            let days = if *n == 1 { "day" } else { "days" };
            format!("{name}: {n} {days} in a row")
        })
        .collect();
    let badges: Vec<String> = d.badges.iter().map(|(n, b)| format!("{n}: {b}")).collect();
    let aloud: Vec<String> = d
        .highlights
        .iter()
        .map(|h| format!("\"{}\" ({}, day {})", h.text, h.name, h.day))
        .collect();
    listed("Streaks", streaks.clone(), &mut text);
    listed("New badges", badges.clone(), &mut text);
    listed("Worth reading aloud", aloud.clone(), &mut text);
    if !d.not_seen.is_empty() {
        text += &format!(
            "\nNot seen for three days (a word, not a warning: shifts, leave and life happen):\n  {}\n",
            d.not_seen.join(", ")
        );
    }
    text += &format!("\nOpen {}: {}\n", m.cohort, m.cohort_url);
    let body = html! {
            p { "Hello " (m.name) "," }
            p { "Here is " (whose) "'s week in " (m.cohort) "." }
            table style="border-collapse:collapse;margin:0 0 1em" {
                caption style="text-align:left;font-weight:bold;white-space:nowrap" { "Done, by day" }
                thead { tr { th scope="col" style="text-align:left;padding-right:1em" { "Day" } th scope="col" style="text-align:left" { "Done" } } }
                tbody {
                    @for day in &d.by_day {
                        tr { td style="padding-right:1em" { (day.day) } td { (day.done) " of " (day.of) } }
                    }
                }
            }
            @for (title, items) in [("Streaks", &streaks), ("New badges", &badges), ("Worth reading aloud", &aloud)] {
                @if !items.is_empty() {
                    h2 style="font-size:1.1em" { (title) }
                    ul { @for item in items { li { (item) } } }
                }
            }
            @if !d.not_seen.is_empty() {
                h2 style="font-size:1.1em" { "Not seen for three days" }
                p { "A word, not a warning: shifts, leave and life happen. " (d.not_seen.join(", ")) }
            }
            (button(m.cohort_url, &format!("Open {}", m.cohort)))
    };
    let foot = Foot {
        why: format!(
            "You get this because you look after people in {}. ",
            m.cohort
        ),
        preferences: (m.preferences_url, "Choose which emails you get"),
        stop: "stop this digest",
        list: &m.list,
    };
    of_list(m.to_address, m.name, subject, text, body, &foot)
}

/// A change lead's alert that a reflection in their cohort was reported.
#[derive(Debug, Clone)]
pub struct ReportAlert<'a> {
    pub to_address: &'a str,
    pub name: &'a str,
    pub cohort: &'a str,
    pub reports_url: &'a str,
    pub preferences_url: &'a str,
    pub list: List,
}

/// The alert that a reflection was reported: no text of it, only where to look.
pub fn reflection_reported(m: &ReportAlert<'_>) -> Rich {
    let subject = format!("A reflection was reported in {}", m.cohort);
    let text = format!(
        "Hello {},\n\nSomeone reported a reflection in {}. Please look at it:\n\n{}\n",
        m.name, m.cohort, m.reports_url
    );
    let body = html! {
        p { "Hello " (m.name) "," }
        p { "Someone reported a reflection in " (m.cohort) ". Please look at it." }
        (button(m.reports_url, "See the reports"))
    };
    let foot = Foot {
        why: format!("You get this because you lead {}. ", m.cohort),
        preferences: (m.preferences_url, "Choose which emails you get"),
        stop: "stop these alerts",
        list: &m.list,
    };
    of_list(m.to_address, m.name, subject, text, body, &foot)
}

/// What the foot of a message of a list says: why the reader gets it, then links to their
/// preferences (URL, label) and to stop it (`stop`, the label of the list's unsubscribe link).
struct Foot<'a> {
    why: String,
    preferences: (&'a str, &'a str),
    stop: &'a str,
    list: &'a List,
}

/// A message of a list in both forms: `text` and `body`, then the foot, and the list's headers.
fn of_list(
    to_address: &str,
    name: &str,
    subject: String,
    text: String,
    body: Markup,
    foot: &Foot<'_>,
) -> Rich {
    let (preferences, label) = foot.preferences;
    let unsubscribe = &foot.list.unsubscribe;
    let mut stop = foot.stop.to_string();
    if let Some(first) = stop.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    let text = format!(
        "{text}\n--\n{}{label}: {preferences}\n{stop}: {unsubscribe}\n",
        foot.why
    );
    let footer = html! {
        (foot.why)
        a href=(preferences) style="color:#1d4f91" { (label) }
        " or "
        a href=(unsubscribe) style="color:#1d4f91" { (foot.stop) } "."
    };
    let html = frame(&subject, body, Some(footer));
    rich(
        to_address,
        name,
        subject,
        text,
        html,
        Some(foot.list.clone()),
    )
}

/// A message in both forms, with its list headers when it has them.
fn rich(
    to_address: &str,
    name: &str,
    subject: String,
    text: String,
    html: String,
    list: Option<List>,
) -> Rich {
    Rich {
        email: Email {
            to_address: to_address.into(),
            to_name: name.into(),
            subject,
            text,
        },
        html,
        list,
    }
}

const SMALL: &str = "font-size:0.9em;color:#4a4a4a";

/// A link that looks like a button, big enough for a thumb.
fn button(url: &str, label: &str) -> Markup {
    html! {
        p style="margin:1.5em 0" {
            a href=(url) style="display:inline-block;background:#1d4f91;color:#ffffff;padding:14px 22px;border-radius:6px;text-decoration:none;font-weight:bold;font-size:1.1em" { (label) }
        }
        p style=(SMALL) { "Or copy this address into your browser: " span style="word-break:break-all" { (url) } }
    }
}

/// The page around a message: a narrow column, readable type, `title` (the subject) as its
/// heading, the footer when there is one.
fn frame(title: &str, body: Markup, footer: Option<Markup>) -> String {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
            }
            body style="margin:0;padding:0;background:#ffffff;color:#1a1a1a" {
                main style="max-width:560px;margin:0 auto;padding:20px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.5" {
                    p style="font-weight:bold;color:#1d4f91;margin:0 0 0.5em" { "muster" }
                    // The subject as the heading: a screen reader's way into the message.
                    h1 style="font-size:1.3em;line-height:1.3;margin:0 0 1em" { (title) }
                    (body)
                    @if let Some(footer) = footer {
                        hr style="border:0;border-top:1px solid #d0d0d0;margin:2em 0 1em";
                        p style=(SMALL) { (footer) }
                    }
                }
            }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reminder_says_the_day_and_how_to_stop_in_both_forms() {
        let rich = day_released(&DayReminder {
            to_address: "zoe@force.police.uk",
            name: "Zoë <Hart>",
            cohort: "Cohort A",
            day: Day::new(3).expect("day 3"),
            title: "Spot the phish",
            open_url: "https://m.example/signin/abc?next=/c/1/day/3",
            preferences_url: "https://m.example/preferences",
            list: List {
                id: "released.cohort-1.m.example".into(),
                name: "Day released, Cohort A".into(),
                unsubscribe: "https://m.example/unsubscribe/t".into(),
            },
        });
        assert_eq!(rich.email.subject, "Day 3: Spot the phish");
        for part in [&rich.email.text, &rich.html] {
            assert!(part.contains("https://m.example/unsubscribe/t"), "{part}");
            assert!(part.contains("https://m.example/preferences"), "{part}");
        }
        assert!(rich.html.contains("Zoë &lt;Hart&gt;"), "{}", rich.html);
        assert!(
            !rich.html.contains("<img"),
            "no images, so no tracking pixels"
        );
    }
}
