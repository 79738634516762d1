//! "Did you mean": the closest candidate to a misspelt name, if any is close enough to help.

/// Case-insensitive equality first (the most common Kubernetes typo), then Jaro-Winkler
/// similarity on lowercased names, ties broken by edit distance.
pub fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_ascii_lowercase();
    let mut best: Option<(&'c str, f64, usize)> = None;
    for candidate in candidates {
        if candidate.eq_ignore_ascii_case(word) {
            return Some(candidate);
        }
        let candidate_lower = candidate.to_ascii_lowercase();
        let score = strsim::jaro_winkler(&lower, &candidate_lower);
        let distance = strsim::damerau_levenshtein(&lower, &candidate_lower);
        let better = match best {
            None => true,
            Some((_, s, d)) => score > s || (score == s && distance < d),
        };
        if better {
            best = Some((candidate, score, distance));
        }
    }
    // Short words need a near-exact match: `app` is not a typo of `apiVersion`.
    best.filter(|&(_, score, distance)| score >= 0.88 || (distance <= 2 && distance * 3 <= lower.len()))
        .map(|(candidate, ..)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_only_close_names() {
        let fields = ["containers", "initContainers", "restartPolicy", "volumes", "nodeSelector"];
        assert_eq!(closest("contaners", fields), Some("containers"));
        assert_eq!(closest("restartpolicy", fields), Some("restartPolicy"));
        assert_eq!(closest("volume", fields), Some("volumes"));
        assert_eq!(closest("replicas", fields), None);
        assert_eq!(closest("x", fields), None);
    }
}
