//! One rule: a regex, the kind of flag it raises, and what of a match it flags ([`Accept`]),
//! with the checks a regex cannot express (a plate the DVLA could issue, a reference that is not
//! a date).

use regex::{Captures, Regex};

use super::FlagKind;
use super::words::{
    ACRONYMS, NAMESAKES_AFTER, NOT_ESTATES, NOT_NAMES, PLACE_WORDS, SHORT_WORDS, TITLES,
};

#[derive(Debug, Clone)]
pub(super) struct Rule {
    pub(super) regex: Regex,
    pub(super) kind: FlagKind,
    pub(super) accept: Accept,
    /// The index of the group named `veto`: when it takes part, the match is not flagged. It
    /// lets a rule step over what comes just before or after the shape ("PC Sarah Jones" is a
    /// colleague; "felt flat 2 days running" is not an address).
    pub(super) veto: Option<usize>,
}

impl Rule {
    pub(super) fn span(&self, caps: &Captures) -> Option<(usize, usize)> {
        if self.veto.is_some_and(|i| caps.get(i).is_some()) {
            return None;
        }
        self.accept.span(caps, self.veto)
    }
}

/// Which part of a match is flagged, and the checks a regex cannot express.
#[derive(Debug, Clone, Copy)]
pub(super) enum Accept {
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
