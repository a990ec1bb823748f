//! The demo: a digital-confidence cohort that began ten days ago, three teams of eight with a
//! plausible history, written through the same use cases as real use (submit, reply, react) with
//! the clock set to moments inside each day, so the demo shows exactly what real data would.

use chrono::Duration;

use super::cohort::{self, CohortRequest};
use super::feed::{self, REACTIONS};
use super::people::{self, Person};
use super::submission::{self, SubmitRequest, Visibility};
use super::{AppError, Refusal, Services, enrol, release, signin};
use crate::domain::{CohortId, Day};
use crate::store::{people as people_store, releases};

const TEAMS: [&str; 3] = ["Response Team A", "Neighbourhood East", "Contact Centre"];
const FIRST_NAMES: [&str; 24] = [
    "Amira", "Ben", "Chloe", "Dev", "Ellie", "Femi", "Grace", "Harry", "Imran", "Jess", "Kieran",
    "Laura", "Mo", "Niamh", "Owen", "Priya", "Rhys", "Sam", "Tariq", "Una", "Vik", "Wendy",
    "Yusuf", "Zoe",
];
const SURNAMES: [&str; 8] = [
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Khan", "Patel", "Walsh",
];

/// Reflections an officer might write after a digital-confidence day.
const REFLECTIONS: [&str; 16] = [
    "Showed a shop owner how to report the shoplifting online while I was there. Took four minutes and he said he'd use it next time.",
    "I didn't know you could report a lost phone online. Told the lad at the front counter and he did it on his own phone.",
    "Locked my screen every time I left the desk today. Felt awkward at first, by the end it was automatic.",
    "Spotted a phishing email pretending to be IT. Reported it rather than just deleting it.",
    "Talked a neighbour through Track My Crime. She liked being able to check progress without phoning 101.",
    "Honestly a rough shift, didn't get to it until the end. Still glad I looked at the reporting page properly.",
    "Most people I spoke to had no idea online reporting existed. That's the gap.",
    "Used the body-worn video tagging properly for once. Saved me twenty minutes at the end of shift.",
    "Helped a colleague set up two-factor on her work account. Five minutes, and she said she'd been putting it off for months.",
    "Tried explaining online reporting in plain words, no jargon. It landed much better.",
    "Asked the caller if they'd prefer to report online next time. They said yes and thanked me for mentioning it.",
    "Found the accessibility options on the reporting page. Worth knowing for people who struggle with forms.",
    "Night shift, quiet spell: went through the reporting page on my phone as a member of the public would. A couple of confusing steps; fed it back.",
    "Reminded the team in briefing about the phishing signs. Two people said they'd had one this week.",
    "I was sceptical about this challenge but the small things add up.",
    "Showed an older gentleman how to report online; he wrote the address down to show his daughter.",
];
const REPLIES: [&str; 6] = [
    "Good shout, I'll try that tomorrow.",
    "Same here, it surprised me too.",
    "Thanks for sharing this.",
    "Really useful, passing it on to my team.",
    "That's a great idea for the front counter.",
    "Rough shifts happen. Well done for still doing it.",
];

/// A small deterministic generator, so the demo is the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Sign-in links for the three kinds of people in the demo.
#[derive(Debug, Clone)]
pub struct DemoLinks {
    pub cohort_id: i64,
    pub participant: (String, String),
    pub manager: (String, String),
    pub change_lead: (String, String),
}

fn email(first: &str, last: &str) -> String {
    format!(
        "{}.{}@demo.police.example",
        first.to_lowercase(),
        last.to_lowercase()
    )
}

