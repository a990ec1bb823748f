//! The words and regex fragments the rules are built from: titles, words that are not names,
//! street endings, month names, postcode areas and the like. Data, not rules, as `names.rs` is.

/// Titles: "Mr Patel" is a name, and so is the "Patel" in "the IP Mrs Patel".
pub(super) const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "mx", "dr", "mister", "master"];

/// Capitalised words that follow a trigger word without being a name: "Victim Support", "the
/// suspect I arrested", "Offender Management", "the IP was Polish", "the witness, PC Jones"
/// (staff, not public). Compared in lower case, and also by the part before a hyphen.
#[rustfmt::skip]
pub(super) const NOT_NAMES: &[&str] = &[
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
pub(super) const NAMESAKES_AFTER: &[&str] = &[
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
pub(super) const PLACE_WORDS: &[&str] = &[
    "st", "saint", "port", "fort", "mount", "lake", "upper", "lower", "north", "south", "east",
    "west", "great", "little", "old", "new", "royal", "king", "queen", "prince", "princess",
    "lord", "lady", "sir", "duke", "fort", "castle", "bishops", "kings", "queens", "market",
    "chipping", "long", "high", "nether", "over", "church", "abbey", "priory", "bridge", "crown",
    "magistrates", "county", "city", "town", "village", "central", "inner", "outer",
];

/// Words before "estate" that do not name a housing estate: "Housing estate patrol", "an
/// Industrial Estate", "the Volvo estate".
#[rustfmt::skip]
pub(super) const NOT_ESTATES: &[&str] = &[
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
pub(super) const ACRONYMS: &[&str] = &[
    "BWV", "CID", "ASB", "ARV", "IRV", "DCI", "OIC", "NPT", "SOH", "CPS", "MHA", "PCS", "RTC",
    "PNC", "NHS", "DOB", "CRN", "INC", "CUS", "LPA", "TMC", "SMT", "CAD", "DSU", "OEL", "HMP",
    "MAM", "IDV", "MIU", "MOJ", "RPU", "TAC", "TSG", "AFO", "IOM", "PPE",
];

/// Short words that a registration-shaped run of letters may be ("the mg11 for the IP").
#[rustfmt::skip]
pub(super) const SHORT_WORDS: &[&str] = &[
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
pub(super) const POSTCODE_AREAS: &str = "AB|AL|BA|BB|BD|BH|BL|BN|BR|BS|BT|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|\
    DD|DE|DG|DH|DL|DN|DT|DY|EC|EH|EN|EX|FK|FY|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|\
    KA|KT|KW|KY|LA|LD|LE|LL|LN|LS|LU|ME|MK|ML|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|\
    RM|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|WA|WC|WD|WF|WN|WR|\
    WS|WV|YO|ZE|B|E|G|L|M|N|S|W";

/// Month names and their short forms (used case-insensitively).
pub(super) const MONTHS: &str = "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|\
    aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

/// A day of the month, 1 to 31, with an optional leading zero.
pub(super) const DAY: &str = "(?:0?[1-9]|[12][0-9]|3[01])";

/// A month number, 1 to 12, with an optional leading zero.
pub(super) const MONTH: &str = "(?:0?[1-9]|1[0-2])";

/// Years before 2015: a full date older than that in a reflection is most likely a birth date.
pub(super) const OLD_YEAR: &str = "(?:19[0-9]{2}|200[0-9]|201[0-4])";

/// A reference after a context word: letters and digits, in parts joined by `/` or `-` or run
/// together, with a digit among the first letters (so that "custody, custody no 1/23456/24"
/// does not spend its context word on the first "custody"). [`Accept::Reference`] then asks
/// for at least five digits.
pub(super) const REFERENCE: &str =
    "(?:[A-Z]{1,6}[/-])?[A-Z]{0,6}[0-9][A-Z0-9]{0,11}(?:[/-][A-Z0-9]{1,10}){0,4}";

/// The last word of a street name (used case-insensitively): "Elm Road", "Victoria St".
pub(super) const STREET: &str = "(?:road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|way|crescent|cres|\
    court|ct|grove|gardens|gdns|place|pl|terrace|tce|mews|walk|row|square|sq|rise|view|parade|\
    vale|wharf|yard|croft|fold|chase|path|hill|green|park|broadway|quay|boulevard|heights|\
    meadows?|approach|circus|esplanade|promenade|embankment|grange|glade|brow|nook|dene|garth|\
    wynd|brae|crossway|walkway)";

/// Words before a number that make it something other than a house number: "junction 6
/// Gravelly Hill", "day 12", "bus 50".
pub(super) const NOT_HOUSE_NUMBER: &str = "(?:junction|jct|section|sec|day|days|team|sector|beat|route|\
    bus|platform|gate|terminal|ward|zone|area|cell|room|floor|level|channel|tier|unit|exit)";

/// Words before a given name that make the person a colleague: "PC Sarah Jones", "my tutor
/// Priya".
pub(super) const STAFF: &str = "(?:pcso|pc|dc|ds|di|dci|dsu|sgt|ps|sergeant|sarge|skipper|insp|inspector|\
    ch[ \\t]+insp|supt|superintendent|constable|detective|officer|colleague|tutor|mentor|\
    crewmate|oppo|supervisor)";

/// Words before a given name that make it a place or an institution named after someone: "the
/// Queen Elizabeth", "St Helen's", "Prince Charles Hospital".
pub(super) const NAMESAKE: &str =
    "Queen|King|Prince|Princess|St|Saint|Port|Fort|Mount|Lake|Royal|Sir|Lord|Lady|Dame";

/// People an age or a name is given for ("the lad, 15,"; "the male, Jon Smith,").
pub(super) const PERSON: &str = "(?:male|female|man|woman|lad|lass|boy|girl|fella|fellow|gent|gentleman|\
    lady|bloke|chap|guy|youth|juvenile|child|kid|teen|teenager|toddler|baby|pensioner|person|\
    someone|driver|rider|passenger|resident|tenant|landlord|landlady|shopkeeper|owner|occupant|\
    patient|casualty|subject)";

/// Relatives and others close to someone: "Abdi's mum", "her son is 9".
pub(super) const RELATIVE: &str = "(?:mum|mom|mother|dad|father|parents?|son|daughter|kids?|children|child|\
    baby|brother|sister|partner|ex|ex-partner|boyfriend|girlfriend|husband|wife|fiancée?|nan|\
    nana|gran|granny|grandma|grandad|grandfather|grandmother|aunt|auntie|uncle|cousin|carer|\
    stepdad|stepmum|neighbour|friend|landlord|nephew|niece|grandson|granddaughter)";

/// A word that is a name's part: starts with a capital, may hold apostrophes and hyphens.
pub(super) const NAME_WORD: &str = "\\p{Lu}[\\p{L}'’-]*";

/// The edge of a word, for rules that start or end at a letter that may be outside ASCII
/// ("Łukasz", "Zoë"), where an ASCII `\b` cannot see a boundary.
pub(super) const EDGE_BEFORE: &str = "(?:^|[^\\p{L}\\p{N}'’])";
pub(super) const EDGE_AFTER: &str = "(?:$|[^\\p{L}\\p{N}'’])";
