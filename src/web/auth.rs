//! Who is asking, and whether a form really came from muster.
//!
//! Pages use a session cookie (HttpOnly, SameSite=Lax, Secure behind https) whose hash is stored
//! server-side with a per-session form token; every POST form carries that token and the handler
//! checks it ([`SignedIn::check_form`]). The sign-in forms, used before there is a session, carry
//! a token that must match a cookie set with the form (double submit). The API takes bearer tokens.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

use super::AppState;
use super::error::{ApiError, PageError};
use crate::app::AppError;
use crate::app::people::Caller;
use crate::app::signin;

pub const SESSION_COOKIE: &str = "muster_session";
/// The double-submit cookie of the sign-in forms.
pub const FORM_COOKIE: &str = "muster_form";

/// Compares secrets in constant time, so timing tells an attacker nothing.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A cookie as muster sets them: HttpOnly, SameSite=Lax, whole site, Secure behind https.
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age: chrono::Duration,
) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .path("/")
        .max_age(time_duration(max_age))
        .build()
}

fn time_duration(d: chrono::Duration) -> cookie::time::Duration {
    cookie::time::Duration::seconds(d.num_seconds())
}

/// A signed-in person, from the session cookie. Pages that need one redirect to sign-in without it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who they are and where they belong, read with the session.
    pub caller: Caller,
    /// The form token of this session, for the hidden field of every form.
    pub csrf: String,
    pub session: String,
}

impl SignedIn {
    /// Refuses a form that does not carry this session's token.
    pub fn check_form(&self, token: &str) -> Result<(), PageError> {
        if same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err(PageError::ExpiredForm)
        }
    }
}

async fn signed_in(parts: &mut Parts, state: &AppState) -> Result<Option<SignedIn>, AppError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    if token.len() != 64 {
        return Ok(None);
    }
    Ok(signin::session(&state.services, &token)
        .await?
        .map(|(caller, csrf)| SignedIn {
            caller,
            csrf,
            session: token,
        }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match signed_in(parts, state).await {
            Ok(Some(user)) => Ok(user),
            Ok(None) => Err(if parts.method == axum::http::Method::GET {
                Redirect::to("/signin").into_response()
            } else {
                PageError::SignedOut.into_response()
            }),
            Err(e) => Err(PageError::App(e).into_response()),
        }
    }
}

/// The signed-in person when there is one; for pages anyone may open.
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        signed_in(parts, state)
            .await
            .map(MaybeSignedIn)
            .map_err(|e| PageError::App(e).into_response())
    }
}

/// The form token for pages shown before sign-in: the one in the visitor's cookie, or a new one
/// (then the page must set [`AnonymousForm::cookie`]).
pub struct AnonymousForm {
    pub token: String,
    pub is_new: bool,
}

impl AnonymousForm {
    pub fn from_jar(jar: &CookieJar) -> Self {
        match jar
            .get(FORM_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|t| t.len() == 64)
        {
            Some(token) => AnonymousForm {
                token,
                is_new: false,
            },
            None => AnonymousForm {
                token: signin::new_secret(),
                is_new: true,
            },
        }
    }

    /// Adds the cookie to the response when the token is new.
    pub fn save(&self, state: &AppState, jar: CookieJar) -> CookieJar {
        if self.is_new {
            jar.add(cookie(
                state,
                FORM_COOKIE,
                self.token.clone(),
                chrono::Duration::days(1),
            ))
        } else {
            jar
        }
    }

    /// Refuses a sign-in form whose token does not match the visitor's cookie.
    pub fn check(jar: &CookieJar, token: &str) -> Result<(), PageError> {
        match jar.get(FORM_COOKIE) {
            Some(c) if same_secret(c.value(), token) => Ok(()),
            _ => Err(PageError::ExpiredForm),
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header, whatever the case of the scheme's
/// name (RFC 7235 makes it case-insensitive, and some clients send `bearer`).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The person behind an API bearer token, with their memberships.
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer)
            .filter(|t| !t.is_empty() && t.len() <= 100);
        let Some(token) = token else {
            return Err(ApiError::unauthorized());
        };
        match signin::api_caller(&state.services, token).await {
            Ok(Some(caller)) => Ok(ApiCaller(caller)),
            Ok(None) => Err(ApiError::unauthorized()),
            Err(e) => Err(ApiError::from(e)),
        }
    }
}
