//! Signing in as a browser does, for benchmarks that load a real server with many people at
//! once, and the percentile they report. Shared by the HTTP and team-page benchmarks.

use chrono::Duration;
use muster::app::{Services, signin};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

pub struct User {
    /// The `Cookie` header: the session.
    pub cookie: String,
    /// The session's form token, which every signed-in page carries.
    pub csrf: String,
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The value of the first hidden input named `name`.
fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    html[start..].split('"').next().map(String::from)
}

/// Signs a person in the way a browser does: a link issued by the library, opened, its button
/// pressed; then reads the session's form token from the Today page.
pub async fn sign_in(
    client: &reqwest::Client,
    services: &Services,
    base: &str,
    person_id: i64,
) -> User {
    let link = signin::issue_link(
        services,
        muster::domain::PersonId(person_id),
        Duration::minutes(20),
    )
    .await
    .expect("sign-in link");
    let page = client.get(&link).send().await.expect("open the link");
    assert_eq!(page.status().as_u16(), 200, "opening a sign-in link");
    let form_cookie = set_cookie(&page, "muster_form").expect("form cookie");
    let csrf = hidden(&page.text().await.expect("body"), "csrf").expect("csrf field");
    let done = client
        .post(&link)
        .header(COOKIE, format!("muster_form={form_cookie}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("csrf={csrf}"))
        .send()
        .await
        .expect("press sign in");
    assert_eq!(done.status().as_u16(), 303, "signing in");
    assert_eq!(
        done.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
        Some("/today")
    );
    let cookie = format!(
        "muster_session={}",
        set_cookie(&done, "muster_session").expect("session cookie")
    );
    let today = client
        .get(format!("{base}/today"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .expect("today");
    assert_eq!(today.status().as_u16(), 200);
    let csrf = hidden(&today.text().await.expect("body"), "csrf").expect("session csrf");
    User { cookie, csrf }
}

/// The `p` percentile (0 to 1) of microsecond samples, in milliseconds.
pub fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1] as f64 / 1000.0
}
