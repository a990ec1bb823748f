//! The participant's leaderboard page: their rank in the cohort and in their team with
//! neighbours, the teams (theirs with neighbours), this week, and who was first today.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

use super::layout::page;
use crate::app::leaderboard::{self, Row};
use crate::domain::CohortId;
use crate::web::AppState;
use crate::web::auth::SignedIn;
use crate::web::error::PageError;

/// A board as an ordered table; the person's own row is marked.
pub fn table(caption: &str, rows: &[Row], unit: &str) -> Markup {
    html! {
        div.table-wrap {
            table.data {
                caption { (caption) }
                thead { tr { th scope="col" { "Rank" } th scope="col" { "Name" } th scope="col" { (unit) } } }
                tbody {
                    @for row in rows {
                        tr aria-current=[row.me.then_some("true")] {
                            td { (row.rank) } th scope="row" { (row.name) @if row.me { " (you)" } } td { (row.points) }
                        }
                    }
                }
            }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    user: SignedIn,
    Path(cohort_id): Path<i64>,
) -> Result<Response, PageError> {
    let access = user
        .caller
        .access(&state.services, CohortId(cohort_id))
        .await?;
    let boards = leaderboard::leaderboards(&state.services, &access).await?;
    let team_unit = if boards.teams_per_member {
        "Points per member"
    } else {
        "Points"
    };
    let body = html! {
        p { a href="/today" { "← Today" } }
        h1 { "Leaderboard" }
        @if boards.stale { p.stale role="status" { "Updating: the latest points are saved and will appear shortly." } }
        section.card { (table("The cohort", &boards.people, "Points"))
            @if !boards.around_me.is_empty() { (table("Around you", &boards.around_me, "Points")) }
            @if !boards.in_my_team.is_empty() { (table("In your team", &boards.in_my_team, "Points")) } }
        section.card { (table("Teams", &boards.teams, team_unit))
            @if !boards.around_my_team.is_empty() { (table("Around your team", &boards.around_my_team, team_unit)) }
            @if boards.teams_per_member { p.hint { "Teams are ranked by points per member, so small and large teams compete fairly." } } }
        section.card { (table(&format!("This week ({})", boards.week), &boards.this_week, "Points")) }
        @if let Some(day) = boards.day {
            section.card {
                h2 { "First to complete day " (day) }
                @if boards.first_today.is_empty() { p { "Nobody yet: it could be you." } }
                ol { @for row in &boards.first_today { li { (row.name) @if row.me { " (you)" } } } }
            }
        }
    };
    Ok(page("Leaderboard", Some(&user), body).into_response())
}
