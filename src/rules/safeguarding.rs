//! Safeguarding: find what looks like a member of the public's or a case's details in a
//! reflection before it is shared with colleagues.
//!
//! Officers share short end-of-shift reflections. Those must never carry a victim's name, a
//! crime reference, a phone number and the like. [`Checker::check`] returns the parts of a text
//! that look identifying, as byte ranges with a [`FlagKind`]; the person sees each part
//! highlighted (with [`FlagKind::describe`] saying why) and either edits the text or posts it
//! with [`redact`], which replaces each part with `[removed]`.
//!
//! Design decisions:
//! - **Regular expressions, not a model.** The rules are deterministic, explainable ("a UK
//!   postcode") and testable sentence by sentence; nothing leaves the server; a force can add its
//!   own formats in configuration ([`Checker::with_extra`]). The `regex` crate runs in time linear
//!   in the text, so a hostile 100k-character reflection costs milliseconds, not minutes.
//! - **Err toward flagging.** A false alarm costs the officer one look; a miss can put a victim's
//!   details in front of a whole cohort. So a title followed by any capitalised word is a name
//!   ("Mr Blobby" included), and a full date before 2015 is taken for a date of birth.
//! - **But not so noisy that people stop reading the highlights.** What fills ordinary
//!   reflections is left alone: times, day counts, percentages, section numbers, 999 and 101,
//!   road numbers (B4135: a postcode needs its inward part and a real postcode area), collar
//!   numbers ("PC 1234" is staff, not public), "the victim" with no name after it, dates without
//!   a year, helplines (03 and 08 numbers belong to organisations; only 01, 02 and 07 numbers are
//!   flagged).
//! - **Two kinds of evidence.** Context words ("crime ref", "custody", "DOB", "victim", "Mr")
//!   make a looser shape identifying; a distinctive shape (`20/123456/24`, `AB12 CDE`) is flagged
//!   on its own. When matches overlap they are merged, and the kind of the rule listed first wins
//!   (context-led rules come first), so `custody ref 20BE/1234/25` is a custody reference even
//!   though the same shape alone would read as a crime reference.
//! - **Flag the identifying part, not the context word**, so a redacted text still reads:
//!   "the IP, [removed], was grateful".
//! - **Case where it carries meaning.** A name must be capitalised: that is what tells "victim
//!   John" from "the victim was". A registration with a space must be in capitals, or "the MG11
//!   for" would be a plate; run together or after "reg" any case will do. Postcodes are matched in
//!   any case, except that a lower-case inward part that reads as an ordinal ("M6 4th") is not.
//! - **Extra patterns are checked up front.** A force's pattern that does not compile, or that
//!   matches empty text (it would highlight nothing, or everything), is refused at start-up with
//!   its label, rather than silently doing nothing.
//! - **Limits.** A name with no word like "victim" or "Mr" in front of it is not found (by shape
//!   alone, "Sarah Jones" looks like "Single Online Home"), nor is a street address without its
//!   postcode; an officer's own old date ("joined on 01/09/2009") is flagged as a date of birth.
//!   The checker is an aid; the person posting stays responsible for what they share.

use std::sync::{Arc, LazyLock};

use regex::{Captures, Regex};

/// One identifying-looking part of a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    /// Byte offset of the first byte, on a char boundary.
    pub start: usize,
    /// Byte offset just past the last byte, on a char boundary.
    pub end: usize,
    pub kind: FlagKind,
}

/// What a flagged part looks like.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum FlagKind {
    CrimeReference,
    IncidentReference,
    CustodyReference,
    PncId,
    Phone,
    Email,
    Postcode,
    VehicleRegistration,
    DateOfBirth,
    Name,
    /// A pattern a force added in configuration, with its label.
    Custom(String),
}

impl FlagKind {
    /// Plain English for the officer: why this part is highlighted.
    pub fn describe(&self) -> String {
        match self {
            FlagKind::CrimeReference => "a crime reference number",
            FlagKind::IncidentReference => "an incident or log number",
            FlagKind::CustodyReference => "a custody reference",
            FlagKind::PncId => "a PNC ID or CRO number",
            FlagKind::Phone => "a UK phone number",
            FlagKind::Email => "an email address",
            FlagKind::Postcode => "a UK postcode",
            FlagKind::VehicleRegistration => "a vehicle registration",
            FlagKind::DateOfBirth => "a date of birth",
            FlagKind::Name => "a name after a word like 'victim', 'witness' or 'Mr'",
            FlagKind::Custom(label) => return label.clone(),
        }
        .to_string()
    }
}

/// A force's extra pattern could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SafeguardingError {
    #[error(
        "an extra safeguarding pattern (`{pattern}`) has an empty label: the label is what the officer is shown"
    )]
    EmptyLabel { pattern: String },
    #[error("the extra safeguarding pattern `{label}` is not a valid regular expression: {reason}")]
    InvalidPattern { label: String, reason: String },
    #[error(
        "the extra safeguarding pattern `{label}` matches empty text, so it would not highlight anything"
    )]
    MatchesEmpty { label: String },
}

/// Flags identifying-looking parts of a text. Compiled once; cloning is cheap (the rules are
/// shared), and it is `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Checker {
    rules: Arc<[Rule]>,
}

