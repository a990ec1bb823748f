//! "Did you mean ...?" suggestions for misspelt keys, rules and pack ids.

/// The candidate closest to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(&word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_close_candidate() {
        assert_eq!(
            did_you_mean("titel", ["title", "why", "action"]),
            Some("title")
        );
        assert_eq!(
            did_you_mean("reactions", ["reflections", "reactions_received"]),
            Some("reactions_received")
        );
        assert_eq!(did_you_mean("Streak", ["streak"]), Some("streak"));
    }

    #[test]
    fn suggests_nothing_for_unrelated_words() {
        assert_eq!(did_you_mean("colour", ["title", "why", "action"]), None);
    }
}
