//! The briefing-room screen: large, high-contrast, updating live by Server-Sent Events. Managers
//! and change leads open it signed in and make read-only links for the room's PC; a link shows
//! this view and nothing else.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::layout::{csrf_field, page};
use crate::app::briefing::{self, Briefing, Scope};
use crate::app::signin;
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::assets::{LIVE_PATH, STYLE_PATH};
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// The board itself, also sent alone when the screen refreshes.
fn board(b: &Briefing) -> Markup {
    let max_team = b
        .teams
        .iter()
        .map(|t| t.points)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    html! {
        header.briefing-head {
            h1 { (b.cohort_name) }
            p.big-number { "Day " (b.day) " of " (b.length) }
            @if b.stale { p.stale role="status" { "Updating…" } }
        }
        div.briefing-grid {
            section aria-labelledby="standings" {
                h2 #standings { "Team standings" }
                ol.standings {
                    @for team in &b.teams {
                        li {
                            span.team { (team.name) } " "
                            span.points { (team.points) @if b.teams_per_member { " per member" } }
                            progress.bar max="100" value=(format!("{:.0}", team.points / max_team * 100.0)) {}
                        }
                    }
                }
            }
            section aria-labelledby="today" {
                h2 #today { "Done today" }
                ul.standings {
                    @for team in &b.today {
                        li {
                            span.team { (team.name) } " " span.points { (team.done) " of " (team.size) }
                            progress.bar max=(team.size.max(1)) value=(team.done) {}
                        }
                    }
                }
            }
            section aria-labelledby="streaks" {
                h2 #streaks { "Longest streaks" }
                @if b.streaks.is_empty() { p { "Streaks start with day one." } }
                ol.standings { @for (name, days) in &b.streaks {
                    li { span.team { (name) } " " span.points { (days) (if *days == 1 { " day" } else { " days" }) } }
                } }
            }
            section.badge-feed aria-labelledby="badges" {
                h2 #badges { "New badges" }
                @if b.badges.is_empty() { p { "The first badges are close." } }
                ul { @for nb in &b.badges { li { span aria-hidden="true" { (nb.icon) } " " (nb.person) ": " (nb.badge) } } }
            }
            @if let Some(h) = &b.highlight {
                section.highlight aria-labelledby="highlight" {
                    h2 #highlight { "Learnt on day " (h.day) }
                    blockquote { p { (h.body) } footer { "— " (h.author_name) } }
                }
            }
        }
    }
}

/// The whole screen: no navigation, the board, and the script that keeps it live.
fn screen(b: &Briefing, base: &str) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                noscript { meta http-equiv="refresh" content="60"; }
                title { (b.cohort_name) " · briefing · muster" }
                link rel="stylesheet" href=(STYLE_PATH.as_str());
                script src=(LIVE_PATH.as_str()) defer {}
            }
            body.briefing {
                main #briefing data-events=(format!("{base}/events")) data-fragment=(format!("{base}/fragment")) {
                    (board(b))
                }
            }
        }
    };
    markup.into_response()
}

fn fragment(b: &Briefing) -> Response {
    board(b).into_response()
}

/// How often an open event stream asks whether it may stay open (its link not revoked, its
/// session not ended, its viewer still allowed): a revoked screen goes dark within this.
const RECHECK_EVERY: Duration = Duration::from_secs(2);

/// "Changed" events for one cohort, and a comment every 15 s so proxies keep the stream open.
/// The stream ends as soon as `allowed` says no (or cannot say): re-asked every
/// [`RECHECK_EVERY`], and before an event when the last answer is older than that.
fn events<F, Fut>(state: &AppState, cohort_id: i64, allowed: F) -> Response
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = bool> + Send,
{
    struct Open<F> {
        changes: broadcast::Receiver<i64>,
        recheck: tokio::time::Interval,
        checked: Instant,
        allowed: F,
    }
    let open = Open {
        changes: state.services.live.subscribe(),
        recheck: tokio::time::interval_at(Instant::now() + RECHECK_EVERY, RECHECK_EVERY),
        checked: Instant::now(),
        allowed,
    };
    let changes = futures_util::stream::unfold(open, move |mut open| async move {
        loop {
            let change = tokio::select! {
                change = open.changes.recv() => match change {
                    Ok(id) => id == cohort_id,
                    // Missed messages while slow: refresh anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = open.recheck.tick() => {
                    if !(open.allowed)().await {
                        return None;
                    }
                    open.checked = Instant::now();
                    false
                }
            };
            if !change {
                continue;
            }
            if open.checked.elapsed() >= RECHECK_EVERY {
                if !(open.allowed)().await {
                    return None;
                }
                open.checked = Instant::now();
            }
            let event = Event::default().event("change").data("changed");
            return Some((Ok::<_, Infallible>(event), open));
        }
    });
    Sse::new(changes)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

async fn signed_in_scope(
    state: &AppState,
    user: &SignedIn,
    cohort_id: i64,
) -> Result<Scope, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    Ok(briefing::scope_for(&access)?)
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    let view = briefing::view(&state.services, &scope).await?;
    Ok(screen(&view, &format!("/c/{cohort_id}/briefing")))
}

