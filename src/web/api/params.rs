//! What an API request carries: path and query parameters and the bounded strings of its bodies,
//! read into types that hold the bounds the OpenAPI document declares for them (each type writes
//! its own schema from the constants it checks), so the document says exactly what is accepted.
//! Anything that does not fit is a 400 `ErrorJson` saying which part and why, never axum's
//! plain text.

use std::sync::LazyLock;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, RefOr, SchemaFormat};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use crate::app::feed::REACTIONS;
use crate::domain;
use crate::web::error::ApiError;

/// A request's refusal of a part that does not fit, or our own trouble when axum says so.
fn refused(status: StatusCode, what: &str, why: String) -> ApiError {
    if status.is_server_error() {
        tracing::error!(error = %why, "cannot read the {what}");
        return ApiError::new(status, "internal", "Something went wrong on our side.");
    }
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "bad_request",
        format!("the {what} is not valid: {why}"),
    )
}

/// The path's parameters, or a 400 `ErrorJson`.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(ApiPath(value)),
            Err(e) => Err(refused(e.status(), "path", e.body_text())),
        }
    }
}

/// The query string's parameters, or a 400 `ErrorJson`.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(refused(e.status(), "query string", e.body_text())),
        }
    }
}

/// A day of a challenge: from 1 to the most days a pack may have.
#[derive(Debug, Clone, Copy)]
pub struct Day(pub domain::Day);

impl Day {
    const MAX: u32 = *crate::pack::LENGTHS.end() as u32;
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let day = u32::deserialize(d)?;
        match domain::Day::new(day).filter(|_| day <= Day::MAX) {
            Some(day) => Ok(Day(day)),
            None => Err(D::Error::custom(format!(
                "day {day} is not a day of any challenge: days run from 1 to {}",
                Day::MAX
            ))),
        }
    }
}

impl PartialSchema for Day {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(1))
            .maximum(Some(Day::MAX))
            .into()
    }
}

impl ToSchema for Day {}

/// What a string may never hold: PostgreSQL cannot store a NUL character.
const NO_NUL: &str = "^[^\\u0000]*$";

/// A string of `MIN` to `MAX` characters (Unicode scalar values, as JSON Schema counts them),
/// without NUL, as sent: the use cases trim it and may refuse it for what it says (422).
#[derive(Debug, Clone, Default)]
pub struct Text<const MIN: usize, const MAX: usize>(pub String);

impl<'de, const MIN: usize, const MAX: usize> Deserialize<'de> for Text<MIN, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let chars = text.chars().count();
        if !(MIN..=MAX).contains(&chars) {
            return Err(D::Error::custom(format!(
                "{chars} characters, where {MIN} to {MAX} are accepted"
            )));
        }
        if text.contains('\0') {
            return Err(D::Error::custom(
                "a NUL character (\\u0000) is not accepted",
            ));
        }
        Ok(Text(text))
    }
}

impl<const MIN: usize, const MAX: usize> PartialSchema for Text<MIN, MAX> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length((MIN > 0).then_some(MIN))
            .max_length(Some(MAX))
            .pattern(Some(NO_NUL))
            .into()
    }
}

impl<const MIN: usize, const MAX: usize> ToSchema for Text<MIN, MAX> {}

/// The form of a feed cursor: the `next` of a page, `{created_at}-{id}`.
const CURSOR: &str = "^[0-9]{1,19}-[0-9]{1,19}$";

/// A feed position, as a previous page's `next` gave it.
#[derive(Debug, Clone)]
pub struct Cursor(pub String);

impl<'de> Deserialize<'de> for Cursor {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        static FORM: LazyLock<regex::Regex> =
            LazyLock::new(|| regex::Regex::new(CURSOR).expect("the cursor's pattern"));
        let cursor = String::deserialize(d)?;
        if FORM.is_match(&cursor) {
            Ok(Cursor(cursor))
        } else {
            Err(D::Error::custom(
                "`after` takes the `next` of a previous page, as it was given",
            ))
        }
    }
}

impl PartialSchema for Cursor {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(CURSOR))
            .into()
    }
}

impl ToSchema for Cursor {}

/// `/cohorts/{cohort}/...`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct CohortPath {
    /// The cohort's id (from `/api/v1/today`).
    #[param(minimum = 1)]
    pub cohort: i64,
}

/// `/cohorts/{cohort}/days/{day}/...`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct DayPath {
    /// The cohort's id (from `/api/v1/today`).
    #[param(minimum = 1)]
    pub cohort: i64,
    /// The day, from 1 to the challenge's length; one not released yet answers 422.
    #[param(inline)]
    pub day: Day,
}

/// `/cohorts/{cohort}/reflections/{id}/...`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReflectionPath {
    /// The cohort's id (from `/api/v1/today`).
    #[param(minimum = 1)]
    pub cohort: i64,
    /// The reflection's id (from the feed).
    #[param(minimum = 1)]
    pub id: i64,
}

/// `/cohorts/{cohort}/reflections/{id}/reactions/{kind}`
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ReactionPath {
    /// The cohort's id (from `/api/v1/today`).
    #[param(minimum = 1)]
    pub cohort: i64,
    /// The reflection's id (from the feed).
    #[param(minimum = 1)]
    pub id: i64,
    /// Which reaction; another answers 422 naming these.
    #[param(inline)]
    pub kind: ReactionKind,
}

/// A reaction's kind, as sent: the use case refuses one that is not a reaction (422).
#[derive(Deserialize)]
#[serde(transparent)]
pub struct ReactionKind(pub String);

/// The reactions there are, from the list the use case checks against.
impl PartialSchema for ReactionKind {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(REACTIONS.map(|(kind, _)| kind)))
            .into()
    }
}

impl ToSchema for ReactionKind {}

/// How the shift went, as a whole number: `4` or `4.0` (JSON Schema's integers include both).
/// The use case refuses one outside 1 to 5 (422).
#[derive(Debug, Clone, Copy)]
pub struct Checkin(pub u8);

impl<'de> Deserialize<'de> for Checkin {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(d)?;
        let whole = number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u8::MAX))
                .map(|f| f as u64)
        });
        whole
            .and_then(|n| u8::try_from(n).ok())
            .map(Checkin)
            .ok_or_else(|| D::Error::custom(format!("{number} is not a check-in: 1 to 5")))
    }
}

impl PartialSchema for Checkin {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(1))
            .maximum(Some(5))
            .into()
    }
}

impl ToSchema for Checkin {}
