//! The page shell every page shares: head, skip link, header with navigation, main, footer.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use maud::{DOCTYPE, Markup, html};

use crate::app::people::Role;
use crate::web::assets::STYLE_PATH;
use crate::web::auth::SignedIn;

/// A whole page. `user` adds the navigation and the sign-out button.
pub fn page(title: &str, user: Option<&SignedIn>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (title) " · muster" }
                link rel="stylesheet" href=(STYLE_PATH.as_str());
            }
            body {
                a.skip-link href="#content" { "Skip to content" }
                header.site {
                    a.brand href="/" { "muster" }
                    @if let Some(user) = user {
                        nav.site-nav aria-label="Main" {
                            a href="/today" { "Today" }
                            @if user.caller.memberships.iter().any(|m| m.role == Role::ChangeLead) {
                                a href="/lead" { "Lead" }
                            }
                            a href="/account" { "Account" }
                            a href="/preferences" { "Preferences" }
                            form.inline method="post" action="/signout" {
                                (csrf_field(&user.csrf))
                                button.link type="submit" { "Sign out" }
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
