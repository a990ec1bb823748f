//! The account page: who I am, and my API tokens (for a mobile app or a Teams bot).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::layout::{csrf_field, page};
use crate::app::signin;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

pub async fn show(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let tokens = signin::api_tokens(&state.services, &user.caller.person).await?;
    Ok(page("Account", Some(&user), html! {
        h1 { "Account" }
        section.card {
            p { "Signed in as " strong { (user.caller.person.display_name) } " (" (user.caller.person.email) ")." }
        }
        section.card aria-labelledby="tokens" {
            h2 #tokens { "API tokens" }
            p { "A token lets an app act as you through muster's API. Keep it secret; revoke it when you stop using the app." }
            @if !tokens.is_empty() {
                ul {
                    @for token in &tokens {
                        li {
                            (token.name) " · created " (token.created_at.format("%-d %b %Y"))
                            @match token.last_used_at {
                                Some(at) => { " · last used " (at.format("%-d %b %Y")) }
                                None => { " · never used" }
                            }
                            form.inline method="post" action=(format!("/account/tokens/{}/revoke", token.id)) {
                                (csrf_field(&user.csrf))
                                button.secondary type="submit" { "Revoke" span.visually-hidden { " " (token.name) } }
                            }
                        }
                    }
                }
            }
            form.stack method="post" action="/account/tokens" {
                (csrf_field(&user.csrf))
                label for="token-name" { "Name for a new token" }
                input #token-name type="text" name="name" required maxlength="60" placeholder="Teams bot";
                button.primary type="submit" { "Create token" }
            }
        }
    }).into_response())
}

#[derive(Deserialize)]
pub struct NewToken {
    csrf: String,
    name: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    user: SignedIn,
    PageForm(form): PageForm<NewToken>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    let (_, secret) =
        signin::create_api_token(&state.services, &user.caller.person, &form.name).await?;
    Ok(page(
        "New API token",
        Some(&user),
        html! {
            section.card {
                h1 { "Your new API token" }
                p { "Copy it now: muster shows it only once." }
                p { code { (secret) } }
                p { a href="/account" { "Back to your account" } }
            }
        },
    )
    .into_response())
}

#[derive(Deserialize)]
pub struct Revoke {
    csrf: String,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    user: SignedIn,
    Path(id): Path<i64>,
    PageForm(form): PageForm<Revoke>,
) -> Result<Response, PageError> {
    user.check_form(&form.csrf)?;
    signin::revoke_api_token(&state.services, &user.caller.person, id).await?;
    Ok(Redirect::to("/account").into_response())
}
