//! Why a rule refused a request, as a stable code a program can act on. The words for the person
//! travel beside it in [`AppError::Refused`]; the code is what the JSON API answers in
//! `error.code`, and [`Refusal::ALL`] is what its OpenAPI document lists.

use super::AppError;

/// Declares [`Refusal`] with each variant's code and meaning in one place, so the list the
/// document shows cannot drift from the variants.
macro_rules! refusals {
    ($($variant:ident = $code:literal: $meaning:literal,)*) => {
        /// Which rule refused a request.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Refusal {
            $(#[doc = $meaning] $variant,)*
        }

        impl Refusal {
            /// Every refusal, in the order the document lists them.
            pub const ALL: &[Refusal] = &[$(Refusal::$variant,)*];

            /// The machine-readable code: stable, snake_case.
            pub fn code(self) -> &'static str {
                match self {
                    $(Refusal::$variant => $code,)*
                }
            }

            /// What the code means, for the API's document.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Refusal::$variant => $meaning,)*
                }
            }
        }
    };
}

refusals! {
    NotParticipant = "not_participant": "only participants complete days and take rest days in this cohort",
    IdempotencyKeyInvalid = "idempotency_key_invalid": "the idempotency key is blank once trimmed, or over 100 bytes",
    CheckinOutOfRange = "checkin_out_of_range": "the shift check-in is not a number from 1 to 5",
    UnknownVisibility = "unknown_visibility": "the visibility is not one of the choices",
    DayNotReleased = "day_not_released": "the day has not been released yet",
    DayClosed = "day_closed": "the day has closed",
    DayAlreadyDone = "day_already_done": "the day is already done, so it cannot be a rest day",
    RestDaysUsedUp = "rest_days_used_up": "every rest day the challenge allows is used",
    DayUnreadable = "day_unreadable": "the released day's content cannot be read",
    ReflectionTooLong = "reflection_too_long": "the reflection is over 2,000 characters once trimmed",
    ReplyTooLong = "reply_too_long": "the reply is over 1,000 characters once trimmed",
    ReplyEmpty = "reply_empty": "the reply is blank once trimmed",
    InvalidCursor = "invalid_cursor": "the feed cursor is not one a page gave",
    InvalidFilter = "invalid_filter": "a feed filter is not a day or a team",
    UnknownReaction = "unknown_reaction": "the reaction is not one of the kinds",
    OwnReflection = "own_reflection": "the reflection is the caller's own",
    ReasonMissing = "reason_missing": "a moderation reason is blank",
    ReasonTooLong = "reason_too_long": "a moderation reason is too long",
    EmailMissing = "email_missing": "no email address was given",
    TokenNameInvalid = "token_name_invalid": "an API token's name is not 1 to 60 characters",
    CohortNameInvalid = "cohort_name_invalid": "a cohort's name is not 1 to 100 characters",
    CohortNameTaken = "cohort_name_taken": "a cohort of that name already exists",
    UnknownReminder = "unknown_reminder": "a reminder preference names no kind of reminder",
    QuietHoursInvalid = "quiet_hours_invalid": "quiet hours are not two different times of day (HH:MM)",
    ReminderOutOfRange = "reminder_out_of_range": "the closing reminder's time before the close is out of its range",
    ChannelInvalid = "channel_invalid": "a team channel's webhook URL or format cannot be used",
    DigestTimeInvalid = "digest_time_invalid": "the digest's time is not a weekday and a time of day (HH:MM)",
    MailUnwritable = "mail_unwritable": "a queued email can never be written (its day or kind is gone)",
    GraceOutOfRange = "grace_out_of_range": "the grace period is out of its range",
    CrowdOutOfRange = "crowd_out_of_range": "the anonymity crowd is out of its range",
    InvalidSchedule = "invalid_schedule": "the release schedule cannot be read",
    UnknownTimeZone = "unknown_time_zone": "the time zone is not known",
    InvalidCalendar = "invalid_calendar": "the schedule, start and length give no calendar",
    CohortAlreadyOver = "cohort_already_over": "a cohort starting then would already be over",
    CohortUnschedulable = "cohort_unschedulable": "a stored cohort's schedule can no longer be read",
    NotADay = "not_a_day": "the day is not a day of the cohort",
    PackNotFound = "pack_not_found": "no challenge pack of that name",
    PackHasErrors = "pack_has_errors": "the challenge pack has errors",
    PackLengthChanged = "pack_length_changed": "the pack on disk has another length than the running cohort",
    LinkNameInvalid = "link_name_invalid": "a briefing link's name is not 1 to 80 characters",
    NothingToEncourage = "nothing_to_encourage": "the member has nothing left to do today, so there is nothing to encourage",
    EditConflict = "edit_conflict": "another change lead changed the cohort after this form was read",
    DemoEnrolmentFailed = "demo_enrolment_failed": "the demo's people could not be enrolled",
}

impl Refusal {
    /// This refusal, told to the person in `message`.
    pub fn says(self, message: impl Into<String>) -> AppError {
        AppError::Refused(self, message.into())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_distinct_snake_case() {
        let codes: HashSet<_> = Refusal::ALL.iter().map(|r| r.code()).collect();
        assert_eq!(codes.len(), Refusal::ALL.len());
        for code in codes {
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{code}"
            );
        }
    }
}
