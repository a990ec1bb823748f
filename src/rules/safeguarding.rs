//! Safeguarding: find what looks like a member of the public's or a case's details in a
//! reflection before it is shared with colleagues.
//!
//! Officers share short end-of-shift reflections. Those must never carry a victim's name, a
//! crime reference, a phone number and the like. [`Checker::check`] returns the parts of a text
//! that look identifying, as byte ranges with a [`FlagKind`]; the person sees each part
//! highlighted (with [`FlagKind::describe`] saying why) and either edits the text or posts it
//! with [`redact`], which replaces each part with `[removed]`.
//!
//! What it looks for, by family: names (after a role word or title, or a common given name or
//! surname anywhere, in any case), ages and dates or years of birth, addresses (a house number
//! and street, a flat, a named estate, a street after "lives on"), postcodes, UK phone numbers
//! (01, 02 and 07, in any grouping, with +44 or 0044), emails (also spelled out: "jo at example
//! dot com"), vehicle registrations (current, prefix and suffix formats; dateless and Northern
//! Irish ones after "reg"), and the reference numbers of several forces: crime, case and URN,
//! incident and occurrence, custody, PNC ID and CRO.
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
//! - **Rules for a family, not for a sentence.** The rules are measured on two sets of sentences
//!   (`tests/it/safeguarding_corpus.rs`): a corpus written alongside them, and a held-out set
//!   written by someone who had read neither, which they must never be tuned to.
//! - **Two kinds of evidence.** Context words ("crime ref", "custody", "DOB", "victim", "Mr")
//!   make a looser shape identifying; a distinctive shape (`20/123456/24`, `AB12 CDE`) is flagged
//!   on its own. Words just before or after a shape can also rule it out ("PC Sarah Jones" is a
//!   colleague, "junction 6 Gravelly Hill" is not a house, "the 10-year-old laptops" is not an
//!   age). When matches overlap they are merged, and the kind of the rule listed first wins
//!   (context-led rules come first), so `custody ref 20BE/1234/25` is a custody reference even
//!   though the same shape alone would read as a crime reference.
//! - **Flag the identifying part, not the context word**, so a redacted text still reads:
//!   "the IP, [removed], was grateful".
//! - **Case where it carries meaning.** After a role word a name must be capitalised: that is
//!   what tells "victim John" from "the victim was"; in lower case only a listed given name
//!   ("spoke to siobhan") or a word after "mr" or "mrs" is a name. Given names that are also
//!   words ("Will", "Mark", "Dawn", "Grace") are left out of the list. A registration in lower
//!   case with a gap must be one the DVLA could issue and not end in a short word, or "the mg11
//!   for" would be a plate. Postcodes are matched in
//!   any case, except that a lower-case inward part that reads as an ordinal ("M6 4th") is not.
//! - **Extra patterns are checked up front.** A force's pattern that does not compile, or that
//!   matches empty text (it would highlight nothing, or everything), is refused at start-up with
//!   its label, rather than silently doing nothing.
//! - **Limits.** A name with no trigger word is found only if its given name or surname is on
//!   the lists in `names.rs` (an unusual name alone, "Thandiwe was helpful", is missed), and a
//!   colleague named without a rank ("shout out to Sarah in control") or a famous name ("the
//!   Sherlock Holmes museum") is flagged. A street with no number and no word like "lives on" is
//!   not an address ("the RTC on London Road"). An officer's own old date ("joined on
//!   01/09/2009") is flagged as a date of birth. The checker is an aid; the person posting stays
//!   responsible for what they share.

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
    /// A house number and street, a flat, or a named estate.
    Address,
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
            FlagKind::CrimeReference => "a crime, case or other reference number",
            FlagKind::IncidentReference => "an incident or log number",
            FlagKind::CustodyReference => "a custody reference",
            FlagKind::PncId => "a PNC ID or CRO number",
            FlagKind::Phone => "a UK phone number",
            FlagKind::Email => "an email address",
            FlagKind::Postcode => "a UK postcode",
            FlagKind::Address => "an address: a house number and street, a flat or an estate",
            FlagKind::VehicleRegistration => "a vehicle registration",
            FlagKind::DateOfBirth => "a date or year of birth, or an age",
            FlagKind::Name => "a name: after a word like 'victim', 'witness' or 'Mr', or a common given name or surname",
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
                veto: None,
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
                if let Some((start, end)) = rule.span(&caps)
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

mod names;

#[derive(Debug, Clone)]
struct Rule {
    regex: Regex,
    kind: FlagKind,
    accept: Accept,
    /// The index of the group named `veto`: when it takes part, the match is not flagged. It
    /// lets a rule step over what comes just before or after the shape ("PC Sarah Jones" is a
    /// colleague; "felt flat 2 days running" is not an address).
    veto: Option<usize>,
}

impl Rule {
    fn span(&self, caps: &Captures) -> Option<(usize, usize)> {
        if self.veto.is_some_and(|i| caps.get(i).is_some()) {
            return None;
        }
        self.accept.span(caps, self.veto)
    }
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
    /// A phone number (nine or ten digits after the 0, +44 or 0044, counted by the regex),
    /// with one kind of gap between its groups: "01.12.2024 14" is a date and a time.
    Phone,
    /// A postcode, unless its inward part is a lower-case ordinal ("M6 4th").
    Postcode,
    /// A registration, unless its letters are a police acronym ("M6 BWV") or a short word
    /// ("the mg11 for"); one in lower case with a gap must also be a plate the DVLA could
    /// issue ("ky19 xwp").
    Registration,
    /// Capitalised words after a trigger: leading titles skipped, ending at a word that is not a
    /// name ("Victim Support", "the suspect I arrested").
    Name,
    /// A word and a surname ("Delroy Campbell"), unless the word is not a name ("The Jones",
    /// "St Thomas").
    FullName,
    /// An age: a number from 1 to 110 in the group.
    Age,
    /// A named estate, unless the name is generic or a car ("Housing estate", "Volvo estate").
    Estate,
    /// Letters and digits in parts joined by `/` or `-` that read as a reference, not a date,
    /// a score, a range of years or a hyphenated helpline.
    Shaped,
}