pub async fn show_fragment(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    Ok(fragment(&briefing::view(&state.services, &scope).await?))
}

pub async fn show_events(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    signed_in_scope(&state, &user, cohort_id).await?;
    let (open, session) = (state.clone(), user.session);
    Ok(events(&state, cohort_id, move || {
        let (state, session) = (open.clone(), session.clone());
        async move {
            match signin::session(&state.services, &session).await {
                Ok(Some((caller, csrf))) => {
                    let user = SignedIn {
                        caller,
                        csrf,
                        session,
                    };
                    signed_in_scope(&state, &user, cohort_id).await.is_ok()
                }
                _ => false,
            }
        }
    }))
}

async fn link_scope(state: &AppState, token: &str) -> Result<Scope, PageError> {
    briefing::open_link(&state.services, token)
        .await?
        .ok_or_else(|| {
            crate::app::AppError::NotFound(
                "This briefing link is not valid, or has been revoked.".into(),
            )
            .into()
        })
}

pub async fn by_link(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let scope = link_scope(&state, &token).await?;
    let view = briefing::view(&state.services, &scope).await?;
    Ok(screen(&view, &format!("/briefing/{token}")))
}

pub async fn by_link_fragment(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let scope = link_scope(&state, &token).await?;
    Ok(fragment(&briefing::view(&state.services, &scope).await?))
}

pub async fn by_link_events(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let scope = link_scope(&state, &token).await?;
    let open = state.clone();
    Ok(events(&state, scope.cohort_id, move || {
        let (state, token, scope) = (open.clone(), token.clone(), scope.clone());
        async move {
            link_scope(&state, &token)
                .await
                .is_ok_and(|now| now == scope)
        }
    }))
}

/// The links page: open the screen, make a link for the room's PC, revoke old ones.
pub async fn links(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    let links = briefing::links(&state.services, &user.caller.person, &scope).await?;
    Ok(page(
        "Briefing screen",
        Some(&user),
        links_body(&user, cohort_id, &links, None),
    )
    .into_response())
}

fn links_body(
    user: &SignedIn,
    cohort_id: i64,
    links: &[(i64, chrono::DateTime<chrono::Utc>)],
    new_url: Option<&str>,
) -> Markup {
    html! {
        p { a href="/today" { "← Today" } }
        h1 { "Briefing screen" }
        section.card {
            p { a href=(format!("/c/{cohort_id}/briefing")) { "Open the briefing screen" } " (signed in as you)." }
            @if let Some(url) = new_url {
                div.flash.flash-ok role="status" {
                    p { "Your read-only link (shown once; open it on the briefing room's PC):" }
                    p { code { (url) } }
                }
            }
            form.stack method="post" action=(format!("/c/{cohort_id}/briefing/links")) {
                (csrf_field(&user.csrf))
                p.hint { "A read-only link shows the briefing screen and nothing else, without signing in. Revoke it when the screen moves." }
                button.primary type="submit" { "Make a read-only link" }
            }
            @if !links.is_empty() {
                h2 { "Links in use" }
                ul {
                    @for (id, made) in links {
                        li {
                            "Made " (made.format("%-d %b %Y, %H:%M")) " "
                            form.inline method="post" action=(format!("/c/{cohort_id}/briefing/links/{id}/revoke")) {
                                (csrf_field(&user.csrf))
                                button.secondary type="submit" { "Revoke" }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct LinkForm {
    csrf: String,
}

pub async fn create_link(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
    PageForm(form): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    let url = briefing::create_link(&state.services, &user.caller.person, &scope).await?;
    let links = briefing::links(&state.services, &user.caller.person, &scope).await?;
    Ok((
        StatusCode::CREATED,
        page(
            "Briefing screen",
            Some(&user),
            links_body(&user, cohort_id, &links, Some(&url)),
        ),
    )
        .into_response())
}

pub async fn revoke_link(
    State(state): State<AppState>,
    user: SignedIn,
    Path((cohort_id, id)): Path<(i64, i64)>,
    PageForm(form): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    signed_in_scope(&state, &user, cohort_id).await?;
    briefing::revoke_link(&state.services, &user.caller.person, id).await?;
    Ok(Redirect::to(&format!("/c/{cohort_id}/briefing/links")).into_response())
}
