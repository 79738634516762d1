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

/// Jaro-Winkler similarity, as `strsim::jaro_winkler` computes it, without its per-call
/// allocation and character decoding for the common case: ASCII text (label keys and values
/// are) of at most `SHORT` bytes. Help that ranks candidates calls it thousands of times.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    const SHORT: usize = 128;
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if !(a.is_ascii() && b.is_ascii() && a.len() <= SHORT && b.len() <= SHORT) {
        return strsim::jaro_winkler(
            std::str::from_utf8(a).unwrap_or_default(),
            std::str::from_utf8(b).unwrap_or_default(),
        );
    }
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_matched = [false; SHORT];
    let mut b_matched = [false; SHORT];
    let mut matches = 0usize;
    for (i, &byte) in a.iter().enumerate() {
        let from = i.saturating_sub(range);
        let to = b.len().min(i + range + 1);
        for j in from..to {
            if !b_matched[j] && b[j] == byte {
                a_matched[i] = true;
                b_matched[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    // Matched bytes of each side, in order; a pair that differs is half a transposition.
    let mut transpositions = 0usize;
    let mut j = 0;
    for (i, &byte) in a.iter().enumerate() {
        if !a_matched[i] {
            continue;
        }
        while !b_matched[j] {
            j += 1;
        }
        if b[j] != byte {
            transpositions += 1;
        }
        j += 1;
    }
    let transpositions = transpositions / 2;
    let m = matches as f64;
    let jaro = ((m / a.len() as f64) + (m / b.len() as f64) + ((matches - transpositions) as f64 / m)) / 3.0;
    if jaro <= 0.7 {
        return jaro;
    }
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::{closest, jaro_winkler};

    #[test]
    fn jaro_winkler_is_strsims() {
        let words = [
            "",
            "a",
            "app=web",
            "app=wbe",
            "ap=web",
            "app.kubernetes.io/name=orders-api",
            "tier=frontend",
            "app.kubernetes.io/name=order-api",
            "cheeseburger",
            "cheese fries",
            "dixon",
            "dicksonx",
            "é=ü",
            "abcabc",
            "cba",
            "aaaa",
            "aaab",
        ];
        for a in words {
            for b in words {
                assert_eq!(jaro_winkler(a, b), strsim::jaro_winkler(a, b), "{a:?} {b:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn jaro_winkler_is_strsims_on_any_short_ascii(a in "[abc=./-]{0,24}", b in "[abc=./-]{0,24}") {
            proptest::prop_assert_eq!(jaro_winkler(&a, &b), strsim::jaro_winkler(&a, &b));
        }
    }

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
