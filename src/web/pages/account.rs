//! The account page: who I am, sign-out, and the apps I connected (API tokens, for a phone app
//! or a Teams bot, named in plain words).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::layout::{Tab, csrf_field, page, page_in};
use crate::app::signin;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;
use crate::web::input::PageForm;

pub async fn show(State(state): State<AppState>, user: SignedIn) -> Result<Response, PageError> {
    let tokens = signin::api_tokens(&state.services, &user.caller.person).await?;
    Ok(page_in(Some(Tab::Account), "Account", Some(&user), html! {
        h1 { "Account" }
        section.card aria-labelledby="me" {
            h2 #me { "You" }
            p { "Signed in as " strong { (user.caller.person.display_name) } }
            p.email { (user.caller.person.email) }
            div.actions {
                a href="/preferences" { "Email reminders" }
                form.inline method="post" action="/signout" {
                    (csrf_field(&user.csrf))
                    button.secondary type="submit" { "Sign out" }
                }
            }
        }
        section.card aria-labelledby="apps" {
            h2 #apps { "Connect an app" }
            p { "To use muster from another app (a phone app or a Teams bot), give it a key made here. The app can then do what you can do in muster, so keep the key secret, and remove it when you stop using the app." }
            @if !tokens.is_empty() {
                h3 { "Apps you connected" }
                ul {
                    @for token in &tokens {
                        li {
                            (token.name) " · connected " (token.created_at.format("%-d %b %Y"))
                            @match token.last_used_at {
                                Some(at) => { " · last used " (at.format("%-d %b %Y")) }
                                None => { " · never used" }
                            }
                            form.inline method="post" action=(format!("/account/tokens/{}/revoke", token.id)) {
                                (csrf_field(&user.csrf))
                                button.secondary type="submit" { "Disconnect" span.visually-hidden { " " (token.name) } }
                            }
                        }
                    }
                }
            }
            form.stack method="post" action="/account/tokens" {
                (csrf_field(&user.csrf))
                label for="token-name" { "The app's name" }
                input #token-name type="text" name="name" required maxlength="60" placeholder="Teams bot";
                button.primary type="submit" { "Make a key for this app" }
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
        "New app key",
        Some(&user),
        html! {
            section.card {
                h1 { "The key for your app" }
                p { "Copy it into the app now: muster shows it only once." }
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
