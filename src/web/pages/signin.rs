//! Sign-in by emailed link, and sign-out.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{csrf_field, message_page, page};
use crate::app::signin::{self, LinkProblem, LinkRequest};
use crate::web::AppState;
use crate::web::auth::{AnonymousForm, SESSION_COOKIE, SignedIn, cookie};
use crate::web::client::ClientAddress;
use crate::web::error::PageError;
use crate::web::input::PageForm;

fn signin_form(form: &AnonymousForm, problem: Option<&str>, email: &str) -> Markup {
    html! {
        section.card.signin {
            h1 { "Sign in to muster" }
            @if let Some(problem) = problem {
                p.flash.flash-error #email-error role="alert" { (problem) }
            }
            p { "We will email you a link that signs you in. No password to remember." }
            form.stack method="post" action="/signin" {
                (csrf_field(&form.token))
                label for="email" { "Your work email address" }
                input #email type="email" name="email" autocomplete="email" required value=(email)
                    aria-describedby=[problem.map(|_| "email-error")];
                button.primary type="submit" { "Email me a sign-in link" }
            }
        }
    }
}

pub async fn form(State(state): State<AppState>, jar: CookieJar) -> Response {
    let form = AnonymousForm::from_jar(&jar);
    let jar = form.save(&state, jar);
    (jar, page("Sign in", None, signin_form(&form, None, ""))).into_response()
}

#[derive(Deserialize)]
pub struct SignInRequest {
    csrf: String,
    email: String,
}

pub async fn request(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    jar: CookieJar,
    PageForm(input): PageForm<SignInRequest>,
) -> Result<Response, PageError> {
    AnonymousForm::check(&jar, &input.csrf)?;
    match signin::request_link(&state.services, &input.email, client).await {
        Ok(LinkRequest::TooManyFromClient) => {
            let form = AnonymousForm::from_jar(&jar);
            let problem = format!(
                "Too many sign-in links have been asked for from your network just now. Please try again in {} minutes.",
                signin::LINK_WINDOW.num_minutes()
            );
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                page("Sign in", None, signin_form(&form, Some(&problem), &input.email)),
            )
                .into_response())
        }
        Ok(LinkRequest::Taken) => Ok(page(
            "Check your email",
            None,
            html! {
                section.card.signin {
                    h1 { "Check your email" }
                    p { "If " strong { (input.email.trim()) } " is enrolled in muster, a sign-in link is on its way. It works once, for "
                        (signin::LINK_LIFETIME.num_minutes()) " minutes." }
                    p.muted { "Nothing arrived? Check the address, look in junk mail, or ask again in a few minutes." }
                    p { a href="/signin" { "Use a different address" } }
                }
            },
        )
        .into_response()),
        Err(crate::app::AppError::Refused(_, problem)) => {
            let form = AnonymousForm::from_jar(&jar);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Sign in", None, signin_form(&form, Some(&problem), &input.email)),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// Where a link goes once signed in: `?next=/c/COHORT/day/DAY` (a reminder's one-tap link), or
/// Today. Only that form of local path is followed, so a link cannot send anyone elsewhere.
#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
}

impl Next {
    fn day(&self) -> Option<&str> {
        let next = self.next.as_deref()?;
        let rest = next.strip_prefix("/c/")?;
        let (cohort, day) = rest.split_once("/day/")?;
        let digits =
            |s: &str| !s.is_empty() && s.len() < 10 && s.bytes().all(|b| b.is_ascii_digit());
        (digits(cohort) && digits(day)).then_some(next)
    }
}

/// Opening a link shows a button; only pressing it signs in (mail scanners open links too).
pub async fn confirm(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
    Query(next): Query<Next>,
) -> Response {
    let form = AnonymousForm::from_jar(&jar);
    let jar = form.save(&state, jar);
    let action = match next.day() {
        Some(day) => format!("/signin/{token}?next={day}"),
        None => format!("/signin/{token}"),
    };
    let body = html! {
        section.card.signin {
            h1 { "Sign in to muster" }
            form.stack method="post" action=(action) {
                (csrf_field(&form.token))
                button.primary type="submit" { "Sign in" }
            }
        }
    };
    (jar, page("Sign in", None, body)).into_response()
}

#[derive(Deserialize)]
pub struct Confirm {
    csrf: String,
}

pub async fn redeem(
    State(state): State<AppState>,
    jar: CookieJar,
    Path(token): Path<String>,
    Query(next): Query<Next>,
    PageForm(input): PageForm<Confirm>,
) -> Result<Response, PageError> {
    AnonymousForm::check(&jar, &input.csrf)?;
    if token.len() > 100 {
        return Ok(link_problem(&state, jar, LinkProblem::Unknown));
    }
    match signin::redeem(&state.services, &token).await? {
        Ok(session) => {
            let jar = jar.add(cookie(
                &state,
                SESSION_COOKIE,
                session.token,
                signin::SESSION_LIFETIME,
            ));
            Ok((jar, Redirect::to(next.day().unwrap_or("/today"))).into_response())
        }
        Err(problem) => Ok(link_problem(&state, jar, problem)),
    }
}

/// An expired, used or unknown link: say so kindly and offer a new one on the spot.
fn link_problem(state: &AppState, jar: CookieJar, problem: LinkProblem) -> Response {
    let form = AnonymousForm::from_jar(&jar);
    let jar = form.save(state, jar);
    let message = format!(
        "{problem} Links work once, for {} minutes. Ask for a new one below.",
        signin::LINK_LIFETIME.num_minutes()
    );
    let body = signin_form(&form, Some(&message), "");
    (StatusCode::GONE, jar, page("Sign in", None, body)).into_response()
}

#[derive(Deserialize)]
pub struct SignOut {
    csrf: String,
}

pub async fn sign_out(
    State(state): State<AppState>,
    user: SignedIn,
    jar: CookieJar,
    PageForm(input): PageForm<SignOut>,
) -> Result<Response, PageError> {
    user.check_form(&input.csrf)?;
    signin::sign_out(&state.services, &user.session).await?;
    let jar = jar.remove(cookie(
        &state,
        SESSION_COOKIE,
        String::new(),
        chrono::Duration::zero(),
    ));
    Ok((
        jar,
        message_page("Signed out", "You are signed out. See you next shift."),
    )
        .into_response())
}