impl Accept {
    fn span(self, caps: &Captures, veto: Option<usize>) -> Option<(usize, usize)> {
        let whole = caps.get(0)?;
        let group = || {
            caps.iter()
                .enumerate()
                .skip(1)
                .filter(|(i, _)| Some(*i) != veto)
                .find_map(|(_, m)| m)
        };
        let range = |m: regex::Match| (m.start(), m.end());
        match self {
            Accept::Whole => Some(range(whole)),
            Accept::Group => group().map(range),
            Accept::Reference => group()
                .filter(|m| m.as_str().bytes().filter(u8::is_ascii_digit).count() >= 5)
                .map(range),
            Accept::Phone => {
                let mut gaps = caps
                    .get(1)?
                    .as_str()
                    .bytes()
                    .filter(|b| matches!(b, b' ' | b'\t' | b'.' | b'-'));
                let first = gaps.next();
                gaps.all(|gap| Some(gap) == first).then_some(range(whole))
            }
            Accept::Postcode => {
                let inward = caps.get(1)?.as_str();
                let letters = &inward[1..];
                let ordinal = matches!(letters, "st" | "nd" | "rd" | "th");
                (!ordinal).then_some(range(whole))
            }
            Accept::Registration => registration(whole.as_str()).then_some(range(whole)),
            Accept::Name => name_span(group()?),
            Accept::FullName => {
                let m = group()?;
                let first = m.as_str().split([' ', '\t']).next()?.to_lowercase();
                let not_a_name =
                    NOT_NAMES.contains(&first.as_str()) || PLACE_WORDS.contains(&first.as_str());
                (!not_a_name).then(|| name_span(m)).flatten()
            }
            Accept::Age => group()
                .filter(|m| {
                    m.as_str()
                        .parse::<u32>()
                        .is_ok_and(|age| (1..=110).contains(&age))
                })
                .map(range),
            Accept::Estate => {
                let m = group()?;
                let mut words = m.as_str().split_whitespace().rev().skip(1);
                let generic = words.any(|word| {
                    let word = word.to_lowercase();
                    NOT_ESTATES.contains(&word.as_str()) || NOT_NAMES.contains(&word.as_str())
                });
                (!generic).then_some(range(m))
            }
            Accept::Shaped => shaped_reference(whole.as_str()).then_some(range(whole)),
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
        if span.is_some() && NAMESAKES_AFTER.contains(&bare.as_str()) {
            return None;
        }
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

/// Whether a registration-shaped match is taken for a plate (see [`Accept::Registration`]).
fn registration(plate: &str) -> bool {
    let upper = plate.to_ascii_uppercase();
    let mut runs = upper
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|run| !run.is_empty());
    if runs.any(|run| ACRONYMS.contains(&run) || SHORT_WORDS.contains(&run)) {
        return false;
    }
    let loose = plate.bytes().any(|b| b.is_ascii_lowercase())
        && plate.bytes().any(|b| matches!(b, b' ' | b'\t' | b'-'));
    if !loose {
        return true;
    }
    // Only the current format (two letters, an age identifier, three letters) is matched
    // loosely. Its first letter is a region, its age identifier a half-year since 2001, and
    // its last three letters never I or Q.
    let compact: Vec<u8> = upper.bytes().filter(u8::is_ascii_alphanumeric).collect();
    let [region, office, d1, d2, tail @ ..] = compact.as_slice() else {
        return false;
    };
    let age = u32::from(d1 - b'0') * 10 + u32::from(d2 - b'0');
    b"ABCDEFGHKLMNOPRSVWY".contains(region)
        && !b"IQZ".contains(office)
        && ((2..=29).contains(&age) || (51..=79).contains(&age))
        && tail.iter().all(|b| !b"IQ".contains(b))
}

/// Whether a token of parts joined by `/` or `-` reads as a reference (see [`Accept::Shaped`]).
fn shaped_reference(token: &str) -> bool {
    let parts = token.split(['/', '-']).count();
    let digits = token.bytes().filter(u8::is_ascii_digit).count();
    let longest_run = token
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    let letters = token.bytes().any(|b| b.is_ascii_alphabetic());
    let helpline = !letters && token.starts_with('0') && (10..=11).contains(&digits);
    let reads_as_reference = longest_run >= 5 || (digits >= 6 && parts >= 3);
    reads_as_reference && !helpline && !token.split('-').all(is_date) && !is_date(token)
}

/// `12/03/2025`, `1-3-24` or `2025-03-12`: a date, not a reference.
fn is_date(text: &str) -> bool {
    let parts: Vec<u32> = match text
        .split(['/', '-'])
        .map(|part| {
            (1..=4)
                .contains(&part.len())
                .then(|| part.parse().ok())
                .flatten()
        })
        .collect::<Option<Vec<u32>>>()
    {
        Some(parts) if parts.len() == 3 => parts,
        _ => return false,
    };
    let day_month = |d: u32, m: u32| (1..=31).contains(&d) && (1..=12).contains(&m);
    let year_len = |i: usize| text.split(['/', '-']).nth(i).map_or(0, str::len);
    (day_month(parts[0], parts[1]) && matches!(year_len(2), 2 | 4))
        || (year_len(0) == 4 && day_month(parts[2], parts[1]))
}

/// Titles: "Mr Patel" is a name, and so is the "Patel" in "the IP Mrs Patel".
const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "mister", "master"];

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
    "tonight", "tomorrow", "male", "female", "deaf", "everyone", "everybody", "someone",
    "somebody", "anyone", "nobody", "another", "other", "each", "both", "all", "not", "for",
    "from", "with", "at", "on", "in", "to", "of", "by", "as", "if",
    // Days, and the months that are not also first names.
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "july", "september", "october", "november", "december",
    // Nationalities, ethnicities and faiths ("the IP was Polish").
    "english", "british", "scottish", "welsh", "irish", "european", "polish", "romanian",
    "lithuanian", "latvian", "bulgarian", "albanian", "kurdish", "turkish", "iranian", "afghan",
    "arabic", "syrian", "iraqi", "ukrainian", "russian", "portuguese", "spanish", "italian",
    "french", "german", "black", "white", "muslim", "christian", "jewish", "sikh", "hindu",
    "asian", "somali", "nigerian", "indian", "pakistani", "bangladeshi", "chinese",
    // Family and the roles that trigger a name: "the victim's Mum", "Victim Support".
    "mum", "dad", "mother", "father", "nan", "gran", "grandad", "grandma", "son", "daughter",
    "victim", "victims", "suspect", "suspects", "witness", "witnesses", "offender", "offenders",
    "caller", "misper", "mfh",
    // Services, teams, documents.
    "support", "services", "service", "care", "code", "unit", "liaison", "management",
    "manager", "team", "teams", "hub", "lead", "contact", "line", "portal", "app", "statement",
    "statements", "personal", "right", "rights", "interview", "update", "updates", "details",
    "address", "addresses", "pack", "plan", "strategy", "scheme", "agencies", "agency",
    "council", "form", "forms", "record", "records", "footage", "court", "station", "hospital",
    "school", "police", "road", "street", "estate",
    // Ranks and roles: colleagues are staff, not public.
    "pc", "pcs", "pcso", "pcsos", "dc", "ds", "di", "dci", "dsu", "supt", "sgt", "sergeant",
    "insp", "inspector", "officer", "officers", "control", "comms", "sarge", "skipper",
    "supervisor", "constable", "detective", "superintendent", "chief", "tutor", "colleague",
    "mentor", "crewmate", "oppo",
    // Police acronyms.
    "bwv", "cid", "asb", "da", "dv", "cps", "oic", "pnc", "id", "anpr", "cctv", "rtc", "nhs",
    "marac", "dash", "mash", "iom", "idva", "isva", "soh", "pace", "mg11", "gp", "ae", "a&e",
    "ip", "dob", "crn", "uk", "tmc", "hmp",
];

