//! The change lead's pages: the cohorts they lead, enrolling from a CSV with a preview (bad rows:
//! nothing written, every bad line shown, the file kept), a stale form refused, the audit log, and
//! every route refused to a participant, a manager, a lead of another cohort and for another
//! cohort's id. On both backends.

use crate::support;
use crate::support::TestDb;
use crate::support::app::{Browser, TestApp, form_token, hidden};
use crate::support::browser::{
    Chromium, TextContent, axe_source, axe_violations, screenshot, sign_in, wait_css, wait_xpath,
    with_chromium,
};

const HEADER: &str = "email,name,team,role\n";
const NORTH: &str = "lee@force.police.uk,Insp Lee,,change_lead\n\
    sam@force.police.uk,Sgt Sam,Alpha,manager\n\
    a1@force.police.uk,Alpha One,Alpha,participant\n";
const SOUTH: &str = "sue@force.police.uk,Insp Sue,,change_lead\n\
    lee@force.police.uk,Insp Lee,Bravo,participant\n\
    b2@force.police.uk,Bravo South,Bravo,participant\n";

struct World {
    app: TestApp,
    north: i64,
    south: i64,
}

async fn world(db: &TestDb) -> World {
    let app = TestApp::spawn(db, support::utc("2027-01-04T12:00:00Z")).await;
    let north = app
        .cohort_named("North", "2027-01-04", &format!("{HEADER}{NORTH}"))
        .await;
    let south = app
        .cohort_named("South", "2027-01-04", &format!("{HEADER}{SOUTH}"))
        .await;
    app.release_due().await;
    World { app, north, south }
}

async fn enrolled(db: &TestDb, cohort: i64) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM enrolments WHERE cohort_id = $1")
        .bind(cohort)
        .fetch_one(db.store.pool())
        .await
        .expect("count")
}

/// Posts the enrol form of `cohort` as `b`, with the version and token its empty form gives.
async fn post_enrol(
    b: &mut Browser,
    cohort: i64,
    csv: &str,
    step: &str,
    version: &str,
) -> support::app::Page {
    let path = format!("/lead/c/{cohort}/enrol");
    let token = b.csrf().await;
    b.post(
        &path,
        &[
            ("csrf", &token),
            ("csv", csv),
            ("version", version),
            ("step", step),
        ],
    )
    .await
}

async fn a_lead_previews_and_enrols_a_csv(db: &TestDb) {
    let w = world(db).await;
    let mut lee = w.app.browser("lee@force.police.uk").await;

    let list = lee.get("/lead").await;
    assert_eq!(list.status, 200);
    assert!(
        list.body.contains("North") && !list.body.contains("South"),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("1 of 30") && list.body.contains("0 of 1 (0%)"),
        "{}",
        list.body
    );

    let form = lee.get(&format!("/lead/c/{}/enrol", w.north)).await;
    assert_eq!(form.status, 200);
    let version = hidden(&form.body, "version");
    let before = enrolled(db, w.north).await;

    let bad = format!(
        "{HEADER}n1@force.police.uk,New One,Alpha,participant\n\
         not-an-email,Bad,Alpha,participant\n\
         n1@force.police.uk,Again,Alpha,participant\n\
         n3@force.police.uk,No Team,,participant\n"
    );
    let page = post_enrol(&mut lee, w.north, &bad, "preview", &version).await;
    assert_eq!(page.status, 422, "{}", page.body);
    for line in [
        "line 3: `not-an-email` is not an email address",
        "line 4: n1@force.police.uk is already on line 2",
        "line 5: n3@force.police.uk has no team",
        "3 bad row(s); nothing was imported.",
        "n3@force.police.uk,No Team,,participant",
    ] {
        assert!(
            page.body.contains(line),
            "{line} missing from {}",
            page.body
        );
    }
    // Sent as the confirmation step too, a bad file writes nothing either.
    let page = post_enrol(&mut lee, w.north, &bad, "enrol", &version).await;
    assert_eq!(page.status, 422);
    assert_eq!(
        enrolled(db, w.north).await,
        before,
        "a bad file writes nothing"
    );

    let good = format!(
        "{HEADER}n1@force.police.uk,New One,Alpha,participant\n\
         nl@force.police.uk,New Lead,,change_lead\n"
    );
    let page = post_enrol(&mut lee, w.north, &good, "preview", &version).await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Enrol 2 people") && page.body.contains("New Lead"),
        "{}",
        page.body
    );
    assert_eq!(
        enrolled(db, w.north).await,
        before,
        "a preview writes nothing"
    );
    let confirmed = hidden(&page.body, "version");

    let page = post_enrol(&mut lee, w.north, &good, "enrol", &confirmed).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("2 rows read; 2 newly enrolled, 0 moved"),
        "{}",
        page.body
    );
    assert_eq!(enrolled(db, w.north).await, before + 2);

    // A second lead's form read before that write is refused, with nothing written.
    let again = format!("{HEADER}n9@force.police.uk,Late Comer,Alpha,participant\n");
    let page = post_enrol(&mut lee, w.north, &again, "enrol", &version).await;
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(
        page.body
            .contains("another change lead changed this cohort"),
        "{}",
        page.body
    );
    assert_eq!(enrolled(db, w.north).await, before + 2);

    // Made change lead from the browser, the new lead reaches the cohort's admin pages.
    let mut new_lead = w.app.browser("nl@force.police.uk").await;
    assert!(new_lead.get("/lead").await.body.contains("North"));
    let audit = new_lead.get(&format!("/lead/c/{}/audit", w.north)).await;
    assert_eq!(audit.status, 200);
    for said in [
        "Insp Lee",
        "2 rows read; 2 newly enrolled",
        "the command line",
        "3 rows read",
    ] {
        assert!(
            audit.body.contains(said),
            "{said} missing from {}",
            audit.body
        );
    }
    assert!(
        !audit.body.contains("Late Comer"),
        "the refused edit is not logged"
    );
}