impl Checker {
    /// The built-in rules.
    pub fn standard() -> Checker {
        static STANDARD: LazyLock<Checker> = LazyLock::new(|| Checker {
            rules: standard_rules().into(),
        });
        STANDARD.clone()
    }

    /// The built-in rules plus extra patterns a force adds in configuration: (label, regex).
    /// The label is shown to the officer as the reason, so say what it is ("a Niche occurrence
    /// number"). Patterns are case-sensitive unless they start with `(?i)`.
    pub fn with_extra(extra: &[(String, String)]) -> Result<Checker, SafeguardingError> {
        let mut rules = standard_rules();
        for (label, pattern) in extra {
            if label.trim().is_empty() {
                return Err(SafeguardingError::EmptyLabel {
                    pattern: pattern.clone(),
                });
            }
            let regex = Regex::new(pattern).map_err(|e| SafeguardingError::InvalidPattern {
                label: label.clone(),
                reason: e.to_string(),
            })?;
            if regex.is_match("") {
                return Err(SafeguardingError::MatchesEmpty {
                    label: label.clone(),
                });
            }
            rules.push(Rule {
                regex,
                kind: FlagKind::Custom(label.clone()),
                accept: Accept::Whole,
            });
        }
        Ok(Checker {
            rules: rules.into(),
        })
    }

    /// The identifying-looking parts of `text`, sorted by start and not overlapping.
    pub fn check(&self, text: &str) -> Vec<Flag> {
        let mut found = Vec::new();
        for (rank, rule) in self.rules.iter().enumerate() {
            for caps in rule.regex.captures_iter(text) {
                if let Some((start, end)) = rule.accept.span(&caps)
                    && start < end
                {
                    found.push((start, end, rank));
                }
            }
        }
        found.sort_unstable();

        let mut merged: Vec<(usize, usize, usize)> = Vec::new();
        for (start, end, rank) in found {
            match merged.last_mut() {
                Some(last) if start < last.1 => {
                    last.1 = last.1.max(end);
                    last.2 = last.2.min(rank);
                }
                _ => merged.push((start, end, rank)),
            }
        }
        merged
            .into_iter()
            .map(|(start, end, rank)| Flag {
                start,
                end,
                kind: self.rules[rank].kind.clone(),
            })
            .collect()
    }
}