/// Words after a name that make the whole a place named after someone: "Alexandra Park",
/// "Queen Elizabeth Hospital", "Harris Academy".
#[rustfmt::skip]
const NAMESAKES_AFTER: &[&str] = &[
    "hospital", "infirmary", "school", "academy", "college", "university", "primary", "centre",
    "center", "park", "road", "rd", "street", "st", "lane", "avenue", "ave", "drive", "close",
    "way", "station", "court", "house", "hall", "ward", "library", "church", "chapel", "mosque",
    "temple", "gurdwara", "surgery", "practice", "trust", "hotel", "arms", "inn", "tavern",
    "club", "stadium", "estate", "square", "bridge", "gardens", "market", "building", "tower",
    "heights", "memorial", "institute", "foundation", "crescent", "grove", "terrace", "brook",
    "wood", "field", "farm", "green", "hill", "museum", "gallery", "theatre", "cinema", "mill",
    "cross", "gate", "place", "row", "walk", "meadow", "meadows", "shops", "store", "stores",
    "campus", "prison", "barracks", "airport", "wharf", "quay", "dock", "docks", "marina",
    "leisure", "pool", "baths", "fc",
];

/// Words that start a place, not a person, before a surname: "St Thomas", "West Bromwich".
#[rustfmt::skip]
const PLACE_WORDS: &[&str] = &[
    "st", "saint", "port", "fort", "mount", "lake", "upper", "lower", "north", "south", "east",
    "west", "great", "little", "old", "new", "royal", "king", "queen", "prince", "princess",
    "lord", "lady", "sir", "duke", "fort", "castle", "bishops", "kings", "queens", "market",
    "chipping", "long", "high", "nether", "over", "church", "abbey", "priory", "bridge", "crown",
    "magistrates", "county", "city", "town", "village", "central", "inner", "outer",
];

/// Words before "estate" that do not name a housing estate: "Housing estate patrol", "an
/// Industrial Estate", "the Volvo estate".
#[rustfmt::skip]
const NOT_ESTATES: &[&str] = &[
    "housing", "industrial", "trading", "business", "retail", "council", "real", "country",
    "enterprise", "science", "technology", "office", "private", "new", "local", "whole", "same",
    "rough", "big", "large", "social", "probate", "his", "her", "their", "family", "ford",
    "vauxhall", "volvo", "skoda", "audi", "bmw", "mercedes", "peugeot", "renault", "toyota",
    "nissan", "honda", "volkswagen", "vw", "citroen", "citroën", "kia", "hyundai", "seat",
    "fiat", "mazda", "subaru", "dacia", "mondeo", "octavia", "passat", "astra", "focus", "golf",
    "insignia", "superb", "avensis", "estate",
];

/// Three-letter police acronyms that are not registrations: "on the M6 BWV was running".
#[rustfmt::skip]
const ACRONYMS: &[&str] = &[
    "BWV", "CID", "ASB", "ARV", "IRV", "DCI", "OIC", "NPT", "SOH", "CPS", "MHA", "PCS", "RTC",
    "PNC", "NHS", "DOB", "CRN", "INC", "CUS", "LPA", "TMC", "SMT", "CAD", "DSU", "OEL", "HMP",
    "MAM", "IDV", "MIU", "MOJ", "RPU", "TAC", "TSG", "AFO", "IOM", "PPE",
];