on_both_backends!(lead_enrol, a_lead_previews_and_enrols_a_csv);

async fn only_the_cohorts_lead_reaches_its_pages(db: &TestDb) {
    let w = world(db).await;
    let north = w.north;
    let csv = format!("{HEADER}x1@force.police.uk,Intruder,Alpha,change_lead\n");
    for (email, cohort) in [
        ("a1@force.police.uk", north),
        ("sam@force.police.uk", north),
        ("sue@force.police.uk", north),
        // Lee leads North but only takes part in South; no cohort 9999 exists.
        ("lee@force.police.uk", w.south),
        ("lee@force.police.uk", 9999),
    ] {
        let mut b = w.app.browser(email).await;
        for path in [
            format!("/lead/c/{cohort}/enrol"),
            format!("/lead/c/{cohort}/audit"),
        ] {
            let page = b.get(&path).await;
            assert_eq!(page.status, 404, "{email} {path}: {}", page.body);
        }
        let token = form_token(&b.get("/account").await.body);
        for step in ["preview", "enrol"] {
            let page = b
                .post(
                    &format!("/lead/c/{cohort}/enrol"),
                    &[
                        ("csrf", &token),
                        ("csv", &csv),
                        ("version", "0"),
                        ("step", step),
                    ],
                )
                .await;
            assert_eq!(
                page.status, 404,
                "{email} {step} in {cohort}: {}",
                page.body
            );
        }
    }
    let intruder: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM people WHERE email = 'x1@force.police.uk'",
    )
    .fetch_one(db.store.pool())
    .await
    .unwrap();
    assert_eq!(intruder, 0, "no refused enrolment wrote anything");
    let mut a1 = w.app.browser("a1@force.police.uk").await;
    let list = a1.get("/lead").await;
    assert!(list.body.contains("You lead no cohort") && !list.body.contains("North"));
    assert!(
        !list.body.contains(r#"href="/lead""#),
        "no Lead link for a participant"
    );
    // Without the form token, even the lead is refused.
    let mut lee = w.app.browser("lee@force.police.uk").await;
    let page = lee
        .post(
            &format!("/lead/c/{north}/enrol"),
            &[
                ("csrf", "wrong"),
                ("csv", &csv),
                ("version", "0"),
                ("step", "enrol"),
            ],
        )
        .await;
    assert_ne!(page.status, 200);
    assert_eq!(enrolled(db, north).await, 3);
}

