//! Server-rendered pages (maud): mobile first, accessible, working without JavaScript. Each
//! handler checks who is asking, calls one use case in [`crate::app`], and renders the answer.

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::AppState;
use super::auth::MaybeSignedIn;

pub mod account;
pub mod briefing;
pub mod chart;
pub mod day;
pub mod feed;
pub mod journey;
pub mod layout;
pub mod lead;
pub mod leaderboard;
pub mod mail;
pub mod signin;
pub mod team;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/signin", get(signin::form).post(signin::request))
        .route("/signin/{token}", get(signin::confirm).post(signin::redeem))
        .route("/signout", post(signin::sign_out))
        .route("/today", get(day::today))
        .route("/c/{cohort}/day/{day}", get(day::show).post(day::submit))
        .route("/c/{cohort}/day/{day}/rest", post(day::rest))
        .route("/c/{cohort}/journey", get(journey::show))
        .route("/c/{cohort}/leaderboard", get(leaderboard::show))
        .route("/c/{cohort}/feed", get(feed::show))
        .route("/c/{cohort}/reflections/{id}/reply", post(feed::reply))
        .route("/c/{cohort}/reflections/{id}/react", post(feed::react))
        .route("/c/{cohort}/reflections/{id}/report", post(feed::report))
        .route("/c/{cohort}/reflections/{id}/hide", post(feed::hide))
        .route("/c/{cohort}/reports", get(feed::reports))
        .route("/c/{cohort}/team", get(team::show))
        .route("/c/{cohort}/team/{person}", get(team::member))
        .route("/c/{cohort}/team/{person}/encourage", post(team::encourage))
        .route("/c/{cohort}/briefing", get(briefing::show))
        .route(
            "/c/{cohort}/briefing/fragment",
            get(briefing::show_fragment),
        )
        .route("/c/{cohort}/briefing/events", get(briefing::show_events))
        .route(
            "/c/{cohort}/briefing/links",
            get(briefing::links).post(briefing::create_link),
        )
        .route(
            "/c/{cohort}/briefing/links/{id}/revoke",
            post(briefing::revoke_link),
        )
        .route("/briefing/{token}", get(briefing::by_link))
        .route(
            "/briefing/{token}/fragment",
            get(briefing::by_link_fragment),
        )
        .route("/briefing/{token}/events", get(briefing::by_link_events))
        .route("/lead", get(lead::cohorts))
        .route(
            "/lead/c/{cohort}/enrol",
            get(lead::enrol_form).post(lead::enrol),
        )
        .route("/lead/c/{cohort}/audit", get(lead::audit))
        .route("/account", get(account::show))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
        .route("/preferences", get(mail::preferences))
        .route("/preferences/{cohort}", post(mail::choose))
        .route(
            "/unsubscribe/{token}",
            get(mail::confirm).post(mail::unsubscribe),
        )
}

async fn home(MaybeSignedIn(user): MaybeSignedIn) -> Response {
    match user {
        Some(_) => Redirect::to("/today").into_response(),
        None => Redirect::to("/signin").into_response(),
    }
}
