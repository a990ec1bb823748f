//! The reflection feed: newest first, filtered by day and team, with replies, reactions and
//! reports; and the change leads' view of reports, with hiding.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{Tab, csrf_field, local_time, page, page_in};
use crate::app::feed::{self, FeedFilter, FeedItem, REACTIONS, ReplyOutcome};
use crate::app::people::{self, CohortAccess};
use crate::app::signin::new_secret;
use crate::app::{AppError, Refusal};
use crate::domain::{CohortId, Day, TeamId, Visibility};
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

#[derive(Deserialize, Default)]
pub struct FeedParams {
    day: Option<String>,
    team: Option<String>,
    after: Option<String>,
}

/// An empty select means "all"; anything else must be a number.
fn number<T: std::str::FromStr>(value: &Option<String>, what: &str) -> Result<Option<T>, AppError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| Refusal::InvalidFilter.says(format!("\"{v}\" is not a {what}."))),
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
    Query(params): Query<FeedParams>,
) -> Result<Response, PageError> {
    let services = &state.services;
    let access = user.caller.access(services, CohortId(cohort_id)).await?;
    let filter = FeedFilter {
        // Day 0 is every day, as an empty choice is.
        day: number(&params.day, "day number")?.and_then(Day::new),
        team_id: number(&params.team, "team")?.map(TeamId),
        after: params.after.clone(),
    };
    let (feed_page, teams) = tokio::try_join!(
        feed::page(services, &access, &filter),
        feed::teams(services, &access),
    )?;
    let released = access.cohort.calendar.days_due(services.clock.now());
    let lead = people::is_change_lead(&user.caller.person, &access);
    let body = html! {
        p { a href="/today" { "← Today" } }
        h1 { "What colleagues learnt" }
        form.filters method="get" action=(format!("/c/{cohort_id}/feed")) {
            label for="day" { "Day" }
            select #day name="day" {
                option value="" { "All days" }
                @for d in (1..=released).rev() { option value=(d) selected[filter.day.map(Day::get) == Some(d)] { "Day " (d) } }
            }
            label for="team" { "Team" }
            select #team name="team" {
                option value="" { "All teams" }
                @for (id, name) in &teams { option value=(id) selected[filter.team_id == Some(*id)] { (name) } }
            }
            button.secondary type="submit" { "Show" }
        }
        @if feed_page.items.is_empty() {
            p { "No reflections here yet." }
        }
        ol.feed {
            @for item in &feed_page.items { li { (reflection(&user, &access, item, lead)) } }
        }
        @if let Some(next) = &feed_page.next {
            nav.pager aria-label="More reflections" {
                a href=(format!("/c/{cohort_id}/feed?day={}&team={}&after={next}",
                    filter.day.map(|d| d.to_string()).unwrap_or_default(),
                    filter.team_id.map(|t| t.to_string()).unwrap_or_default())) { "Older reflections →" }
            }
        }
    };
    Ok(page_in(Some(Tab::Feed), "Feed", Some(&user), body).into_response())
}

