//! Request bodies: forms and JSON whose every failure is a 400 with a message saying what was
//! wrong (axum's own extractors answer some with 422 and plain text).
//!
//! A NUL character is refused here, once for every route: no text muster stores may hold one
//! (PostgreSQL cannot store it at all, and would fail the request with a 500 after the handler
//! had begun its work). Bodies are checked by [`PageForm`] and [`ApiJson`]; the path and query
//! string of every request by [`refuse_nul_in_address`].

use axum::body::{Body, Bytes};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::pages::layout;

/// A urlencoded form, or a 400 page.
pub struct PageForm<T>(pub T);

impl<S, T> FromRequest<S> for PageForm<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| bad_form(&e.into()))?;
        if urlencoded_nul(&bytes) {
            return Err(nul_page());
        }
        let req = Request::from_parts(parts, Body::from(bytes));
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(PageForm(value)),
            Err(rejection) => Err(bad_form(&rejection)),
        }
    }
}

fn bad_form(rejection: &FormRejection) -> Response {
    let status = match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::BAD_REQUEST,
    };
    let message = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "That was far too long to send. Nothing was saved.".to_string()
    } else {
        format!(
            "The form could not be read ({}). Nothing was saved.",
            rejection.body_text()
        )
    };
    (status, layout::message_page("That did not work", &message)).into_response()
}

/// A JSON body, or a 400 with `{"error": ...}`.
pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|e| bad_json(&e.into()))?;
        if json_nul(&bytes) {
            return Err(nul_json());
        }
        let req = Request::from_parts(parts, Body::from(bytes));
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => Err(bad_json(&rejection)),
        }
    }
}

fn bad_json(rejection: &JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "the request body is too large",
        );
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        rejection.body_text(),
    )
}

/// Refuses a request whose path or query string holds an escaped NUL (`%00`): a JSON answer
/// under `/api/`, a page elsewhere.
pub async fn refuse_nul_in_address(req: Request, next: Next) -> Response {
    let uri = req.uri();
    let nul = urlencoded_nul(uri.path().as_bytes())
        || uri.query().is_some_and(|q| urlencoded_nul(q.as_bytes()));
    match nul {
        false => next.run(req).await,
        true if uri.path().starts_with("/api/") => nul_json().into_response(),
        true => nul_page(),
    }
}

fn nul_page() -> Response {
    (
        StatusCode::BAD_REQUEST,
        layout::message_page(
            "That did not work",
            "What was sent held a NUL character (a zero byte), which no text in muster may contain. Nothing was saved.",
        ),
    )
        .into_response()
}

fn nul_json() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        "the request holds a NUL character (\\u0000 or %00), which no field accepts",
    )
}

/// Whether urlencoded text decodes to a NUL: only a raw zero byte or `%00` can (the `%` of a
/// `%00` cannot belong to an earlier escape, whose two characters are hex digits).
fn urlencoded_nul(text: &[u8]) -> bool {
    text.contains(&0) || text.windows(3).any(|w| w == b"%00")
}

/// Whether JSON text holds a NUL: a raw zero byte (which is invalid JSON anyway) or a `\u0000`
/// escape, that is `u0000` after an odd run of backslashes (after an even run the backslashes
/// escape each other and `u0000` is plain text).
fn json_nul(text: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, &b) in text.iter().enumerate() {
        if b == 0 {
            return true;
        }
        if b == b'\\' {
            backslashes += 1;
            continue;
        }
        if backslashes % 2 == 1 && text[i..].starts_with(b"u0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_however_it_is_written() {
        assert!(urlencoded_nul(b"email=a%00b"));
        assert!(urlencoded_nul(b"email=a\0b"));
        assert!(urlencoded_nul(b"a=%%00"));
        assert!(!urlencoded_nul(b"email=a%2500b&x=%0A"));
        assert!(json_nul(br#"{"reflection":"a\u0000b"}"#));
        assert!(json_nul(br#"{"a\u0000":1}"#));
        assert!(json_nul(br#"{"r":"\\\u0000"}"#));
        assert!(!json_nul(br#"{"r":"\\u0000"}"#));
        assert!(!json_nul(br#"{"r":"\u0001 u0000 \u00a0"}"#));
        assert!(!json_nul(br#"{"r":"\\\\u0000"}"#));
    }
}