on_both_backends!(lead_roles, only_the_cohorts_lead_reaches_its_pages);

/// Screenshots of the open page at 360 and 1280 px as `target/screenshots/lead-NAME-*.png`, then
/// what axe-core finds on it, each prefixed with `name`.
async fn look(b: &Chromium, axe: &str, name: &str) -> Vec<String> {
    for width in [360, 1280] {
        screenshot(b, width, &format!("lead-{name}-{width}.png")).await;
    }
    axe_violations(&b.client, axe)
        .await
        .into_iter()
        .map(|v| format!("{name}: {v}"))
        .collect()
}

/// Lee, in Chromium, opens the cohorts they lead, pastes a CSV with a bad row into the enrol form,
/// corrects it, previews and enrols it, and reads the audit log; axe-core on every page. Returns
/// the violations and the enrolled message.
async fn lead_in_chromium(b: Chromium, link: String, axe: String) -> (Vec<String>, String) {
    let client = b.client.clone();
    sign_in(&client, &link).await;
    wait_css(&client, r#"a[href="/lead"]"#)
        .await
        .click()
        .await
        .expect("open Lead");
    wait_css(&client, "table.data").await;
    let mut violations = look(&b, &axe, "cohorts").await;

    wait_xpath(&client, "//a[starts-with(normalize-space(), 'Enrol')]")
        .await
        .click()
        .await
        .expect("open Enrol");
    let csv = wait_css(&client, "textarea#csv").await;
    csv.send_keys("email,name,team,role\nn1@force.police.uk,New One,Alpha,\nbroken,Bad,Alpha,\n")
        .await
        .expect("type the CSV");
    wait_xpath(&client, "//button[normalize-space() = 'Check the file']")
        .await
        .click()
        .await
        .expect("check");
    let error = wait_css(&client, ".flash-error").await.text_content().await;
    let kept = wait_css(&client, "textarea#csv")
        .await
        .prop("value")
        .await
        .expect("the CSV kept");
    assert!(
        error.contains("line 3: `broken` is not an email address"),
        "{error} in {kept:?}"
    );
    violations.extend(look(&b, &axe, "enrol-errors").await);

    let csv = wait_css(&client, "textarea#csv").await;
    csv.clear().await.expect("clear the CSV");
    csv.send_keys("email,name,team,role\nn1@force.police.uk,New One,Alpha,\nn2@force.police.uk,New Two,Bravo,manager\n")
        .await
        .expect("type the corrected CSV");
    wait_xpath(&client, "//button[normalize-space() = 'Check the file']")
        .await
        .click()
        .await
        .expect("check");
    wait_css(&client, "#preview").await;
    violations.extend(look(&b, &axe, "enrol-preview").await);
    wait_xpath(&client, "//button[normalize-space() = 'Enrol 2 people']")
        .await
        .click()
        .await
        .expect("enrol");
    let done = wait_css(&client, ".flash-ok").await.text_content().await;

    let base = link.split("/signin/").next().expect("the base").to_string();
    client
        .goto(&format!("{base}/lead/c/1/audit"))
        .await
        .expect("open the audit log");
    wait_css(&client, "table.data").await;
    violations.extend(look(&b, &axe, "audit").await);
    (violations, done)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_enrols_in_chromium_and_every_page_passes_axe() {
    let test = "a_lead_enrols_in_chromium_and_every_page_passes_axe";
    if !support::browser::browser_installed(test) {
        return;
    }
    let Some(axe) = axe_source(test) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let w = world(&db).await;
    assert_eq!(w.north, 1, "the audit link above names cohort 1");
    let me = w.app.person("lee@force.police.uk").await;
    let link =
        muster::app::signin::issue_link(&w.app.services, me.id, chrono::Duration::minutes(20))
            .await
            .expect("a sign-in link");
    let (violations, done) = with_chromium(360, |b| lead_in_chromium(b, link, axe)).await;
    assert_eq!(violations, Vec::<String>::new());
    assert!(done.contains("2 rows read; 2 newly enrolled"), "{done}");
    assert_eq!(enrolled(&db, w.north).await, 5);
    drop(w);
    db.cleanup().await;
}