fn reflection(user: &SignedIn, access: &CohortAccess, item: &FeedItem, lead: bool) -> Markup {
    let r = &item.reflection;
    let cohort_id = access.cohort.id();
    let base = format!("/c/{cohort_id}/reflections/{}", r.id);
    let tz = access.cohort.tz;
    html! {
        article.reflection aria-labelledby=(format!("r{}", r.id)) {
            p.meta id=(format!("r{}", r.id)) {
                @match &r.author_name { Some(name) => strong { (name) }, None => strong { "A colleague" } }
                @if let Some(team) = &r.team_name { " · " (team) }
                " · Day " (r.day)
                // An anonymous reflection shows its day only: the moment it was written, set
                // beside the boards, would point at its author.
                @if !r.anonymous() { " · " (local_time(r.shown_at, tz)) }
                @if r.anonymous() { " " span.badge-tag { "Anonymous" } }
                @if r.visibility == Visibility::Team { " " span.badge-tag { "Team" } }
                @if r.mine { " " span.badge-tag { "You" } }
            }
            p.body { (r.body) }
            @if !r.mine {
                div.reactions {
                    @for (kind, label) in REACTIONS {
                        @let count = item.reactions.iter().find(|c| c.kind == kind);
                        @let pressed = count.is_some_and(|c| c.mine);
                        form.inline method="post" action=(format!("{base}/react")) {
                            (csrf_field(&user.csrf))
                            input type="hidden" name="kind" value=(kind);
                            input type="hidden" name="on" value=(if pressed { "0" } else { "1" });
                            button.reaction type="submit" aria-pressed=(pressed) {
                                (label) " " span { (count.map_or(0, |c| c.count)) }
                            }
                        }
                    }
                }
            } @else {
                p.muted { @for (kind, label) in REACTIONS {
                    @let count = item.reactions.iter().find(|c| c.kind == kind).map_or(0, |c| c.count);
                    @if count > 0 { (label) ": " (count) ". " }
                } }
            }
            details.replies {
                summary { (item.replies.len()) " " (if item.replies.len() == 1 { "reply" } else { "replies" }) }
                ol.replies {
                    @for reply in &item.replies {
                        li.reply {
                            p.meta {
                                @match &reply.author_name {
                                    Some(name) if !reply.as_author => { strong { (name) } " · " (local_time(reply.created_at, tz)) }
                                    Some(_) => { strong { "The author (you, unnamed)" } }
                                    None => strong { "The author" },
                                }
                            }
                            p.body { (reply.body) }
                            @if !reply.mine { (report_form(user, &base, Some(reply.id))) }
                            @if lead { (hide_form(user, &base, Some(reply.id))) }
                        }
                    }
                }
                (reply_form(user, &base, "", &[], r.mine_unnamed()))
            }
            @if !r.mine { (report_form(user, &base, None)) }
            @if lead { (hide_form(user, &base, None)) }
        }
    }
}

fn reply_form(
    user: &SignedIn,
    base: &str,
    text: &str,
    flags: &[crate::rules::safeguarding::Flag],
    as_author: bool,
) -> Markup {
    let id = format!("reply-{}", new_secret().get(..8).unwrap_or_default());
    html! {
        form.stack method="post" action=(format!("{base}/reply")) {
            (csrf_field(&user.csrf))
            input type="hidden" name="key" value=(new_secret());
            @if !flags.is_empty() {
                div.review role="alert" {
                    p { "These parts look like they could identify someone or a case:" }
                    ul.flag-list { @for f in flags { li { (f.kind.describe()) ": " mark.flagged { (text.get(f.start..f.end).unwrap_or_default()) } } } }
                }
            }
            label for=(id) { "Reply" }
            textarea id=(id) name="body" rows="2" { (text) }
            @if as_author {
                fieldset.choices {
                    legend { "You wrote this reflection anonymously. Sign your reply as:" }
                    label { input type="radio" name="sign" value="author" checked; "The author, without my name" }
                    label { input type="radio" name="sign" value="name"; "My name (everyone will know you wrote the reflection)" }
                }
            }
            div.actions {
                button.secondary type="submit" { @if flags.is_empty() { "Send reply" } @else { "Check again" } }
                @if !flags.is_empty() { button.secondary type="submit" name="remove_flagged" value="1" { "Send with those parts removed" } }
            }
        }
    }
}

fn report_form(user: &SignedIn, base: &str, reply: Option<i64>) -> Markup {
    html! {
        details {
            summary { "Report" }
            form.stack method="post" action=(format!("{base}/report")) {
                (csrf_field(&user.csrf))
                @if let Some(reply) = reply { input type="hidden" name="reply" value=(reply); }
                label { "What is wrong with it?" textarea name="reason" rows="2" required {} }
                button.secondary type="submit" { "Send report to the change lead" }
            }
        }
    }
}