/// Replaces each flagged part of `text` with `[removed]`.
///
/// Meant for the flags [`Checker::check`] returned for this text, but safe with any: overlapping
/// flags are merged, ranges past the end are cut short, and a range that does not fall on char
/// boundaries is widened to them (removing a little more, never less).
pub fn redact(text: &str, flags: &[Flag]) -> String {
    let mut spans: Vec<(usize, usize)> = flags
        .iter()
        .map(|flag| {
            let mut start = flag.start.min(text.len());
            let mut end = flag.end.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            while !text.is_char_boundary(end) {
                end += 1;
            }
            (start, end)
        })
        .filter(|(start, end)| start < end)
        .collect();
    spans.sort_unstable();

    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for (start, end) in spans {
        if end <= cursor {
            continue;
        }
        if start >= cursor {
            out.push_str(&text[cursor..start]);
            out.push_str("[removed]");
        }
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    out
}

// ---------------------------------------------------------------------------------------------
// The rules

#[derive(Debug, Clone)]
struct Rule {
    regex: Regex,
    kind: FlagKind,
    accept: Accept,
}

/// Which part of a match is flagged, and the checks a regex cannot express.
#[derive(Debug, Clone, Copy)]
enum Accept {
    /// The whole match.
    Whole,
    /// The first capture group that took part (context words are not flagged).
    Group,
    /// Like `Group`, but only with at least five digits: "crime follow-up" is not a reference.
    Reference,
    /// A phone number: 9 or 10 digits after the 0 or +44.
    Phone,
    /// A postcode, unless its inward part is a lower-case ordinal ("M6 4th").
    Postcode,
    /// A registration, unless its letters are a police acronym ("M6 BWV").
    Registration,
    /// Capitalised words after a trigger: leading titles skipped, ending at a word that is not a
    /// name ("Victim Support", "the suspect I arrested").
    Name,
}

impl Accept {
    fn span(self, caps: &Captures) -> Option<(usize, usize)> {
        let whole = caps.get(0)?;
        let group = || caps.iter().skip(1).flatten().next();
        match self {
            Accept::Whole => Some((whole.start(), whole.end())),
            Accept::Group => group().map(|m| (m.start(), m.end())),
            Accept::Reference => group()
                .filter(|m| m.as_str().bytes().filter(u8::is_ascii_digit).count() >= 5)
                .map(|m| (m.start(), m.end())),
            Accept::Phone => {
                let digits = caps
                    .iter()
                    .skip(1)
                    .flatten()
                    .map(|m| m.as_str().len())
                    .sum::<usize>();
                (9..=10)
                    .contains(&digits)
                    .then_some((whole.start(), whole.end()))
            }
            Accept::Postcode => {
                let inward = caps.get(1)?.as_str();
                let letters = &inward[1..];
                let ordinal = matches!(letters, "st" | "nd" | "rd" | "th");
                (!ordinal).then_some((whole.start(), whole.end()))
            }
            Accept::Registration => {
                let acronym = whole
                    .as_str()
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .any(|run| ACRONYMS.contains(&run));
                (!acronym).then_some((whole.start(), whole.end()))
            }
            Accept::Name => name_span(group()?),
        }
    }
}

/// The name words in `m` (capitalised words after a trigger), or `None` if there are none.
fn name_span(m: regex::Match) -> Option<(usize, usize)> {
    let mut span: Option<(usize, usize)> = None;
    let mut offset = 0;
    for word in m.as_str().split([' ', '\t']) {
        let start = m.start() + offset;
        offset += word.len() + 1;
        if word.is_empty() {
            continue;
        }
        let stopped = word.strip_suffix('.');
        let core = stopped.unwrap_or(word);
        let bare = core
            .trim_end_matches("'s")
            .trim_end_matches("’s")
            .trim_end_matches(['\'', '’'])
            .to_lowercase();
        if span.is_none() && TITLES.contains(&bare.as_str()) {
            continue;
        }
        let initial = stopped.is_some() && core.chars().count() == 1;
        let before_hyphen = bare.split('-').next().unwrap_or_default();
        if !initial && (NOT_NAMES.contains(&bare.as_str()) || NOT_NAMES.contains(&before_hyphen)) {
            break;
        }
        span = Some((span.map_or(start, |(s, _)| s), start + core.len()));
        // A full stop ends the name, unless it follows an initial ("J. Smith").
        if stopped.is_some() && !initial {
            break;
        }
    }
    span
}

/// Titles: "Mr Patel" is a name, and so is the "Patel" in "the IP Mrs Patel".
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr"];

/// Capitalised words that follow a trigger word without being a name: "Victim Support", "the
/// suspect I arrested", "Offender Management", "the IP was Polish", "the witness, PC Jones"
/// (staff, not public). Compared in lower case, and also by the part before a hyphen.
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    // Pronouns, articles and the like at the start of a clause.
    "i", "i'm", "i've", "i'd", "i'll", "im", "ive", "a", "an", "the", "and", "but", "so", "or",
    "then", "he", "she", "they", "we", "it", "this", "that", "these", "those", "his", "her",
    "their", "our", "my", "was", "is", "had", "has", "who", "which", "what", "when", "where",
    "yes", "no", "ok", "okay", "also", "still", "again", "later", "today", "yesterday",
    "tonight", "tomorrow", "male", "female", "deaf",
    // Days, and the months that are not also first names.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "july", "september", "october", "november", "december",
    // Nationalities, ethnicities and faiths ("the IP was Polish").
    "english", "british", "scottish", "welsh", "irish", "european", "polish", "romanian",
    "lithuanian", "latvian", "bulgarian", "albanian", "kurdish", "turkish", "iranian", "afghan",
    "pakistani", "indian", "bangladeshi", "chinese", "vietnamese", "somali", "eritrean",
    "sudanese", "nigerian", "ghanaian", "jamaican", "caribbean", "african", "asian", "arab",
    "arabic", "syrian", "iraqi", "ukrainian", "russian", "portuguese", "spanish", "italian",
    "french", "german", "black", "white", "muslim", "christian", "jewish", "sikh", "hindu",
    // Services, teams, documents.
    "support", "services", "service", "care", "code", "unit", "liaison", "management",
    "manager", "team", "teams", "hub", "lead", "contact", "line", "portal", "app", "statement",
    "statements", "personal", "right", "rights", "interview", "update", "updates", "details",
    "address", "addresses", "pack", "plan", "strategy", "scheme", "agencies", "agency",
    "council", "form", "forms", "record", "records", "footage",
    // Ranks and roles: colleagues are staff, not public.
    "pc", "pcs", "pcso", "pcsos", "dc", "ds", "di", "dci", "dsu", "supt", "sgt", "sergeant",
    "insp", "inspector", "officer", "officers", "control", "comms",
    // Police acronyms.
    "bwv", "cid", "asb", "da", "dv", "cps", "oic", "pnc", "id", "anpr", "cctv", "rtc", "nhs",
    "marac", "dash", "mash", "iom", "idva", "isva", "soh", "pace", "mg11", "gp", "ae", "a&e",
    "misper", "ip", "dob", "crn", "uk", "tmc",
];

/// Three-letter police acronyms that are not registrations: "on the M6 BWV was running".
#[rustfmt::skip]
const ACRONYMS: &[&str] = &[
    "BWV", "CID", "ASB", "ARV", "IRV", "DCI", "OIC", "NPT", "SOH", "CPS", "MHA", "PCS", "RTC",
    "PNC", "NHS", "DOB", "CRN", "INC", "CUS", "LPA", "TMC", "SMT", "CAD", "DSU", "OEL", "HMP",
    "MAM", "IDV", "MIU", "MOJ", "RPU", "TAC", "TSG", "AFO", "IOM", "PPE",
];

