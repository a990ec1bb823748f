//! The page shell every page shares: head, skip link, header with navigation, main, footer.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{DOCTYPE, Markup, html};

use crate::app::people::Role;
use crate::web::assets::{FAVICON_PATH, FRESH_PATH, STYLE_PATH};
use crate::web::auth::SignedIn;

/// Where a page sits in the main navigation, so its tab is marked as the current one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Today,
    Feed,
    Journey,
    Leaderboard,
    Account,
    Lead,
}

/// A whole page outside the main tabs. `user` adds the navigation.
pub fn page(title: &str, user: Option<&SignedIn>, body: Markup) -> Markup {
    page_in(None, title, user, body)
}

/// A whole page, its tab marked in the navigation. The tabs lead to the person's first cohort
/// (Today lists every cohort with its own links); sign-out and preferences are on Account.
pub fn page_in(tab: Option<Tab>, title: &str, user: Option<&SignedIn>, body: Markup) -> Markup {
    let current = |t: Tab| (tab == Some(t)).then_some("page");
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · muster" }
                link rel="icon" type="image/svg+xml" href=(FAVICON_PATH.as_str());
                link rel="stylesheet" href=(STYLE_PATH.as_str());
                @if user.is_some() { script src=(FRESH_PATH.as_str()) defer {} }
            }
            body {
                a.skip-link href="#content" { "Skip to content" }
                header.site {
                    a.brand href="/" { "muster" }
                    @if let Some(user) = user {
                        a.account href="/account" aria-current=[current(Tab::Account)] { "Account" }
                        nav.site-nav aria-label="Main" {
                            a href="/today" aria-current=[current(Tab::Today)] { "Today" }
                            @if let Some(m) = user.caller.memberships.first() {
                                a href=(format!("/c/{}/feed", m.cohort.id)) aria-current=[current(Tab::Feed)] { "Feed" }
                                @if m.role == Role::Participant {
                                    a href=(format!("/c/{}/journey", m.cohort.id)) aria-current=[current(Tab::Journey)] { "Journey" }
                                }
                                a href=(format!("/c/{}/leaderboard", m.cohort.id)) aria-current=[current(Tab::Leaderboard)] { "Board" }
                            }
                            @if user.caller.memberships.iter().any(|m| m.role == Role::ChangeLead) {
                                a href="/lead" aria-current=[current(Tab::Lead)] { "Lead" }
                            }
                        }
                    }
                }
                main #content tabindex="-1" {
                    (body)
                }
                footer.site {
                    p.muted { "muster: one small challenge a day, done on shift." }
                }
            }
        }
    }
}

/// A page that only says something (an error, "check your email").
pub fn message_page(title: &str, message: &str) -> Markup {
    page(
        title,
        None,
        html! {
            section.card {
                h1 { (title) }
                p { (message) }
                p { a href="/" { "Back to muster" } }
            }
        },
    )
}

/// The hidden form-token field every form carries.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf" value=(token); }
}

/// An instant as people in the cohort read it: "Tue 5 Jan, 12:00", in a `<time>` element that
/// does not wrap and carries the exact instant for machines.
pub fn local_time(t: DateTime<Utc>, tz: Tz) -> Markup {
    html! {
        time datetime=(t.to_rfc3339()) { (t.with_timezone(&tz).format("%a %-d %b, %H:%M")) }
    }
}