fn hide_form(user: &SignedIn, base: &str, reply: Option<i64>) -> Markup {
    html! {
        details {
            summary { "Hide" }
            form.stack method="post" action=(format!("{base}/hide")) {
                (csrf_field(&user.csrf))
                @if let Some(reply) = reply { input type="hidden" name="reply" value=(reply); }
                label { "Reason (the author sees it)" textarea name="reason" rows="2" required {} }
                button.secondary type="submit" { "Hide from the feed" }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct ReplyForm {
    csrf: String,
    key: String,
    body: String,
    remove_flagged: Option<String>,
    /// "name" to sign the anonymous author's reply with their name; anything else keeps it
    /// unnamed.
    sign: Option<String>,
}

pub async fn reply(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<ReplyForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let with_my_name = form.sign.as_deref() == Some("name");
    let request = feed::ReplyRequest {
        text: &form.body,
        idempotency_key: &form.key,
        remove_flagged: form.remove_flagged.is_some(),
        with_my_name,
    };
    let outcome = feed::reply(&state.services, &user.caller.person, &access, id, &request).await?;
    match outcome {
        ReplyOutcome::Stored => {
            Ok(Redirect::to(&format!("/c/{cohort_id}/feed#r{id}")).into_response())
        }
        ReplyOutcome::NeedsReview { flags } => {
            let base = format!("/c/{cohort_id}/reflections/{id}");
            Ok(page("Check your reply", Some(&user), html! {
                section.card { h1 { "Check your reply before it is shared" } (reply_form(&user, &base, form.body.trim(), &flags, form.sign.is_some() && !with_my_name)) }
            }).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ReactForm {
    csrf: String,
    kind: String,
    on: String,
}

pub async fn react(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<ReactForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    feed::react(
        &state.services,
        &user.caller.person,
        &access,
        id,
        &form.kind,
        form.on == "1",
    )
    .await?;
    Ok(Redirect::to(&format!("/c/{cohort_id}/feed#r{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ReasonForm {
    csrf: String,
    reason: String,
    reply: Option<i64>,
}

pub async fn report(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<ReasonForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    feed::report(
        &state.services,
        &user.caller.person,
        &access,
        id,
        form.reply,
        &form.reason,
    )
    .await?;
    Ok(page("Reported", Some(&user), html! {
        section.card { h1 { "Thank you" } p { "A change lead will look at it." } p { a href=(format!("/c/{cohort_id}/feed")) { "Back to the feed" } } }
    }).into_response())
}

pub async fn hide(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<ReasonForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    feed::hide(
        &state.services,
        &user.caller.person,
        &access,
        id,
        form.reply,
        &form.reason,
    )
    .await?;
    Ok(Redirect::to(&format!("/c/{cohort_id}/reports")).into_response())
}

pub async fn reports(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let reports = feed::reports(&state.services, &user.caller.person, &access).await?;
    let tz = access.cohort.tz;
    Ok(page("Reports", Some(&user), html! {
        p { a href="/today" { "← Today" } }
        h1 { "Reports" }
        @if reports.is_empty() { p { "No open reports." } }
        ol.feed {
            @for report in &reports {
                @let base = format!("/c/{cohort_id}/reflections/{}", report.reflection_id);
                li { article.reflection {
                    p.meta {
                        (if report.reply_id.is_some() { "Reply" } else { "Reflection" }) " by "
                        (report.author_name.as_deref().unwrap_or("an anonymous colleague"))
                        " · Day " (report.day) " · reported by " (report.reporter_name) " " (local_time(report.created_at, tz))
                    }
                    p.body { (report.reported_text) }
                    p { strong { "Reason: " } (report.reason) }
                    (hide_form(&user, &base, report.reply_id))
                } }
            }
        }
    }).into_response())
}
