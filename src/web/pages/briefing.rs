//! The briefing-room screen: large, high-contrast, updating live by Server-Sent Events. Managers
//! and change leads open it signed in and make read-only links for the room's PC; a link shows
//! this view and nothing else.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde::Deserialize;
use tokio::sync::broadcast;
use tokio::time::Instant;

use super::layout::{csrf_field, page};
use crate::app::AppError;
use crate::app::briefing::{self, Briefing, Scope, TvLink};
use crate::app::signin;
use crate::domain::{CohortId, TeamId};
use crate::web::AppState;
use crate::web::assets::{COPY_PATH, LIVE_PATH, STYLE_PATH};
use crate::web::auth::{SignedIn, cookie};
use crate::web::error::PageError;
use crate::web::input::PageForm;

/// A score as people read it: whole, or to one decimal.
fn score(points: f64) -> String {
    let text = format!("{points:.1}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// The longest a highlighted reflection is shown on the screen, in characters.
const HIGHLIGHT_CHARS: usize = 240;

/// `text` cut to [`HIGHLIGHT_CHARS`] at a word, with an ellipsis when cut.
fn shortened(text: &str) -> String {
    if text.chars().count() <= HIGHLIGHT_CHARS {
        return text.to_string();
    }
    let cut: String = text.chars().take(HIGHLIGHT_CHARS).collect();
    let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// The board itself, also sent alone when the screen refreshes. Lists marked `data-pages` are
/// shown a page at a time by the screen's script when they hold more than their panel fits.
fn board(b: &Briefing) -> Markup {
    let lowest = b
        .teams
        .iter()
        .map(|t| t.points)
        .fold(f64::INFINITY, f64::min);
    let highest = b.teams.iter().map(|t| t.points).fold(0.0_f64, f64::max);
    // Bars run from the lowest score to the highest, so close scores still look different; the
    // lowest keeps a sliver so it reads as a bar.
    let bar = |p: f64| {
        if highest > lowest {
            8.0 + 92.0 * (p - lowest) / (highest - lowest)
        } else {
            100.0
        }
    };
    let mine = |id: i64| b.mine.contains(&TeamId(id));
    html! {
        header.briefing-head {
            h1 { (b.cohort_name) }
            p.big-number { "Day " (b.day) " of " (b.length) }
            @if b.stale { p.stale role="status" { "Updating…" } }
        }
        div.briefing-grid {
            section.panel.panel-standings aria-labelledby="standings" {
                h2 #standings { "Team standings" @if b.teams_per_member { " " span.unit { "(points per member)" } } }
                @if b.teams.is_empty() { p { "No teams yet." } }
                ol.standings.ranked data-pages {
                    @for team in &b.teams {
                        li.mine[mine(team.id)] {
                            span.rank { (team.rank) }
                            span.team { (team.name) @if mine(team.id) { span.visually-hidden { " (this screen's team)" } } }
                            span.points {
                                (score(team.points))
                                @if let Some(leader) = b.teams.first().filter(|l| l.points > team.points) {
                                    " " span.gap { "(" (score(leader.points - team.points)) " behind)" }
                                }
                            }
                            progress.bar max="100" value=(format!("{:.0}", bar(team.points))) aria-hidden="true" {}
                        }
                    }
                }
            }
            section.panel.panel-today aria-labelledby="today" {
                h2 #today { "Done today" }
                ul.standings data-pages {
                    @for team in &b.today {
                        li.mine[mine(team.id)] {
                            span.team { (team.name) } " " span.points { (team.done) " of " (team.size) }
                            progress.bar max=(team.size.max(1)) value=(team.done) aria-hidden="true" {}
                        }
                    }
                }
            }
            section.panel.panel-streaks aria-labelledby="streaks" {
                h2 #streaks { "Longest streaks" }
                @if b.streaks.is_empty() { p { "Streaks start with day one." } }
                ol.standings data-pages { @for (name, days) in &b.streaks {
                    li { span.team { (name) } " " span.points { (days) (if *days == 1 { " day" } else { " days" }) } }
                } }
            }
            section.panel.panel-badges.badge-feed aria-labelledby="badges" {
                h2 #badges { "New badges" }
                @if b.badges.is_empty() { p { "The first badges are close." } }
                ul data-pages { @for nb in &b.badges { li { span aria-hidden="true" { (nb.icon) } " " (nb.person) ": " (nb.badge) } } }
            }
            section.panel.panel-highlight.highlight aria-labelledby="highlight" {
                @match &b.highlight {
                    Some(h) => {
                        h2 #highlight { "Learnt on day " (h.day) }
                        blockquote { p { (shortened(&h.body)) } footer { "— " (h.author_name) } }
                    },
                    None => {
                        h2 #highlight { "Learnt this week" }
                        p { "Reflections shared with everyone appear here." }
                    },
                }
            }
        }
    }
}

/// The whole screen: no navigation, the board, where the connection stands, and the script
/// that keeps it live.
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
                p #connection.connection role="status" hidden {}
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

/// How often an open stream says it is alive: proxies keep it open, and a screen that hears
/// nothing for a few of these knows its connection is lost (`live.js`).
const PING_EVERY: Duration = Duration::from_secs(10);

/// "Changed" events for one cohort, and a `ping` every [`PING_EVERY`].
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
        .keep_alive(
            KeepAlive::new()
                .interval(PING_EVERY)
                .event(Event::default().event("ping").data("")),
        )
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

/// The cookie that carries a link just made to the page that shows it, once.
const MADE_COOKIE: &str = "muster_new_link";

/// The links page: open the screen, make a named link for the room's screen (shown once, with
/// a copy button and a QR code, on the page the form leads to), and the links in use, each
/// revocable by name. Loading it never makes a link.
pub async fn links(
    State(state): State<AppState>,
    user: SignedIn,
    jar: CookieJar,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    let person = &user.caller.person;
    let made = match jar.get(MADE_COOKIE) {
        Some(c) => briefing::made_link(&state.services, person, &scope, c.value())
            .await?
            .map(|link| (link, briefing::link_url(&state.services, c.value()))),
        None => None,
    };
    let links = briefing::links(&state.services, person, &scope).await?;
    let jar = jar.remove(cookie(
        &state,
        MADE_COOKIE,
        String::new(),
        chrono::Duration::zero(),
    ));
    let body = links_body(&user, cohort_id, &links, made.as_ref(), None);
    Ok((jar, page("Briefing screen", Some(&user), body)).into_response())
}

/// A link's QR code as inline SVG (drawn here from the URL, so trusted), or nothing if the URL
/// is too long for one.
fn qr_svg(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(240, 240)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // Inline in HTML: no XML declaration.
    svg.find("<svg").map(|at| svg[at..].to_string())
}

fn links_body(
    user: &SignedIn,
    cohort_id: i64,
    links: &[TvLink],
    made: Option<&(TvLink, String)>,
    error: Option<&str>,
) -> Markup {
    let when = |t: chrono::DateTime<chrono::Utc>| t.format("%-d %b %Y, %H:%M UTC").to_string();
    html! {
        p { a href="/today" { "← Today" } }
        h1 { "Briefing screen" }
        section.card {
            p { a href=(format!("/c/{cohort_id}/briefing")) { "Open the briefing screen" } " (signed in as you)." }
            @if let Some((link, url)) = made {
                div.flash.flash-ok.made-link role="status" {
                    h2 { "Ready: " (link.name) }
                    p { "Open this link on the screen in the room. It is shown only now: copy it, or scan the code with a phone to check it." }
                    label for="tv-url" { "Link for " (link.name) }
                    input #tv-url type="text" readonly value=(url);
                    p.copy-row {
                        button.secondary type="button" data-copy="tv-url" data-status="copy-status" hidden { "Copy link" }
                        span #copy-status role="status" {}
                    }
                    @if let Some(svg) = qr_svg(url) {
                        figure.qr {
                            div role="img" aria-label=(format!("QR code of the link for {}", link.name)) { (PreEscaped(svg)) }
                            figcaption { "Scan to open the screen's link on a phone." }
                        }
                    }
                }
                script src=(COPY_PATH.as_str()) defer {}
            }
            h2 { "Make a read-only link" }
            form.stack method="post" action=(format!("/c/{cohort_id}/briefing/links")) {
                (csrf_field(&user.csrf))
                label for="link-name" { "Where the screen is" }
                p.hint #link-name-hint { "A name you will recognise, e.g. Briefing room, Ladywood. The link shows the briefing screen and nothing else, without signing in. Revoke it when the screen moves." }
                @if let Some(error) = error { p.field-error #link-name-error { (error) } }
                input #link-name type="text" name="name" required maxlength=(briefing::MAX_LINK_NAME)
                    aria-describedby=(if error.is_some() { "link-name-hint link-name-error" } else { "link-name-hint" })
                    aria-invalid=[error.map(|_| "true")];
                button.primary type="submit" { "Make a read-only link" }
            }
            h2 { "Links in use" }
            @if links.is_empty() { p { "None yet." } } @else {
                div.table-wrap {
                    table.data {
                        caption.visually-hidden { "Read-only links in use" }
                        thead { tr { th scope="col" { "Screen" } th scope="col" { "Made" } th scope="col" { "Last used" } th scope="col" { span.visually-hidden { "Revoke" } } } }
                        tbody {
                            @for link in links {
                                tr {
                                    th scope="row" { (link.name) }
                                    td { (when(link.created_at)) }
                                    td { @match link.last_used_at { Some(t) => (when(t)), None => "Not yet" } }
                                    td {
                                        form.inline method="post" action=(format!("/c/{cohort_id}/briefing/links/{}/revoke", link.id)) {
                                            (csrf_field(&user.csrf))
                                            button.secondary type="submit" { "Revoke " span.visually-hidden { (link.name) } }
                                        }
                                    }
                                }
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
    #[serde(default)]
    name: String,
}

/// Makes a named link, then shows it on the links page once (through a short-lived cookie, so
/// that reloading that page neither makes another link nor shows the secret again).
pub async fn create_link(
    State(state): State<AppState>,
    user: SignedIn,
    jar: CookieJar,
    Path(cohort_id): Path<i64>,
    PageForm(form): PageForm<LinkForm>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let scope = signed_in_scope(&state, &user, cohort_id).await?;
    let person = &user.caller.person;
    match briefing::create_link(&state.services, person, &scope, &form.name).await {
        Ok(token) => {
            let jar = jar.add(cookie(
                &state,
                MADE_COOKIE,
                token,
                chrono::Duration::minutes(10),
            ));
            let to = format!("/c/{cohort_id}/briefing/links");
            Ok((jar, Redirect::to(&to)).into_response())
        }
        Err(AppError::Refused(_, message)) => {
            let links = briefing::links(&state.services, person, &scope).await?;
            let body = links_body(&user, cohort_id, &links, None, Some(&message));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Briefing screen", Some(&user), body),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
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