/// Seeds the demo into an empty database and returns sign-in links (valid for a day).
pub async fn seed(services: &Services, packs_dir: &std::path::Path) -> Result<DemoLinks, AppError> {
    let now = services.clock.now();
    let start = (now - Duration::days(10)).date_naive();
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Demo: Birmingham East".into(),
        start,
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: crate::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: Default::default(),
    };
    let cohort_id = cohort::create(services, packs_dir, &request).await?;
    let cohort = cohort::get(services, cohort_id).await?;

    let mut csv = String::from("email,name,team,role\n");
    let mut people_emails = Vec::new();
    for (t, team) in TEAMS.iter().enumerate() {
        for i in 0..8 {
            let first = FIRST_NAMES[t * 8 + i];
            let last = SURNAMES[(t + i * 3) % SURNAMES.len()];
            csv += &format!("{},{first} {last},{team},participant\n", email(first, last));
            people_emails.push(email(first, last));
        }
        let manager = ["Sgt Hollis", "Sgt Okafor", "Supervisor Reid"][t];
        csv += &format!(
            "{}@demo.police.example,{manager},{team},manager\n",
            manager.to_lowercase().replace([' ', '.'], "")
        );
    }
    csv += "change.lead@demo.police.example,Insp Carter,,change_lead\n";
    // Written by the real use cases at the moments they would have happened.
    let at = services.at(cohort.calendar.release_time(1).unwrap_or(now) - Duration::days(1));
    let clock = &at.clock;
    enrol::enrol_csv(&at, cohort_id, &csv)
        .await
        .map_err(|e| Refusal::DemoEnrolmentFailed.says(format!("demo enrolment failed: {e}")))?;
    // Each day released at its own time, as the release job would have done.
    for day in Day::up_to(cohort.calendar.days_due(now)) {
        if let Some(at) = cohort.calendar.release_time(day.get()) {
            release::release_day(services, &cohort, day, at).await?;
        }
    }

    // History, at moments inside each day.
    clock.set(now);
    let mut dice = Dice(0x5eed_cafe);
    let mut participants = Vec::new();
    for email in &people_emails {
        let row = people_store::by_email(services.store.pool(), email)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("demo person {email}")))?;
        participants.push(Person::from(row));
    }
    let released = releases::list(services.store.pool(), cohort_id).await?;
    let latest = released.last().map(|r| r.day);
    for release_row in &released {
        let day = release_row.day;
        for (n, person) in participants.iter().enumerate() {
            // Keenness varies: some do every day, some drift off.
            let keen = [95, 90, 85, 75, 65, 55][n % 6];
            if Some(release_row.day) == latest && !dice.chance(30) {
                continue; // today: a few have done it already
            }
            if !dice.chance(keen) {
                continue;
            }
            let hours = 6 + (dice.next() % 14) as i64;
            let done_at = crate::store::instant(release_row.scheduled_for) + Duration::hours(hours);
            clock.set(done_at.min(now));
            let access = people::access(services, person, CohortId(cohort_id)).await?;
            let write = dice.chance(70);
            // Enough private and anonymous ones that most days' anonymous reflections find the
            // crowd they need to be published (app::anonymity).
            let visibility = match dice.next() % 10 {
                0 | 1 => Visibility::Private,
                2 | 3 => Visibility::Anonymous,
                4 | 5 => Visibility::Team,
                _ => Visibility::Cohort,
            };
            let request = SubmitRequest {
                day,
                reflection: if write {
                    dice.pick(&REFLECTIONS).to_string()
                } else {
                    String::new()
                },
                checkin: dice.chance(60).then(|| 2 + (dice.next() % 4) as u8),
                visibility: Some(visibility),
                idempotency_key: format!("demo-{}-{day}", person.id),
                remove_flagged: true,
                version: None,
            };
            submission::submit(&at, person, &access, &request).await?;
        }
        // The anonymous batches job, as it would have run through the day.
        super::anonymity::publish_due(services, clock.now()).await?;
    }

    // Replies and reactions among colleagues.
    clock.set(now);
    for person in participants.iter().step_by(2) {
        let access = people::access(services, person, CohortId(cohort_id)).await?;
        let page = feed::page(&at, &access, &feed::FeedFilter::default()).await?;
        for item in page.items.iter().filter(|i| !i.reflection.mine) {
            if dice.chance(25) {
                let (kind, _) = REACTIONS[(dice.next() % REACTIONS.len() as u64) as usize];
                feed::react(&at, person, &access, item.reflection.id, kind, true).await?;
            }
            if dice.chance(6) {
                let key = format!("demo-reply-{}-{}", person.id, item.reflection.id);
                let request = feed::ReplyRequest {
                    text: dice.pick(&REPLIES),
                    idempotency_key: &key,
                    remove_flagged: true,
                    with_my_name: false,
                };
                feed::reply(&at, person, &access, item.reflection.id, &request).await?;
            }
        }
    }

    let link = |email: String| async move {
        let row = people_store::by_email(services.store.pool(), &email)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("demo person {email}")))?;
        let url = signin::issue_link(services, row.id, Duration::hours(24)).await?;
        Ok::<_, AppError>((row.display_name, url))
    };
    Ok(DemoLinks {
        cohort_id,
        participant: link(people_emails[0].clone()).await?,
        manager: link("sgthollis@demo.police.example".into()).await?,
        change_lead: link("change.lead@demo.police.example".into()).await?,
    })
}