/// Short words that a registration-shaped run of letters may be ("the mg11 for the IP").
#[rustfmt::skip]
const SHORT_WORDS: &[&str] = &[
    "THE", "AND", "FOR", "WAS", "BUT", "NOT", "HAD", "HAS", "HER", "HIM", "HIS", "WHO", "SHE",
    "YOU", "ARE", "ALL", "ANY", "CAN", "GOT", "GET", "DID", "OFF", "OUT", "ONE", "TWO", "DAY",
    "NOW", "OUR", "TOO", "YET", "VIA", "PER", "ITS", "LET", "SAW", "SAY", "SET", "PUT", "RAN",
    "NEW", "OLD", "END", "FEW", "HOW", "WHY", "WAY", "MAY", "USE", "TRY", "ASK", "AGO", "AGE",
    "BIG", "BIT", "BUS", "CAR", "VAN", "MUM", "DAD", "SON", "KID", "LAD", "MAN", "MEN", "JOB",
    "HIT", "CUT", "SAT", "TEN", "SIX", "YES", "LOT", "TOP", "WON", "RUN", "SEE", "OWN", "FAR",
    "ADD", "BAD", "BED", "BOY", "LEG", "ARM", "EYE", "TEA", "HOT", "WET", "ODD", "SAD", "RED",
    "TAX", "FIT", "ILL", "OPS", "AND", "NOR", "OFF", "NIL", "PCS", "HRS", "MIN", "AMS", "PMS",
    "ARE", "WAS", "WHO", "NAN", "GAN", "DOG", "CAT", "WIN", "SUN", "MON", "TUE", "WED", "THU",
    "FRI", "SAT", "SUN",
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

/// A reference after a context word: letters and digits, in parts joined by `/` or `-` or run
/// together, with a digit among the first letters (so that "custody, custody no 1/23456/24"
/// does not spend its context word on the first "custody"). [`Accept::Reference`] then asks
/// for at least five digits.
const REFERENCE: &str =
    "(?:[A-Z]{1,6}[/-])?[A-Z]{0,6}[0-9][A-Z0-9]{0,11}(?:[/-][A-Z0-9]{1,10}){0,4}";

/// The last word of a street name (used case-insensitively): "Elm Road", "Victoria St".
const STREET: &str = "(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|\
    court|ct|grove|gardens|gdns|place|pl|terrace|tce|mews|walk|row|square|sq|rise|view|parade|\
    vale|wharf|yard|croft|fold|chase|path|hill|green|park|broadway|quay|boulevard|heights|\
    meadows?|approach|circus|esplanade|promenade|embankment|grange|glade|brow|nook|dene|garth|\
    wynd|brae|crossway|walkway)";

/// Words before a number that make it something other than a house number: "junction 6
/// Gravelly Hill", "day 12", "bus 50".
const NOT_HOUSE_NUMBER: &str = "(?:junction|jct|section|sec|day|days|team|sector|beat|route|\
    bus|platform|gate|terminal|ward|zone|area|cell|room|floor|level|channel|tier|unit|exit)";

/// Words before a given name that make the person a colleague: "PC Sarah Jones", "my tutor
/// Priya".
const STAFF: &str = "(?:pcso|pc|dc|ds|di|dci|dsu|sgt|ps|sergeant|sarge|skipper|insp|inspector|\
    ch[ \\t]+insp|supt|superintendent|constable|detective|officer|colleague|tutor|mentor|\
    crewmate|oppo|supervisor)";

/// Words before a given name that make it a place or an institution named after someone: "the
/// Queen Elizabeth", "St Helen's", "Prince Charles Hospital".
const NAMESAKE: &str =
    "Queen|King|Prince|Princess|St|Saint|Port|Fort|Mount|Lake|Royal|Sir|Lord|Lady|Dame";

/// People an age or a name is given for ("the lad, 15,"; "the male, Jon Smith,").
const PERSON: &str = "(?:male|female|man|woman|lad|lass|boy|girl|fella|fellow|gent|gentleman|\
    lady|bloke|chap|guy|youth|juvenile|child|kid|teen|teenager|toddler|baby|pensioner|person|\
    someone|driver|rider|passenger|resident|tenant|landlord|landlady|shopkeeper|owner|occupant|\
    patient|casualty|subject)";

/// Relatives and others close to someone: "Abdi's mum", "her son is 9".
const RELATIVE: &str = "(?:mum|mom|mother|dad|father|parents?|son|daughter|kids?|children|child|\
    baby|brother|sister|partner|ex|ex-partner|boyfriend|girlfriend|husband|wife|fiancée?|nan|\
    nana|gran|granny|grandma|grandad|grandfather|grandmother|aunt|auntie|uncle|cousin|carer|\
    stepdad|stepmum|neighbour|friend|landlord|nephew|niece|grandson|granddaughter)";

/// A word that is a name's part: starts with a capital, may hold apostrophes and hyphens.
const NAME_WORD: &str = "\\p{Lu}[\\p{L}'’-]*";

/// The edge of a word, for rules that start or end at a letter that may be outside ASCII
/// ("Łukasz", "Zoë"), where an ASCII `\b` cannot see a boundary.
const EDGE_BEFORE: &str = "(?:^|[^\\p{L}\\p{N}'’])";
const EDGE_AFTER: &str = "(?:$|[^\\p{L}\\p{N}'’])";

/// A regex alternation of the given words, longest first so a prefix does not win.
fn alternation<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut words: Vec<String> = words.into_iter().map(regex::escape).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    words.join("|")
}

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
    // Plates without a year letter, and Northern Irish ones: only after a word like "reg".
    let dateless_reg = "[A-Z]{1,3}[ \\t]?[0-9]{1,4}|[0-9]{1,4}[ \\t]?[A-Z]{1,3}";
    let name = format!("{NAME_WORD}\\.?(?:[ \\t]+{NAME_WORD}\\.?){{0,3}}");
    let street = format!("(?:{NAME_WORD}[ \\t]+){{1,3}}(?i:{STREET})\\b\\.?");
    let given = alternation(names::GIVEN.iter().chain(names::GIVEN_CAPITALISED).copied());
    let given_lower = names::GIVEN
        .iter()
        .map(|name| name.to_lowercase())
        .collect::<Vec<_>>();
    let given_lower = alternation(given_lower.iter().map(String::as_str));
    let surname = alternation(names::SURNAMES.iter().copied());
    let surname_upper = names::SURNAMES
        .iter()
        .map(|name| name.to_uppercase())
        .collect::<Vec<_>>();
    let surname_upper = alternation(surname_upper.iter().map(String::as_str));
    let surname_lower = names::SURNAMES
        .iter()
        .map(|name| name.to_lowercase())
        .collect::<Vec<_>>();
    let surname_lower = alternation(surname_lower.iter().map(String::as_str));
    let dot = "(?:\\.|[ \\t]*[(\\[{]dot[)\\]}][ \\t]*|[ \\t]+dot[ \\t]+)";
    let at = "(?:[ \\t]*[(\\[{]at[)\\]}][ \\t]*|[ \\t]+at[ \\t]+|[ \\t]+@[ \\t]*|[ \\t]*@[ \\t]+)";
    let spelled_dot = "(?:[ \\t]*[(\\[{]dot[)\\]}][ \\t]*|[ \\t]+dot[ \\t]+)";
    let domain_end =
        "(?:com|co|uk|org|net|gov|ac|nhs|police|sch|edu|info|biz|io|me|ie|eu|de|fr|pl|ro)";

    let rules: Vec<(FlagKind, Accept, String)> = vec![
        // Context-led references first: their kind wins when shapes overlap.
        (
            FlagKind::CustodyReference,
            Accept::Reference,
            format!(
                "(?i)\\bcustody(?:[ \\t]+(?:ref(?:erence)?|no|number|record|rec))?\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|was)[ \\t]+)?({REFERENCE})\\b"
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
            "(?i)\\b(?:pnc(?:[ \\t]*id)?|pnc[ \\t]+(?:no|number)|cro(?:[ \\t]+(?:no|number))?)\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|of|was)[ \\t]+)?((?:[0-9]{2}|(?:19|20)[0-9]{2})/[0-9]{1,7}[ \\t]?[A-Z]|[0-9]{1,6}/[0-9]{1,7}[A-Z])\\b".to_string(),
        ),
        (
            FlagKind::CrimeReference,
            Accept::Reference,
            format!(
                "(?i)\\b(?:crn|crime[ \\t]*(?:ref(?:erence)?|no|num(?:ber)?|report(?:[ \\t]+(?:no|number))?)?)\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|of|was)[ \\t]+)?({REFERENCE})\\b"
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
                "(?i)\\b(?:incident|inc|log|cad|storm|occurrence|occ|oel)(?:[ \\t]*(?:no\\.?|number|ref(?:erence)?|#))?[ \\t]*[:#]?[ \\t]*([0-9]{{1,6}}[ \\t]+of[ \\t]+(?:{short_date}|today|yesterday|tonight|last[ \\t]+night)|[0-9]{{3,}})\\b"
            ),
        ),
        (
            FlagKind::IncidentReference,
            Accept::Reference,
            format!(
                "(?i)\\b(?:(?:incident|inc|log|cad|storm|occurrence|occ|oel)(?:[ \\t]*(?:no\\.?|number|ref(?:erence)?|#))?|job[ \\t]*(?:no\\.?|number|ref(?:erence)?))[ \\t]*[:#]?[ \\t]*({REFERENCE})\\b"
            ),
        ),
        (
            FlagKind::IncidentReference,
            Accept::Whole,
            "(?i)\\b(?:inc|cad|log|occ|storm)[/-]?[0-9]{4,}(?:[/-][0-9]{1,8})*\\b".to_string(),
        ),
        // Any other reference after a word that says so: "case ref", "URN", "ref no".
        (
            FlagKind::CrimeReference,
            Accept::Reference,
            format!(
                "(?i)\\b(?:urn|case(?:[ \\t]*(?:file|ref(?:erence)?|no|num(?:ber)?))?|file[ \\t]*(?:ref(?:erence)?|no|num(?:ber)?)|ref(?:erence)?(?:[ \\t]*(?:no|num(?:ber)?))?)\\.?[ \\t]*[:#,]?[ \\t]*(?:(?:is|of|was)[ \\t]+)?({REFERENCE})\\b"
            ),
        ),
        // Dates and years of birth, up to four words after the word that says so ("DOB came
        // back as 1/2/2016"), and ages.
        (
            FlagKind::DateOfBirth,
            Accept::Group,
            format!(
                "(?i)(?:\\b(?:dob|date[ \\t]+of[ \\t]+birth|born|yob|year[ \\t]+of[ \\t]+birth)|\\bd\\.o\\.b\\.?|\\bd/o/b)[ \\t]*[:-]?[ \\t]*(?:[a-z]+[ \\t]+){{0,4}}?({date_numeric}|{date_long}|(?:19|20)[0-9]{{2}}|['’][0-9]{{2}}|[0-9]{{6}}(?:[0-9]{{2}})?)\\b"
            ),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Age,
            "(?i)\\bage[ds]?[ \\t]*(?:[:-]|of|about|around|just|only)?[ \\t]*([0-9]{1,3})\\b"
                .to_string(),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Age,
            "(?i)\\b([0-9]{1,3})[ \\t]*-?[ \\t]*(?:years?|yrs?|yr)[ \\t]*-?[ \\t]*(?:old|of[ \\t]+age)\\b(?:[ \\t]+(?P<veto>car|van|vehicle|motor|bike|laptop|tablet|phone|device|system|radio|kit|computer|software|policy|building|house|dog|cat|boiler|tree|case|job|station|estate|flat|record|fleet|uniform)s?\\b)?|\\b([0-9]{1,3})[ \\t]*(?:yo|y/o|y\\.o\\.?)\\b".to_string(),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Age,
            format!(
                "(?i)\\b(?:she|he|they|who|victim|suspect|ip|witness|{PERSON}|(?:her|his|their|the)[ \\t]+{RELATIVE})(?:['’]s|[ \\t]+(?:is|was|were|are|turned|turns|aged))[ \\t]+(?:(?:only|just|nearly|almost|barely|about|around|over|under)[ \\t]+)?([0-9]{{1,3}})(?:[ \\t]*(?:[,.;!?)]|$)|[ \\t]+(?:and|but|with|so|now|yrs?|years|today|this|last|next)\\b)"
            ),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Age,
            format!(
                "(?i)\\b(?:{PERSON}|victim|suspect|ip|witness)[ \\t]*(?:,|\\()[ \\t]*([0-9]{{1,3}})[ \\t]*(?:[,.;)]|$|[ \\t]+(?:and|who|from|with|was|is|had|has)\\b)"
            ),
        ),
        (
            FlagKind::DateOfBirth,
            Accept::Age,
            format!("{NAME_WORD}[ \\t]*(?:\\(|,)[ \\t]*([0-9]{{1,2}})[ \\t]*(?:\\)|,)"),
        ),
        (
            FlagKind::VehicleRegistration,
            Accept::Group,
            format!(
                "(?i)\\b(?:reg(?:istration)?|vrm|vrn|index|(?:number[ \\t]+)?plates?)(?:[ \\t]+(?:no\\.?|number|mark|plate))?[ \\t]*[:-]?[ \\t]*(?:(?:of|is|was)[ \\t]+)?({current_reg}|{prefix_reg}|{suffix_reg}|(?-i:{dateless_reg}))\\b"
            ),
        ),
        // Addresses told by what comes before them.
        (
            FlagKind::Address,
            Accept::Group,
            format!(
                "(?i:\\b(?:lives?|living|lived|resides?|residing|staying|moved|address(?:[ \\t]+(?:is|was|of))?|home(?:[ \\t]+(?:is|was))?))[ \\t]+(?:(?i:on|at|in|to)[ \\t]+)?(?:(?i:the)[ \\t]+)?({street}|(?:{NAME_WORD}[ \\t]+){{1,3}}(?i:estate)\\b)"
            ),
        ),
        (
            FlagKind::Address,
            Accept::Group,
            format!(
                "\\b(?i:number|no\\.?|house)[ \\t]*([0-9]{{1,4}}[A-Za-z]?[ \\t]+(?i:on|in)[ \\t]+(?:(?i:the)[ \\t]+)?{street})"
            ),
        ),
        (
            FlagKind::Postcode,
            Accept::Group,
            "(?i)\\bpost[ \\t]?code[ \\t]*(?:is|was|of|:)?[ \\t]*([A-Z]{1,2}[0-9][0-9A-Z]?[ \\t]?[0-9][A-Z]{2})\\b".to_string(),
        ),
        // Shapes that identify on their own.
        (
            FlagKind::PncId,
            Accept::Whole,
            "(?i)\\b[0-9]{2}/[0-9]{4,7}[A-Z]\\b|\\b[0-9]{4,6}/[0-9]{2}[A-Z]\\b|\\b(?:19|20)[0-9]{2}/[0-9]{5,7}[A-Z]\\b".to_string(),
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
        // Spelled out to get past filters: "jo at example dot com", "jo [at] example.co.uk".
        (
            FlagKind::Email,
            Accept::Whole,
            format!(
                "(?i)\\b[A-Z0-9][A-Z0-9._%+-]*(?:{spelled_dot}[A-Z0-9._%+-]+)*{at}[A-Z0-9-]+(?:{dot}[A-Z0-9-]+)*{dot}{domain_end}\\b\
                 |\\b[A-Z0-9][A-Z0-9._%+-]*@[A-Z0-9-]+(?:{dot}[A-Z0-9-]+)*{spelled_dot}{domain_end}\\b\
                 |\\b[A-Z0-9][A-Z0-9._%+-]*[ \\t]+at[ \\t]+(?:gmail|googlemail|hotmail|yahoo|icloud|btinternet|protonmail|aol)\\b"
            ),
        ),
        // 01, 02 and 07 numbers (03 and 08 belong to organisations), in any grouping, with or
        // without +44 or 0044: the 0 or +44 and nine or ten digits.
        (
            FlagKind::Phone,
            Accept::Phone,
            "(?:(?:\\+|\\b00)44[ \\t.-]?(?:\\(0\\)[ \\t.-]?)?|\\(?\\b0)([127](?:\\)?[ \\t.-]?[0-9]){8,9})\\b"
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
            format!("\\b(?:{prefix_reg}|{suffix_reg})\\b"),
        ),
        (
            FlagKind::VehicleRegistration,
            Accept::Registration,
            "(?i)\\b[A-Z]{2}[0-9]{2}[ \\t-]?[A-Z]{3}\\b".to_string(),
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
        // Addresses: a house number and a street, a flat, a named estate.
        (
            FlagKind::Address,
            Accept::Group,
            format!(
                "(?:(?P<veto>\\b(?i:{NOT_HOUSE_NUMBER})\\.?[ \\t]+))?\\b([0-9]{{1,4}}[A-Za-z]?(?:[-–][0-9]{{1,4}}[A-Za-z]?)?,?[ \\t]+{street})"
            ),
        ),
        (
            FlagKind::Address,
            Accept::Group,
            "\\b([0-9]{1,4}[a-z]?,?[ \\t]+(?:(?P<veto>hours?|hrs|mins?|minutes|days?|weeks?|months?|years?|miles?|times?|calls?|jobs?|more|other|different|main|side|back|busy|quiet|long|short|dirt|one|two|three|very|ring|dual|private|slip|country|toll|a|an|the|of|on|in|at|to|down|up|along|across|and|or|per|cars?|vans?|officers?|people|units?|lanes?|roads?|streets?)|[a-z][a-z'’-]+)[ \\t]+(?:road|street|avenue|lane|drive|crescent|grove|gardens|terrace|mews))\\b".to_string(),
        ),
        (
            FlagKind::Address,
            Accept::Whole,
            format!(
                "(?i)\\b(?:flat|apartment|apt|maisonette|bedsit)\\.?[ \\t]*(?:no\\.?[ \\t]*|number[ \\t]+)?[0-9]{{1,4}}[a-z]?(?:/[0-9]{{1,2}})?\\b(?:[ \\t]*(?P<veto>%|(?:days?|weeks?|months?|years?|hours?|hrs?|mins?|minutes?|times?|miles?|mph|percent|out|tyres?)\\b))?(?-i:,?[ \\t]+(?:{NAME_WORD}[ \\t]+){{1,3}}(?i:house|court|tower|heights|lodge|mansions|point|block|building|apartments|flats|close)\\b)?"
            ),
        ),
        (
            FlagKind::Address,
            Accept::Estate,
            format!(
                "(?:\\b(?i:the|this|that|our|a)[ \\t]+)?((?:{NAME_WORD}[ \\t]+){{1,3}}(?i:estate))\\b(?:[ \\t]+(?P<veto>(?i:agents?|agency|car)\\b))?"
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
                 |mispers?|mfh|missing[ \\t]+person|prisoners?|detainees?|injured[ \\t]+party|person[ \\t]+reporting\
                 |aggrieved|nominal|casualty|deceased|son|daughter|stepson|stepdaughter|grandson|granddaughter|husband|wife\
                 |ex-partner|partner|ex|boyfriend|girlfriend|mum|mother|dad|father|brother|sister|nan\
                 |neighbour|named|name[ \\t]+(?:is|was|as)|name[ \\t]*:|goes[ \\t]+by|identified[ \\t]+as|known[ \\t]+as\
                 |aka|a\\.k\\.a\\.?|introduced[ \\t]+(?:him|her|them)sel(?:f|ves)[ \\t]+as\
                 |arrested|interviewed|cautioned|charged|detained)\
                 |\\b(?:IP|IPs|DP)\
                 |\\b(?:Mrs|Mr|Ms|Miss|Mx|Dr|Mister|Master)\\b\\.?)\
                 (?:[ \\t]*,[ \\t]*|[ \\t]+)(?:(?i:called|named|known[ \\t]+as|aka|is|was)[ \\t]+)?({name})\
                 |\\b(?i:{PERSON})(?:[ \\t]*,[ \\t]*|[ \\t]+(?i:called|named|known[ \\t]+as)[ \\t]+)({name})"
            ),
        ),
        // A title in lower case before a surname in lower case: "showed mr patel", but not "the
        // mrs had".
        (
            FlagKind::Name,
            Accept::Name,
            "(?:(?P<veto>\\b(?i:the|my|your|his|our)[ \\t]+))?\\b(?i:mr|mrs|miss|mx|mister)\\.?[ \\t]+([a-z][a-z'’-]+)"
                .to_string(),
        ),
        // A possessive before a relative or a home: "Abdi Farah's mum".
        (
            FlagKind::Name,
            Accept::Name,
            format!(
                "{EDGE_BEFORE}((?:{NAME_WORD}[ \\t]+){{0,2}}{NAME_WORD})['’]s[ \\t]+(?i:{RELATIVE}|house|flat|address|home)\\b"
            ),
        ),
        // A common given name anywhere, with the capitalised words after it ("Sarah Jones"),
        // unless a rank or a colleague's role comes first, or it names a place ("the Queen
        // Elizabeth", "St Helen's").
        (
            FlagKind::Name,
            Accept::Name,
            format!(
                "(?:(?P<veto>\\b(?i:{STAFF})\\.?|\\b(?:{NAMESAKE})\\.?)[ \\t]*,?[ \\t]+|{EDGE_BEFORE})((?:{given})(?:['’]s)?(?:[ \\t]+{NAME_WORD}){{0,2}}|(?:{given_lower})(?:['’]s)?(?:[ \\t]+(?:{surname_lower}))?){EDGE_AFTER}"
            ),
        ),
        // A common surname after any capitalised word: "Delroy Campbell", "Jon SMITH".
        (
            FlagKind::Name,
            Accept::FullName,
            format!(
                "(?:(?P<veto>\\b(?i:{STAFF})\\.?)[ \\t]*,?[ \\t]+|{EDGE_BEFORE})(\\p{{Lu}}\\p{{Ll}}[\\p{{L}}'’-]*[ \\t]+(?:{surname}|{surname_upper})(?:['’]s)?){EDGE_AFTER}"
            ),
        ),
        // References by shape alone, last: a context word or another kind comes first.
        (
            FlagKind::CrimeReference,
            Accept::Shaped,
            "(?i)\\b[A-Z0-9]{1,10}(?:[/-][A-Z0-9]{1,10}){1,4}\\b".to_string(),
        ),
        (
            FlagKind::CrimeReference,
            Accept::Whole,
            format!(
                "(?i)\\b(?:(?P<veto>{STAFF})|[0-9]{{0,4}}[A-Z]{{1,4}})[0-9]{{5,12}}[A-Z]{{0,2}}\\b|\\b[1-9][0-9]{{8,14}}\\b"
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
            let regex = Regex::new(&pattern)
                .unwrap_or_else(|e| panic!("built-in safeguarding pattern for {kind:?}: {e}"));
            let veto = regex.capture_names().position(|name| name == Some("veto"));
            Rule {
                regex,
                kind,
                accept,
                veto,
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
        assert_flags("case ref 31CD0044571 went", &[("31CD0044571", C)]);
        assert_flags("URN 43HJ0456725 is due", &[("43HJ0456725", C)]);
        assert_flags("file CF-2025-118822 went over", &[("CF-2025-118822", C)]);
        assert_flags("logged as CRI/24/012345 today", &[("CRI/24/012345", C)]);
        assert_flags("it was 43240012345 on Niche", &[("43240012345", C)]);
        assert_flags(
            "custody, custody no 1/23456/24",
            &[("1/23456/24", FlagKind::CustodyReference)],
        );
        assert_clean("Crime numbers are easier to find now");
        assert_clean("figures for 2019-2024, the B4135-B4136 link, SOP 14-203, 24/7 cover");
        assert_clean("PC12345 showed me, on 12/03/2025 and 01/03/24-31/03/24, 0800-111-4444");
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
        assert_flags("STORM log 0734 of today was", &[("0734 of today", I)]);
        assert_flags(
            "Niche occurrence 24000345678 is linked",
            &[("24000345678", I)],
        );
        assert_flags("Ref INC-20241203-0042 is it", &[("INC-20241203-0042", I)]);
        assert_flags("Job ref 20-118843 was", &[("20-118843", I)]);
        assert_clean("Day 12 of 30, holding 40 incidents, logged 12 stop searches");
        assert_clean("We had 120 of today's jobs closed by ten");
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
        assert_clean("Ran the PNC check, scored 9/10, then 2/3 of the quiz");
        assert_flags("PNC ID 2009/0345678K came back", &[("2009/0345678K", P)]);
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
            "07700 900 781",
            "07700.900.342",
            "0044 7700 900456",
            "+44 (0) 20 7946 0958",
            "0161 4960452",
            "07 700 900 555",
        ] {
            let text = format!("ring her on {number} after 6");
            assert_flags(&text, &[(number, P)]);
        }
        assert_clean("a 999 call, then 101, then 111, then the Samaritans on 116 123");
        assert_clean("Police Care UK on 0300 012 0030, free on 0800 111 4444");
        assert_clean("worked 07:00-17:00, 2024, collar 1234, 18,432 steps, 0900 start");
        assert_clean("on 01.12.2024 14:00, then 01-12-2024 11 times, 0.5 miles");
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
        assert_flags(
            "from kirsty dot m at outlook dot com, so",
            &[("kirsty dot m at outlook dot com", E)],
        );
        assert_flags(
            "sent to j.patel at example.co.uk as",
            &[("j.patel at example.co.uk", E)],
        );
        assert_flags(
            "it was jo99 [at] example [dot] org then",
            &[("jo99 [at] example [dot] org", E)],
        );
        assert_flags("her email is mo_k at hotmail", &[("mo_k at hotmail", E)]);
        assert_clean("emailed the team @ 10pm, @sergeant on Teams");
        assert_clean("met them at home. Co-responders came at 10.30 and left at the scene.");
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
        assert_flags("ANPR hit yf21 kxo twice", &[("yf21 kxo", V)]);
        assert_flags("plate was LB07-KJD", &[("LB07-KJD", V)]);
        assert_flags("a reg AXZ 4521 from NI", &[("AXZ 4521", V)]);
        assert_clean("filled in the MG11 for the IP, on the A38 all day, the B4135 road");
        assert_clean("the mg11 and the mg11 for her, then ab12 cdi and zz12 abc");
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
        assert_flags("IP born 1988 according to", &[("1988", D)]);
        assert_flags("the witness was born in 1961 and", &[("1961", D)]);
        assert_flags("YOB '75 on the form", &[("'75", D)]);
        assert_flags("Her DOB came back as 1/2/2016 so", &[("1/2/2016", D)]);
        assert_flags(
            "born on the 4th of July 2012 and",
            &[("4th of July 2012", D)],
        );
        assert_clean("Joined in 2009, born and raised in Brum");
    }

    #[test]
    fn ages() {
        use FlagKind::DateOfBirth as D;
        assert_flags("a 79-year-old male fell", &[("79", D)]);
        assert_flags("the missing 14 year old was", &[("14", D)]);
        assert_flags("Mum says he's 13 and has", &[("13", D)]);
        assert_flags("She's 34, and", &[("34", D)]);
        assert_flags("The driver, 19, had", &[("19", D)]);
        assert_flags("Victim aged 16, so", &[("16", D)]);
        assert_flags("Old fella, 91, had", &[("91", D)]);
        assert_flags("Kyle (17) was", &[("Kyle", FlagKind::Name), ("17", D)]);
        assert_flags("a 15yo on a bike", &[("15", D)]);
        assert_clean("I'm 34 and after 17 years in the job, the 10-year-old laptops went");
        assert_clean("The victim was 5 minutes from home; he was 6 foot; Day 14 of 30");
        assert_flags("Her son is only 9 and saw", &[("9", D)]);
        assert_clean("There were 3 of us; my son is 7; 2 hours late; 200 years old buildings");
    }

    #[test]
    fn addresses() {
        use FlagKind::Address as A;
        assert_flags("back to 27 Hollybush Lane to", &[("27 Hollybush Lane", A)]);
        assert_flags("at 3a Mill Street, and", &[("3a Mill Street", A)]);
        assert_flags("at 45 The Crescent with", &[("45 The Crescent", A)]);
        assert_flags("at 10-12 St Mary's Road.", &[("10-12 St Mary's Road.", A)]);
        assert_flags("outside 112 kings road with", &[("112 kings road", A)]);
        assert_flags("Flat 14, Meadow Court had", &[("Flat 14, Meadow Court", A)]);
        assert_flags("at flat 2/1 again", &[("flat 2/1", A)]);
        assert_flags("apartment 7b at the", &[("apartment 7b", A)]);
        assert_flags(
            "on the Longbridge estate chasing",
            &[("Longbridge estate", A)],
        );
        assert_flags("She lives on Hazel Grove with", &[("Hazel Grove", A)]);
        assert_flags(
            "at number 9 on Station Road, nobody",
            &[("9 on Station Road", A)],
        );
        assert_clean("12 hours road policing; junction 6 Gravelly Hill; day 3 Park Lane");
        assert_clean("felt flat 2 days running, flat out, 3 Park Runs, 2 main roads");
        assert_clean("Housing estate patrols; his Volvo estate; Foxtons estate agents");
        assert_clean("The RTC on London Road; parked on Church Street for refs");
    }

    #[test]
    fn names_without_trigger_words() {
        use FlagKind::Name as N;
        assert_flags("Tomasz Nowak came in", &[("Tomasz Nowak", N)]);
        assert_flags("Took Priya's statement", &[("Priya's", N)]);
        assert_flags("Spoke to siobhan about", &[("siobhan", N)]);
        assert_flags("a lift for amir khan to", &[("amir khan", N)]);
        assert_flags("first aid to mrs kowalska in", &[("kowalska", N)]);
        assert_flags("after Errol Baxter's mum rang", &[("Errol Baxter's", N)]);
        assert_flags("after Obi Nwachukwu's dad rang", &[("Obi Nwachukwu", N)]);
        assert_flags("Winston MURRAY was arrested", &[("Winston MURRAY", N)]);
        assert_flags("then Ade Jenkins walked in", &[("Ade Jenkins", N)]);
        assert_flags("Łukasz was helpful", &[("Łukasz", N)]);
        assert_flags("she was identified as Ola Bankole", &[("Ola Bankole", N)]);
        assert_flags("arrested Dontae on warrant", &[("Dontae", N)]);
    }

    #[test]
    fn colleagues_and_places_are_not_names() {
        assert_clean("PC Liam Docherty and my tutor Sarah showed me; Sgt Khan briefed us");
        assert_clean("Our Inspector, Priya, and DC Wright ran it; Supervisor Reid agreed");
        assert_clean("Handed over at the Royal Alexandra, then Alexandra Park, then St Helen's");
        assert_clean("Harris Academy, Jordan's Brook car park, the Queen Elizabeth Hospital");
        assert_clean("Will try again; Mark the job; Dawn raid; Pat down; Nick was quiet");
        assert_clean("Charlie One and Two; Victor, Oscar, Juliet; the mrs cooked; the Mrs had");
        assert_clean("The Jones family liaison; St Thomas was busy; West Bromwich");
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
        assert_flags(
            "Suspect is Jordan, 17, known",
            &[("Jordan", N), ("17", FlagKind::DateOfBirth)],
        );
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
        assert!(FlagKind::Address.describe().contains("street"));
        assert_eq!(
            FlagKind::Custom("an Athena job number".into()).describe(),
            "an Athena job number"
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
            "an Athena job number".into(),
            "(?i)\\baj-[0-9]{4}\\b".into(),
        )])
        .unwrap();
        let text = "Closed AJ-4512 from the car";
        assert_eq!(
            checker.check(text),
            [Flag {
                start: 7,
                end: 14,
                kind: FlagKind::Custom("an Athena job number".into())
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
