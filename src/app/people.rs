//! Who someone is and what they may reach: their place and role in each cohort, and the one
//! access check every cohort-scoped use case starts with.
//!
//! A role is given by an enrolment and holds in that cohort only: a change lead of one cohort is
//! nobody in another, and a manager manages the team they are enrolled with, in that cohort. There
//! is no force-wide role; cohorts are made and people enrolled on the command line, by whoever
//! runs the server.

use super::cohort::Cohort;
use super::{AppError, Services};
use crate::domain::{CohortId, PersonId, TeamId};
use crate::store::Store;
use crate::store::auth::CallerRow;
use crate::store::cohorts::CohortRow;
use crate::store::feed::Viewer;
use crate::store::people::{self, MembershipRow, PersonRow};

/// What a person does in one cohort. A change lead runs it and moderates; a manager looks after
/// their team; everyone else takes part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Participant,
    Manager,
    ChangeLead,
}

impl Role {
    pub fn parse(s: &str) -> Role {
        match s {
            "change_lead" => Role::ChangeLead,
            "manager" => Role::Manager,
            _ => Role::Participant,
        }
    }
}

/// A signed-in person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: PersonId,
    pub email: String,
    pub display_name: String,
}

impl From<PersonRow> for Person {
    fn from(row: PersonRow) -> Self {
        Person {
            id: row.id,
            email: row.email,
            display_name: row.display_name,
        }
    }
}

pub async fn get(store: &Store, id: i64) -> Result<Option<Person>, AppError> {
    Ok(people::by_id(store.pool(), id).await?.map(Person::from))
}

/// The cohort of a membership, as pages name and link it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CohortSummary {
    pub id: CohortId,
    pub name: String,
}

/// A person's place in one cohort.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub cohort: CohortSummary,
    /// The cohort's row, read with the membership, so the access check needs no other query.
    row: CohortRow,
    pub role: Role,
    /// The team they are in, or for a manager the team they manage; change leads may have none.
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    pub enrolled_at: i64,
}

impl From<MembershipRow> for Membership {
    fn from(row: MembershipRow) -> Self {
        Membership {
            cohort: CohortSummary {
                id: CohortId(row.cohort.id),
                name: row.cohort.name.clone(),
            },
            row: row.cohort,
            role: Role::parse(&row.role),
            team_id: row.team_id,
            team_name: row.team_name,
            enrolled_at: row.enrolled_at,
        }
    }
}

/// Whoever is asking, as their session or API token names them, with their memberships (read in
/// the same query).
#[derive(Debug, Clone)]
pub struct Caller {
    pub person: Person,
    pub memberships: Vec<Membership>,
}

impl From<CallerRow> for Caller {
    fn from(row: CallerRow) -> Self {
        Caller {
            person: Person::from(row.person),
            memberships: row.memberships.into_iter().map(Membership::from).collect(),
        }
    }
}

impl Caller {
    /// [`access`] from the memberships already read.
    pub async fn access(
        &self,
        services: &Services,
        cohort_id: CohortId,
    ) -> Result<CohortAccess, AppError> {
        access_among(services, &self.person, &self.memberships, cohort_id).await
    }
}

/// A person's access to one cohort, checked: they are enrolled in it.
#[derive(Debug, Clone)]
pub struct CohortAccess {
    pub cohort: Cohort,
    pub membership: Membership,
    /// Whom the store's feed queries read for: use cases only.
    pub(in crate::app) viewer: Viewer,
}

impl CohortAccess {
    /// The person's team in this cohort, if they are in one.
    pub fn team_id(&self) -> Option<TeamId> {
        self.membership.team_id
    }

    /// Only participants complete days; managers and change leads watch and support.
    pub fn can_submit(&self) -> bool {
        self.membership.role == Role::Participant
    }

    /// The team a manager manages here: the one they are enrolled with in this cohort.
    pub fn managed_team(&self) -> Option<TeamId> {
        self.membership
            .team_id
            .filter(|_| self.membership.role == Role::Manager)
    }
}

/// The one access check for anything inside a cohort: only people enrolled in it may enter;
/// anyone else gets the same "not found" as for a cohort that does not exist, so ids reveal nothing.
pub async fn access(
    services: &Services,
    person: &Person,
    cohort_id: CohortId,
) -> Result<CohortAccess, AppError> {
    let memberships: Vec<Membership> = people::memberships(services.store.pool(), person.id)
        .await?
        .into_iter()
        .map(Membership::from)
        .collect();
    access_among(services, person, &memberships, cohort_id).await
}

/// [`access`] for a caller whose memberships were read already.
async fn access_among(
    services: &Services,
    person: &Person,
    memberships: &[Membership],
    cohort_id: CohortId,
) -> Result<CohortAccess, AppError> {
    let not_found = || AppError::NotFound("there is no such cohort".into());
    let membership = memberships
        .iter()
        .find(|m| m.cohort.id == cohort_id)
        .cloned()
        .ok_or_else(not_found)?;
    let cohort = match Cohort::load(services, membership.row.clone()).await {
        Err(AppError::NotFound(_)) => return Err(not_found()),
        other => other?,
    };
    let viewer = Viewer {
        person_id: person.id,
        team_id: membership.team_id,
    };
    Ok(CohortAccess {
        cohort,
        membership,
        viewer,
    })
}

/// Whether the person moderates this cohort's feed: they are its change lead (by their enrolment
/// in it, as `access` was checked for them).
pub fn is_change_lead(person: &Person, access: &CohortAccess) -> bool {
    access.viewer.person_id == person.id && access.membership.role == Role::ChangeLead
}
