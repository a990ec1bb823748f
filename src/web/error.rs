//! How failures become answers: a kind page for people, a JSON object for programs. A request
//! that was wrong says how (4xx); muster's own trouble is logged and said plainly (5xx), and a
//! database that is away is a 503 that asks to retry, never a 500.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use super::pages::layout;
use crate::app::{AppError, DATABASE_AWAY, Refusal};
use crate::rules::safeguarding::Flag;

/// The status a use case's error deserves.
fn status(e: &AppError) -> StatusCode {
    match e {
        AppError::Refused(..) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        e if e.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// What a person may read about an error: their own mistake in full; our trouble in general terms.
fn public_message(e: &AppError) -> String {
    match e {
        AppError::Refused(_, m) | AppError::NotFound(m) | AppError::Unavailable(m) => m.clone(),
        e if e.is_unavailable() => DATABASE_AWAY.into(),
        e => {
            tracing::error!(error = %e, "request failed");
            "Something went wrong on our side and it has been logged. Please try again.".into()
        }
    }
}

/// An error on a page.
#[derive(Debug)]
pub enum PageError {
    App(AppError),
    /// A form without this session's token: a stale tab, or another site posting.
    ExpiredForm,
    /// A form sent after the session ended.
    SignedOut,
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError::App(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            PageError::App(e) => {
                let status = status(e);
                let title = match status {
                    StatusCode::NOT_FOUND => "Not found",
                    StatusCode::UNPROCESSABLE_ENTITY => "That did not work",
                    StatusCode::SERVICE_UNAVAILABLE => "Please try again in a minute",
                    _ => "Something went wrong",
                };
                (status, title, public_message(e))
            }
            PageError::ExpiredForm => (
                StatusCode::FORBIDDEN,
                "This form has expired",
                "Please go back, reload the page and send it again. Nothing was saved.".to_string(),
            ),
            PageError::SignedOut => (
                StatusCode::UNAUTHORIZED,
                "You are signed out",
                "Please sign in again, then send the form again. Nothing was saved.".to_string(),
            ),
        };
        (status, layout::message_page(title, &message)).into_response()
    }
}

/// An error from the JSON API: `{"error": {"code": ..., "message": ...}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub flags: Vec<Flag>,
}

/// How every API error looks: `{"error": {"code": ..., "message": ..., "flags": [...]}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorJson {
    error: ErrorDetailJson,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetailJson {
    /// What went wrong, for a program: one of [`CODES`] or a [`Refusal`]'s code.
    #[schema(schema_with = code_schema)]
    code: String,
    message: String,
    /// For `needs_review`: where the parts that look identifying are (byte offsets) and what they seem to be.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    flags: Vec<Flag>,
}

/// The codes the web layer answers itself, with what each means; a rule's refusals add theirs
/// ([`Refusal::ALL`], all 422).
const CODES: [(&str, &str); 11] = [
    (
        "bad_request",
        "400: the request does not fit the OpenAPI document; the message says which part",
    ),
    ("unauthorized", "401: no valid API token"),
    (
        "not_found",
        "404: no such endpoint, cohort or reflection (or not the caller's)",
    ),
    (
        "method_not_allowed",
        "405: the endpoint does not take that method",
    ),
    (
        "edit_conflict",
        "409: the stored reflection changed since the edit's `version`",
    ),
    ("too_large", "413: the body is over 64 KiB"),
    (
        "needs_review",
        "422: parts of the text look identifying; `flags` says where",
    ),
    (
        "idempotency_key_reused",
        "422: the key was used for a different request",
    ),
    (
        "would_reveal_anonymous",
        "422: adding a name would narrow down who wrote published anonymous reflections",
    ),
    ("internal", "500: muster's own fault; it is logged"),
    (
        "unavailable",
        "503: the database is away for a moment; try again",
    ),
];

/// The document's `code`: an enum of every code, each explained in the description.
fn code_schema() -> Object {
    let refusals = Refusal::ALL.iter().map(|r| (r.code(), r.meaning()));
    let mut description =
        String::from("What went wrong, for a program (a rule's refusals are all 422):");
    let mut codes = Vec::new();
    for (code, meaning) in CODES.into_iter().chain(refusals) {
        description.push_str(&format!("\n- `{code}`: {meaning}"));
        codes.push(code);
    }
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(codes))
        .description(Some(description))
        .build()
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            flags: Vec::new(),
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send a valid API token: Authorization: Bearer mst_...",
        )
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = status(&e);
        let code = match (&e, status) {
            (AppError::Refused(refusal, _), _) => refusal.code(),
            (_, StatusCode::NOT_FOUND) => "not_found",
            (_, StatusCode::SERVICE_UNAVAILABLE) => "unavailable",
            _ => "internal",
        };
        ApiError::new(status, code, public_message(&e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorJson {
            error: ErrorDetailJson {
                code: self.code.to_string(),
                message: self.message,
                flags: self.flags,
            },
        };
        (self.status, Json(body)).into_response()
    }
}
