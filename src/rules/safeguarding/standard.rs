//! The built-in rules, one or more per family of identifying detail, in the order that decides
//! which kind wins when matches overlap (context-led rules first).

use regex::Regex;

use super::FlagKind;
use super::names;
use super::rule::{Accept, Rule};
use super::words::{
    DAY, EDGE_AFTER, EDGE_BEFORE, MONTH, MONTHS, NAME_WORD, NAMESAKE, NOT_HOUSE_NUMBER, OLD_YEAR,
    PERSON, POSTCODE_AREAS, REFERENCE, RELATIVE, STAFF, STREET,
};

/// A regex alternation of the given words, longest first so a prefix does not win.
fn alternation<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut words: Vec<String> = words.into_iter().map(regex::escape).collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    words.join("|")
}

pub(super) fn standard_rules() -> Vec<Rule> {
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