/// The postcode areas of the UK (and the Crown dependencies), two letters before one, so that
/// "BA1" is not read as "B" followed by junk.
const POSTCODE_AREAS: &str = "AB|AL|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|\
    DD|DE|DG|DH|DL|DN|DT|DY|EC|EH|EN|EX|FK|FY|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|\
    KA|KT|KW|KY|LA|LD|LE|LL|LN|LS|LU|ME|MK|ML|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|\
    RM|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|WA|WC|WD|WF|WN|WR|\
    WS|WV|YO|ZE|B|E|G|L|M|N|S|W";

/// Month names and their short forms (used case-insensitively).
const MONTHS: &str = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|\
    aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// A day of the month, 1 to 31, with an optional leading zero.
const DAY: &str = "(?:0?[1-9]|[12][0-9]|3[01])";

/// A month number, 1 to 12, with an optional leading zero.
const MONTH: &str = "(?:0?[1-9]|1[0-2])";

/// Years before 2015: a full date older than that in a reflection is most likely a birth date.
const OLD_YEAR: &str = "(?:19[0-9]{2}|200[0-9]|201[0-4])";

/// A reference after a context word: letters and digits in parts joined by `/` or `-`, or one
/// long run of digits. [`Accept::Reference`] then asks for at least five digits.
const REFERENCE: &str = "[A-Z0-9]{1,8}(?:[/-][A-Z0-9]{1,8}){1,3}|[0-9]{5,12}[A-Z]?";

