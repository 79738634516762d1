use super::common::resources::{counts_bytes, quantity_fields, quantity_of};
use super::{Category, Context, FixAvailability, Rule, RuleMeta};
use crate::finding::Severity;
use crate::k8s::quantity::Quantity;
use crate::object::Object;
use crate::yaml::Span;

pub struct MemoryUnits;

static META: RuleMeta = RuleMeta {
    id: "memory-units",
    severity: Severity::Error,
    category: Category::Resources,
    summary: "A resource quantity is invalid, or a memory or storage quantity is in the wrong unit",
    fix: FixAvailability::None,
    doc: include_str!("../../rules/memory-units.md"),
    ..RuleMeta::DEFAULTS
};

const QUANTITY_HELP: &str = "a quantity is a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of \
                             1024); n, u, m, k, M, G, T, P, E (powers of 1000); or an exponent such as `e6`";

impl Rule for MemoryUnits {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, object: &Object<'_, '_>, cx: &mut Context<'_>) {
        for field in quantity_fields(object) {
            let Some(parsed) = quantity_of(field.value) else { continue };
            let Some(text) = field.value.scalar_text() else { continue };
            let bytes = counts_bytes(field.resource) && !field.ratio;
            match parsed {
                Err(_) => {
                    let message = match suggestions(text, bytes).as_slice() {
                        [] => format!("`{text}` is not a valid quantity"),
                        [one] => format!("`{text}` is not a valid quantity; did you mean `{one}`?"),
                        [first, second, ..] => {
                            format!("`{text}` is not a valid quantity; did you mean `{first}` or `{second}`?")
                        }
                    };
                    cx.report(&META, field.value.span, message).help(QUANTITY_HELP);
                }
                Ok(quantity) if bytes => check_bytes(&quantity, text.trim(), field.value.span, cx),
                Ok(_) => {}
            }
        }
    }
}

/// Flags byte counts too small to be meant: a container cannot run in less than a mebibyte, so
/// `512` or `256m` is a forgotten or mistaken unit, not a choice.
fn check_bytes(quantity: &Quantity, text: &str, span: Span, cx: &mut Context<'_>) {
    let one_mebibyte = Quantity::parse("1Mi");
    if quantity.is_zero() || quantity.is_negative() || one_mebibyte.is_ok_and(|mi| *quantity >= mi) {
        // Large `m` values are left alone: the API server writes a fractional byte count such as
        // `0.9Gi` back as `966367641600m`, so they turn up in exported manifests.
        return;
    }
    // YAML numbers split the same way: `1e6` is an exponent whether quoted or not.
    let (number, suffix) = split_suffix(text);
    // An explicit `k`, `Ki` or exponent says the author chose the unit; only a missing unit and
    // the sub-byte suffixes are mistakes.
    if !matches!(suffix, "" | "m" | "u" | "n") {
        return;
    }
    // `512` reads as 512Mi forgotten; `256000` does not read as 250Gi, so past 64Gi the number
    // was more likely counted in some other unit and no guess is offered.
    let guess = format!("{number}Mi");
    let plausible = match (Quantity::parse(&guess), Quantity::parse("64Gi")) {
        (Ok(guessed), Ok(most)) => guessed <= most,
        _ => false,
    };
    let did_you_mean = if plausible { format!("; did you mean `{guess}`?") } else { String::new() };
    let bytes = quantity.to_decimal_string();
    let unit = if bytes == "1" { "byte" } else { "bytes" };
    let help = match suffix {
        "" => "a quantity without a suffix counts bytes; write `Mi` or `Gi` for mebibytes or gibibytes",
        "m" => "`m` means thousandths, as in CPU millicores (`500m`); bytes take `Mi` (mebibytes) or `M` (megabytes)",
        "u" => "`u` means millionths; bytes take `Mi` (mebibytes) or `M` (megabytes)",
        _ => "`n` means billionths; bytes take `Mi` (mebibytes) or `M` (megabytes)",
    };
    cx.report(&META, span, format!("`{text}` is {bytes} {unit}{did_you_mean}")).help(help);
}

/// The number and the suffix of a valid quantity's text.
fn split_suffix(text: &str) -> (&str, &str) {
    let at = text.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '+' | '-'))).unwrap_or(text.len());
    text.split_at(at)
}

/// Valid quantities the author probably meant, most likely first: `1GB` → `1G`, `1Gi`.
fn suggestions(text: &str, bytes: bool) -> Vec<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if Quantity::parse(&compact).is_ok() {
        return vec![compact];
    }
    let (number, unit) = split_suffix(&compact);
    if !number.bytes().any(|b| b.is_ascii_digit()) || unit.is_empty() {
        return Vec::new();
    }
    // A unit written the way file sizes are (`MB`, `GiB`, `kb`) or with the wrong case (`K`,
    // `mi`): the decimal and the binary suffix it can mean.
    let (decimal, binary) = match unit.to_ascii_lowercase().as_str() {
        "b" => (Some(""), None),
        "k" | "kb" => (Some("k"), Some("Ki")),
        "m" | "mb" => (Some("M"), Some("Mi")),
        "g" | "gb" => (Some("G"), Some("Gi")),
        "t" | "tb" => (Some("T"), Some("Ti")),
        "p" | "pb" => (Some("P"), Some("Pi")),
        "eb" => (Some("E"), Some("Ei")),
        "ki" | "kib" => (None, Some("Ki")),
        "mi" | "mib" => (None, Some("Mi")),
        "gi" | "gib" => (None, Some("Gi")),
        "ti" | "tib" => (None, Some("Ti")),
        "pi" | "pib" => (None, Some("Pi")),
        "ei" | "eib" => (None, Some("Ei")),
        _ => (None, None),
    };
    // Binary units are for bytes; for a CPU or a count the decimal reading is the likely one.
    let binary = if bytes || decimal.is_none() { binary } else { None };
    [decimal, binary]
        .into_iter()
        .flatten()
        .map(|suffix| format!("{number}{suffix}"))
        .filter(|candidate| candidate != text && Quantity::parse(candidate).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_for_common_mistakes() {
        let cases: &[(&str, bool, &[&str])] = &[
            ("1GB", true, &["1G", "1Gi"]),
            ("512MB", true, &["512M", "512Mi"]),
            ("1K", true, &["1k", "1Ki"]),
            ("1K", false, &["1k"]),
            ("2 Gi", true, &["2Gi"]),
            ("256mi", true, &["256Mi"]),
            ("1GiB", true, &["1Gi"]),
            ("1gb", true, &["1G", "1Gi"]),
            ("512B", true, &["512"]),
            ("1.5 GB", true, &["1.5G", "1.5Gi"]),
            ("lots", true, &[]),
            ("1.2.3Gi", true, &[]),
            ("Gb", true, &[]),
        ];
        for &(text, bytes, expected) in cases {
            assert_eq!(suggestions(text, bytes), expected, "{text}");
        }
    }
}
