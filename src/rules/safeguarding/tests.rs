//! Unit tests of the checker, family by family, and of redaction.

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