fn standard_rules() -> Vec<Rule> {
    let date_numeric = format!("{DAY}[/.-]{MONTH}[/.-](?:[0-9]{{4}}|[0-9]{{2}})");
    let date_long = format!(
        "{DAY}(?:st|nd|rd|th)?[ \\t]+(?:of[ \\t]+)?{MONTHS}\\.?,?[ \\t]+(?:[0-9]{{4}}|[0-9]{{2}})\
         |{MONTHS}\\.?[ \\t]+{DAY}(?:st|nd|rd|th)?,?[ \\t]+[0-9]{{4}}\
         |{MONTHS}\\.?[ \\t]+[0-9]{{4}}"
    );
    // The longest form first: "2nd March", not "2nd".
    let short_date = format!(
        "{DAY}(?:st|nd|rd|th)?[ \\t]+{MONTHS}\\b|{DAY}(?:st|nd|rd|th)\\b\
         |{DAY}/{MONTH}(?:/(?:[0-9]{{4}}|[0-9]{{2}}))?\\b"
    );
    let current_reg = "[A-Z]{2}[0-9]{2}[ \\t]?[A-Z]{3}";
    let prefix_reg = "[A-HJ-NPR-Y][0-9]{1,3}[ \\t]?[A-Z]{3}";
    let suffix_reg = "[A-Z]{3}[ \\t]?[0-9]{1,3}[A-Z]";
    let name = "\\p{Lu}[\\p{L}'’-]*\\.?(?:[ \\t]+\\p{Lu}[\\p{L}'’-]*\\.?){0,3}";

    let rules: Vec<(FlagKind, Accept, String)> = vec![
        // Context-led references first: their kind wins when shapes overlap.
        (
            FlagKind::CustodyReference,
            Accept::Reference,
            format!(
                "(?i)\\bcustody(?:[ \\t]+(?:ref(?:erence)?|no|number|record|rec))?\\.?[ \\t]*[:#,]?[ \\t]*({REFERENCE})\\b"
            ),
        ),
        (
            FlagKind::CustodyReference,
            Accept::Reference,
            "(?i)\\b(cust?[/-][A-Z0-9]{1,8}(?:[/-][A-Z0-9]{1,8})*)\\b".to_string(),
        ),
        (
            FlagKind::PncId,
            Accept::Group,
            "(?i)\\b(?:pnc(?:[ \\t]*id)?|pnc[ \\t]+(?:no|number)|cro(?:[ \\t]+(?:no|number))?)\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|of|was)[ \\t]+)?([0-9]{1,6}/[0-9]{1,7}[A-Z])\\b".to_string(),
        ),
        (
            FlagKind::CrimeReference,
            Accept::Reference,
            format!(
                "(?i)\\b(?:crn|crime[ \\t]*(?:ref(?:erence)?|no|num(?:ber)?|report(?:[ \\t]+(?:no|number))?))\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|of|was)[ \\t]+)?({REFERENCE})\\b"
            ),
        ),
        (
            FlagKind::CrimeReference,
            Accept::Whole,
            "(?i)\\bcr[in]?[/-][0-9]{4,}(?:[/-][0-9A-Z]{1,8}){0,2}\\b".to_string(),
        ),
        (
            FlagKind::IncidentReference,
            Accept::Group,
            format!(
                "(?i)\\b(?:incident|inc|log|cad|storm|occurrence|occ|oel)(?:[ \\t]*(?:no\\.?|number|ref(?:erence)?|#))?[ \\t]*[:#]?[ \\t]*([0-9]{{1,6}}[ \\t]+of[ \\t]+(?:{short_date})|[0-9]{{3,}})\\b"
            ),
        ),
        (
            FlagKind::IncidentReference,
            Accept::Whole,
            "(?i)\\b(?:inc|cad|log|occ|storm)[/-]?[0-9]{4,}(?:[/-][0-9]{1,8})*\\b".to_string(),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Group,
            format!(
                "(?i)(?:\\b(?:dob|date[ \\t]+of[ \\t]+birth|born)|\\bd\\.o\\.b\\.?|\\bd/o/b)[ \\t]*[:-]?[ \\t]*(?:(?:of|is|was|on|in|as)[ \\t]+)?({date_numeric}|{date_long})\\b"
            ),
        ),
        (
            FlagKind::VehicleRegistration,
            Accept::Group,
            format!(
                "(?i)\\b(?:reg(?:istration)?|vrm|vrn|index|(?:number[ \\t]+)?plate)(?:[ \\t]+(?:no\\.?|number|mark|plate))?[ \\t]*[:-]?[ \\t]*(?:(?:of|is|was)[ \\t]+)?({current_reg}|{prefix_reg}|{suffix_reg})\\b"
            ),
        ),
        // Shapes that identify on their own.
        (
            FlagKind::CrimeReference,
            Accept::Whole,
            "(?i)\\b[0-9]{2}[A-Z]{0,2}/[0-9]{4,7}[A-Z]?/[0-9]{2}\\b|\\b[0-9]{6,8}/[0-9]{2}\\b"
                .to_string(),
        ),
        (
            FlagKind::PncId,
            Accept::Whole,
            "(?i)\\b[0-9]{2}/[0-9]{4,7}[A-Z]\\b|\\b[0-9]{4,6}/[0-9]{2}[A-Z]\\b".to_string(),
        ),
        (
            FlagKind::IncidentReference,
            Accept::Group,
            format!("(?i)\\b([0-9]{{3,5}}[ \\t]+of[ \\t]+(?:{short_date}))"),
        ),
        (
            FlagKind::Email,
            Accept::Whole,
            "(?i)[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\\.[A-Z0-9-]+)*\\.[A-Z]{2,}\\b".to_string(),
        ),
        (
            FlagKind::Phone,
            Accept::Phone,
            "(?:\\+44[ \\t]?(?:\\(0\\)[ \\t]?)?|\\(?\\b0)([127][0-9]{1,4})\\)?[ \\t-]?([0-9]{3,4})[ \\t-]?([0-9]{3,4})\\b"
                .to_string(),
        ),
        (
            FlagKind::Postcode,
            Accept::Postcode,
            format!("(?i)\\b(?:{POSTCODE_AREAS})[0-9][0-9A-Z]?[ \\t]?([0-9][ABD-HJLNP-UW-Z]{{2}})\\b"),
        ),
        (
            FlagKind::VehicleRegistration,
            Accept::Registration,
            format!("\\b(?:{current_reg}|{prefix_reg}|{suffix_reg})\\b"),
        ),
        (
            FlagKind::VehicleRegistration,
            Accept::Whole,
            "(?i)\\b[A-Z]{2}[0-9]{2}[A-Z]{3}\\b".to_string(),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Whole,
            format!(
                "(?i)\\b(?:{DAY}[/.-]{MONTH}[/.-]{OLD_YEAR}\
                 |{DAY}(?:st|nd|rd|th)?[ \\t]+(?:of[ \\t]+)?{MONTHS}\\.?,?[ \\t]+{OLD_YEAR}\
                 |{MONTHS}\\.?[ \\t]+{DAY}(?:st|nd|rd|th)?,?[ \\t]+{OLD_YEAR})\\b"
            ),
        ),
        // Names: capitalised words after a trigger word. Strong triggers may be followed by the
        // name directly, or after "is", "was", "called"; words for any person ("the male", "a
        // lad") need a comma or "called".
        (
            FlagKind::Name,
            Accept::Name,
            format!(
                "(?:\\b(?i:victims?|suspects?|offenders?|witness(?:es)?|complainants?|informants?|callers?\
                 |mispers?|missing[ \\t]+person|prisoners?|detainees?|injured[ \\t]+party|person[ \\t]+reporting\
                 |aggrieved|son|daughter|stepson|stepdaughter|grandson|granddaughter|husband|wife\
                 |ex-partner|partner|ex|boyfriend|girlfriend|mum|mother|dad|father|brother|sister|nan\
                 |neighbour|named|name[ \\t]+(?:is|was|as)|name[ \\t]*:|goes[ \\t]+by)\
                 |\\b(?:IP|IPs|DP)\
                 |\\b(?:Mrs|Mr|Ms|Miss|Mx|Dr)\\b\\.?)\
                 (?:[ \\t]*,[ \\t]*|[ \\t]+)(?:(?i:called|named|known[ \\t]+as|aka|is|was)[ \\t]+)?({name})\
                 |\\b(?i:male|female|man|woman|lad|boy|girl|youth|juvenile|child|teenager|kid|lady\
                 |gentleman|bloke|chap|person|someone|driver|passenger|resident|tenant|landlord|landlady\
                 |shopkeeper|owner)(?:[ \\t]*,[ \\t]*|[ \\t]+(?i:called|named|known[ \\t]+as)[ \\t]+)({name})"
            ),
        ),
    ];
    rules
        .into_iter()
        .map(|(kind, accept, pattern)| {
            // Word boundaries are ASCII ones: every `\b` above sits next to an ASCII letter or
            // digit, and a Unicode `\b` makes the fast engine give up on text with an emoji in
            // it (50 times slower on a long reflection).
            let pattern = pattern.replace("\\b", "(?-u:\\b)");
            Rule {
                regex: Regex::new(&pattern)
                    .unwrap_or_else(|e| panic!("built-in safeguarding pattern for {kind:?}: {e}")),
                kind,
                accept,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flagged parts of `text` with their kinds.
    fn flagged(text: &str) -> Vec<(&str, FlagKind)> {
        Checker::standard()
            .check(text)
            .into_iter()
            .map(|f| (&text[f.start..f.end], f.kind))
            .collect()
    }

    fn assert_flags(text: &str, expected: &[(&str, FlagKind)]) {
        assert_eq!(flagged(text), expected, "in {text:?}");
    }

    fn assert_clean(text: &str) {
        assert_eq!(flagged(text), [], "in {text:?}");
    }

    #[test]
    fn crime_references() {
        use FlagKind::CrimeReference as C;
        assert_flags("update on CRN 20/123456/24 today", &[("20/123456/24", C)]);
        assert_flags("crime ref 4312345/23 filed", &[("4312345/23", C)]);
        assert_flags("found 20BE/12345X/24 at last", &[("20BE/12345X/24", C)]);
        assert_flags("closed 20/1234567/25.", &[("20/1234567/25", C)]);
        assert_flags("Crime no. 61/20345/25", &[("61/20345/25", C)]);
        assert_flags("ref CR/0012345/25 done", &[("CR/0012345/25", C)]);
        assert_clean("Crime numbers are easier to find now");
        assert_clean("Scored 9/10 on the quiz, back on 6-2 next week, tax year 2024/25");
    }

    #[test]
    fn incident_references() {
        use FlagKind::IncidentReference as I;
        assert_flags(
            "did incident 1234 of 12/03 on the tablet",
            &[("1234 of 12/03", I)],
        );
        assert_flags("Comms gave me log 456 of 3rd.", &[("456 of 3rd", I)]);
        assert_flags(
            "attached to INC-20250312-0456 from",
            &[("INC-20250312-0456", I)],
        );
        assert_flags("Log number: 4471 closed", &[("4471", I)]);
        assert_flags("was 1187 of 2nd March", &[("1187 of 2nd March", I)]);
        assert_clean("Day 12 of 30, holding 40 incidents, logged 12 stop searches");
        assert_clean("We had 1 in 5 calls, 3 of them DA");
    }

    #[test]
    fn custody_references() {
        use FlagKind::CustodyReference as C;
        assert_flags("had custody ref 20BE/1234/25 ready", &[("20BE/1234/25", C)]);
        assert_flags("checked CUS/2025/004512 on", &[("CUS/2025/004512", C)]);
        assert_flags("Custody number 44/0987/25", &[("44/0987/25", C)]);
        assert_clean("Custody was full for 2 hours, in custody by 10pm");
    }

    #[test]
    fn pnc_ids() {
        use FlagKind::PncId as P;
        assert_flags("came back as 12/345678A with markers", &[("12/345678A", P)]);
        assert_flags("PNC ID: 95/1234567X", &[("95/1234567X", P)]);
        assert_flags("CRO number 123456/87A", &[("123456/87A", P)]);
        assert_clean("Ran the PNC check, scored 9/10, flat 2/3");
    }

    #[test]
    fn phone_numbers() {
        use FlagKind::Phone as P;
        for number in [
            "07700 900123",
            "07700900123",
            "07700-900-123",
            "+44 7700 900456",
            "+447700900456",
            "+44 (0)7700 900456",
            "0121 496 0000",
            "(0121) 496 0000",
            "020 7946 0123",
            "01632 960001",
        ] {
            let text = format!("ring her on {number} after 6");
            assert_flags(&text, &[(number, P)]);
        }
        assert_clean("a 999 call, then 101, then 111, then the Samaritans on 116 123");
        assert_clean("Police Care UK on 0300 012 0030, free on 0800 111 4444");
        assert_clean("worked 07:00-17:00, 2024, collar 1234, 18,432 steps, 0900 start");
    }

    #[test]
    fn emails() {
        use FlagKind::Email as E;
        assert_flags(
            "sent to jane.doe@example.com.",
            &[("jane.doe@example.com", E)],
        );
        assert_flags(
            "from MARK_S+cctv@example.co.uk today",
            &[("MARK_S+cctv@example.co.uk", E)],
        );
        assert_clean("emailed the team @ 10pm, @sergeant on Teams");
    }

    #[test]
    fn postcodes() {
        use FlagKind::Postcode as P;
        for postcode in [
            "B1 1AA", "SW1A 2AA", "ls11 5ab", "M145RT", "EC1A 1BB", "BA1 1AA",
        ] {
            let text = format!("near {postcode}, again");
            assert_flags(&text, &[(postcode, P)]);
        }
        assert_clean("RTC on the B4135 road, sector B2 this week, the M6 and M5");
        assert_clean("on the M6 4th time this week, junction M5 2nd exit, out by N1 4pm");
    }

    #[test]
    fn vehicle_registrations() {
        use FlagKind::VehicleRegistration as V;
        assert_flags("stopped AB12 CDE on the ring road", &[("AB12 CDE", V)]);
        assert_flags("the car was KX19ZRT and", &[("KX19ZRT", V)]);
        assert_flags("the car was kx19zrt and", &[("kx19zrt", V)]);
        assert_flags("that Fiesta, A123 BCD, again", &[("A123 BCD", V)]);
        assert_flags("an old ABC 123D in the car park", &[("ABC 123D", V)]);
        assert_flags("van reg: yx68 plm recovered", &[("yx68 plm", V)]);
        assert_clean("filled in the MG11 for the IP, on the A38 all day, the B4135 road");
        assert_clean("on the M6 BWV was running, the A38 CID office");
    }

    #[test]
    fn dates_of_birth() {
        use FlagKind::DateOfBirth as D;
        assert_flags("the male, DOB 14/06/1991, was", &[("14/06/1991", D)]);
        assert_flags("She was born 3rd March 2008.", &[("3rd March 2008", D)]);
        assert_flags("Date of birth: 02.11.1979", &[("02.11.1979", D)]);
        assert_flags("gave a DOB of 1/1/70, which", &[("1/1/70", D)]);
        assert_flags("d.o.b. 5 April 2009", &[("5 April 2009", D)]);
        assert_flags("searched 12/03/1987 against", &[("12/03/1987", D)]);
        assert_flags("born on March 5, 1990", &[("March 5, 1990", D)]);
        assert_clean("Monday 12/03 was hard; on 12/03/2025 I was on lates; 2024 was rough");
        assert_clean("Joined in 2009, born and raised in Brum");
    }

    #[test]
    fn names_after_trigger_words() {
        use FlagKind::Name as N;
        assert_flags("The IP, Sarah Jones, was upset", &[("Sarah Jones", N)]);
        assert_flags("Mr Patel at the shop", &[("Patel", N)]);
        assert_flags("Victim John was happy", &[("John", N)]);
        assert_flags("a witness called Priya gave", &[("Priya", N)]);
        assert_flags("the victim, named Aisha, wanted", &[("Aisha", N)]);
        assert_flags("the witness Mrs Green by video", &[("Green", N)]);
        assert_flags(
            "the IP Mrs O'Brien-Smith's house",
            &[("O'Brien-Smith's", N)],
        );
        assert_flags("Dr. Evans at A&E", &[("Evans", N)]);
        assert_flags(
            "the suspect, Zoë Siobhán Ní Bhriain, left",
            &[("Zoë Siobhán Ní Bhriain", N)],
        );
        assert_flags("a lad called Kieran again", &[("Kieran", N)]);
        assert_flags("the male, John SMITH, was", &[("John SMITH", N)]);
        assert_flags("Mr Blobby", &[("Blobby", N)]);
        assert_flags("Witness Mr A. Khan was happy", &[("A. Khan", N)]);
        assert_flags("Suspect is Jordan, 17, known", &[("Jordan", N)]);
        assert_flags("he gave his name as Tyler Marsh but", &[("Tyler Marsh", N)]);
        assert_flags("the victim was Sarah. The next", &[("Sarah", N)]);
    }

    #[test]
    fn no_names_where_there_is_no_name() {
        assert_clean("the victim was grateful and I spoke to the suspect calmly");
        assert_clean("Victim Support came out; the Witness Care Unit rang");
        assert_clean("Was the victim OK? The suspect I arrested was charged.");
        assert_clean("Offender Management helped; the IP's welfare; the IP is central");
        assert_clean("the witness, who was shaken; the witness, PC Jones, saw it");
        assert_clean("Got home and the Mrs had made tea; Dr appointment tomorrow");
        assert_clean("my sergeant, the Inspector, the 10pm briefing, PACE code C");
        assert_clean("the victim\nThe next job was quieter");
        assert_clean("The IP was Polish; the suspect was Welsh-speaking; the victim is OK");
    }

    #[test]
    fn describes_each_kind_in_plain_english() {
        assert_eq!(FlagKind::Phone.describe(), "a UK phone number");
        assert_eq!(FlagKind::Postcode.describe(), "a UK postcode");
        assert!(FlagKind::Name.describe().contains("'victim'"));
        assert_eq!(
            FlagKind::Custom("a Niche occurrence number".into()).describe(),
            "a Niche occurrence number"
        );
    }

    #[test]
    fn overlapping_matches_are_merged_and_the_context_kind_wins() {
        let text = "custody ref 20BE/1234/25 and CRN 20/123456/24";
        let flags = Checker::standard().check(text);
        assert_eq!(
            flags,
            [
                Flag {
                    start: 12,
                    end: 24,
                    kind: FlagKind::CustodyReference
                },
                Flag {
                    start: 33,
                    end: 45,
                    kind: FlagKind::CrimeReference
                },
            ]
        );
        // Overlaps chain into one flag covering them all.
        let checker =
            Checker::with_extra(&[("an address".into(), "Hill Road, [A-Z0-9]+ [A-Z0-9]+".into())])
                .unwrap();
        let text = "Mr Hill Road, B1 1AA.";
        assert_eq!(
            checker.check(text),
            [Flag {
                start: 3,
                end: 20,
                kind: FlagKind::Postcode
            }]
        );
    }

    #[test]
    fn redacts_flagged_parts() {
        let checker = Checker::standard();
        let text = "The IP, Sarah Jones, gave 07700 900123 and lives in B1 1AA.";
        assert_eq!(
            redact(text, &checker.check(text)),
            "The IP, [removed], gave [removed] and lives in [removed]."
        );
        assert_eq!(redact(text, &[]), text);
        assert_eq!(redact("", &[]), "");
    }

    #[test]
    fn redacts_around_multi_byte_text() {
        let checker = Checker::standard();
        let text = "Café 🚓 — the victim, Zoë Brontë, rang 07700 900123 😊 “thanks”";
        let flags = checker.check(text);
        assert_eq!(flags.len(), 2, "{flags:?}");
        assert_eq!(
            redact(text, &flags),
            "Café 🚓 — the victim, [removed], rang [removed] 😊 “thanks”"
        );
        // Flags that do not fall on char boundaries are widened, never panic.
        let text = "🚓🚓🚓";
        let odd = [Flag {
            start: 5,
            end: 6,
            kind: FlagKind::Name,
        }];
        assert_eq!(redact(text, &odd), "🚓[removed]🚓");
        let past_end = [Flag {
            start: 4,
            end: 400,
            kind: FlagKind::Name,
        }];
        assert_eq!(redact(text, &past_end), "🚓[removed]");
    }

    #[test]
    fn redacts_overlapping_and_unsorted_flags() {
        let text = "0123456789";
        let flag = |start, end| Flag {
            start,
            end,
            kind: FlagKind::Phone,
        };
        assert_eq!(redact(text, &[flag(2, 5), flag(4, 7)]), "01[removed]789");
        assert_eq!(
            redact(text, &[flag(6, 8), flag(1, 3)]),
            "0[removed]345[removed]89"
        );
        assert_eq!(redact(text, &[flag(1, 8), flag(2, 4)]), "0[removed]89");
        assert_eq!(redact(text, &[flag(3, 3), flag(0, 10)]), "[removed]");
    }

    #[test]
    fn extra_patterns_from_a_force() {
        let checker = Checker::with_extra(&[(
            "a Niche occurrence number".into(),
            "(?i)\\bocc[0-9]{2}-[0-9]{6}\\b".into(),
        )])
        .unwrap();
        let text = "Closed OCC25-004512 from the car";
        assert_eq!(
            checker.check(text),
            [Flag {
                start: 7,
                end: 19,
                kind: FlagKind::Custom("a Niche occurrence number".into())
            }]
        );
        // The standard rules are still there.
        assert_eq!(checker.check("ring 07700 900123")[0].kind, FlagKind::Phone);
        assert!(Checker::standard().check(text).is_empty());
    }

    #[test]
    fn bad_extra_patterns_are_refused_naming_the_label() {
        let err = Checker::with_extra(&[("a warrant number".into(), "WR[0-9".into())]).unwrap_err();
        assert!(
            matches!(&err, SafeguardingError::InvalidPattern { label, .. } if label == "a warrant number")
        );
        assert!(err.to_string().contains("a warrant number"), "{err}");

        let err = Checker::with_extra(&[("anything".into(), "[0-9]*".into())]).unwrap_err();
        assert!(matches!(&err, SafeguardingError::MatchesEmpty { label } if label == "anything"));
        assert!(err.to_string().contains("anything"), "{err}");

        let err = Checker::with_extra(&[(" ".into(), "WR[0-9]+".into())]).unwrap_err();
        assert!(err.to_string().contains("WR[0-9]+"), "{err}");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let checker = Checker::standard();
        for text in [
            "",
            " ",
            "\n\t\r  \u{a0}",
            "😊",
            "🚓👮‍♀️🏳️‍🌈",
            "Mr",
            "victim,",
            "the IP, ",
            "07",
            "+44",
            "@",
            "a@b",
            "DOB",
            "\u{0}\u{200b}\u{feff}",
            "Mr 😊 Jones",
            "victim Ω",
            "ǅemal the suspect, ǅemal",
        ] {
            for flag in checker.check(text) {
                assert!(flag.start < flag.end && flag.end <= text.len());
                assert!(text.is_char_boundary(flag.start) && text.is_char_boundary(flag.end));
            }
        }
    }

    #[test]
    fn long_and_odd_text_gives_sorted_flags() {
        let checker = Checker::standard();
        let sentence = "Day 12 of 30 😊 the victim, Sarah Jones, rang 07700 900123 from B1 1AA. ";
        let mut long = String::new();
        while long.len() < 100_000 {
            long.push_str(sentence);
        }
        for text in [
            long,
            "a".repeat(100_000),
            "😊".repeat(25_000),
            "Mr ".repeat(33_000),
            "0".repeat(100_000),
            "1/".repeat(50_000),
            " ".repeat(100_000),
        ] {
            // The regex crate runs in time linear in the text, so no input can stall this;
            // here it must simply finish with sorted, non-overlapping flags.
            let flags = checker.check(&text);
            assert!(flags.windows(2).all(|w| w[0].end <= w[1].start));
        }
    }

    #[test]
    fn checker_is_cheap_to_share() {
        fn send_sync<T: Send + Sync + Clone>() {}
        send_sync::<Checker>();
    }
}
