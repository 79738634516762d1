//! Resource quantities (`500m`, `1.5Gi`, `1e3`), parsed and compared the way
//! `k8s.io/apimachinery/pkg/api/resource.ParseQuantity` does, so that podlint accepts exactly
//! what the API server accepts and orders values exactly as it does.
//!
//! The grammar, from the `Quantity` type's documentation and its scanner
//! (`parseQuantityString`) and suffix table (`suffix.go`):
//!
//! ```text
//! quantity   ::= signed-number suffix
//! number     ::= digits | digits "." digits | digits "." | "." digits
//! suffix     ::= binary-si | decimal-exponent | decimal-si
//! binary-si  ::= Ki | Mi | Gi | Ti | Pi | Ei
//! decimal-si ::= n | u | m | "" | k | M | G | T | P | E
//! decimal-exponent ::= ("e" | "E") signed-integer
//! ```
//!
//! The scanner is more lenient than that grammar in places users never notice (`.`, `+`, `Gi`
//! alone all parse as zero) and values are rounded up to a whole number of nano-units, with
//! binary-suffixed values capped at 2^63-1: both reproduced here so that comparisons agree with
//! the cluster's.
use std::cmp::Ordering;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Ki` … `Ei`: powers of 1024.
    BinarySi,
    /// `n` … `E` and no suffix: powers of 1000.
    DecimalSi,
    /// `e3`, `E-6`.
    DecimalExponent,
}

/// Why a string is not a quantity, in the categories the Go parser distinguishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// Characters that no quantity can contain where they are (`2 Gi`, `1.5.5`, ``).
    Format,
    /// A suffix that is not in the table (`K`, `mi`, `GB`).
    Suffix,
    /// A number the exact-arithmetic path cannot read (a suffix with no digits at all, in the
    /// few cases the parser does not shortcut to zero).
    Numeric,
}

/// A parsed quantity. Equality and order are by value: `1Gi == 1073741824`, `0.5 == 500m`.
#[derive(Clone, Debug)]
pub struct Quantity {
    pub format: Format,
    negative: bool,
    /// The magnitude in nano-units is `digits × 10^exp`, digits most significant first, with
    /// no leading or trailing zeros; empty for zero. A digit string rather than an integer type
    /// because exponents are unbounded in practice (`1e300` is a valid quantity).
    digits: Vec<u8>,
    exp: i64,
}

/// The pieces of a quantity's text, as the Go scanner splits them.
struct Scanned<'s> {
    negative: bool,
    /// The integer digits with leading zeros stripped.
    num: &'s str,
    /// The digits after the decimal point.
    denom: &'s str,
    /// Whether the number part (sign, digits, point) contains any digit at all.
    has_digits: bool,
    suffix: &'s str,
}

fn scan(s: &str) -> Result<Scanned<'_>, QuantityError> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut negative = false;
    match b.first() {
        Some(b'-') => {
            negative = true;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    let digits_from = |mut i: usize| {
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let zeros_end = b[pos..].iter().position(|&c| c != b'0').map_or(b.len(), |i| pos + i);
    let had_zeros = zeros_end > pos;
    if zeros_end == b.len() {
        // Only a sign and zeros (or nothing after the sign): the scanner calls that zero.
        return Ok(Scanned { negative, num: "", denom: "", has_digits: true, suffix: "" });
    }
    let num_end = digits_from(zeros_end);
    let num = &s[zeros_end..num_end];
    let mut denom = "";
    pos = num_end;
    if b.get(pos) == Some(&b'.') {
        let denom_end = digits_from(pos + 1);
        denom = &s[pos + 1..denom_end];
        pos = denom_end;
    }
    let has_digits = had_zeros || !num.is_empty() || !denom.is_empty();
    let suffix_start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if matches!(b.get(pos), Some(b'-' | b'+')) {
        pos += 1;
    }
    if digits_from(pos) != b.len() {
        return Err(QuantityError::Format);
    }
    Ok(Scanned { negative, num, denom, has_digits, suffix: &s[suffix_start..] })
}

/// The base, the exponent and the format a suffix stands for.
fn interpret(suffix: &str) -> Option<(u32, i64, Format)> {
    let decimal = |e| Some((10, e, Format::DecimalSi));
    let binary = |e| Some((2, e, Format::BinarySi));
    match suffix {
        "" => decimal(0),
        "n" => decimal(-9),
        "u" => decimal(-6),
        "m" => decimal(-3),
        "k" => decimal(3),
        "M" => decimal(6),
        "G" => decimal(9),
        "T" => decimal(12),
        "P" => decimal(15),
        "E" => decimal(18),
        "Ki" => binary(10),
        "Mi" => binary(20),
        "Gi" => binary(30),
        "Ti" => binary(40),
        "Pi" => binary(50),
        "Ei" => binary(60),
        _ => {
            let rest = suffix.strip_prefix(['e', 'E']).filter(|r| !r.is_empty())?;
            let exponent = parse_go_int(rest)?;
            // Upstream stores the exponent in an int32 scale that is later negated: exponents
            // beyond ±(2^31-1) are rejected (older releases silently wrapped them instead).
            (exponent.unsigned_abs() <= i32::MAX as u64).then_some((10, exponent, Format::DecimalExponent))
        }
    }
}

/// `strconv.ParseInt(s, 10, 64)`: an optional sign and ASCII digits, nothing else.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2^63 - 1`, the largest magnitude a binary-suffixed quantity keeps, in nano-units.
const BINARY_CAP_DIGITS: &[u8] = &[9, 2, 2, 3, 3, 7, 2, 0, 3, 6, 8, 5, 4, 7, 7, 5, 8, 0, 7];
const BINARY_CAP_EXP: i64 = 9;

impl Quantity {
    /// Parses `text` as `resource.ParseQuantity` does: no surrounding whitespace allowed (the
    /// JSON decoder trims it before parsing; see [`Quantity::parse_json_string`]).
    pub fn parse(text: &str) -> Result<Quantity, QuantityError> {
        if text.is_empty() {
            return Err(QuantityError::Format);
        }
        let scanned = scan(text)?;
        let (base, exponent, format) = interpret(scanned.suffix).ok_or(QuantityError::Suffix)?;
        if !scanned.has_digits {
            // The Go parser reads digit-less numbers as zero on its int64 fast path, but its
            // exact-decimal path rejects them; which path runs depends on the suffix alone
            // here: exponents below nano, and `Pi`/`Ei` whose 2^50+ leaves no int64 headroom.
            let slow = match format {
                Format::BinarySi => exponent >= 50,
                _ => exponent < -9,
            };
            return if slow { Err(QuantityError::Numeric) } else { Ok(Quantity::zero(format)) };
        }
        let mut digits: Vec<u8> = scanned.num.bytes().chain(scanned.denom.bytes()).map(|b| b - b'0').collect();
        let denom_len = scanned.denom.len() as i64;
        // Nano-units: 10^9 per unit.
        let exp = if base == 2 {
            for _ in 0..exponent / 10 {
                multiply(&mut digits, 1024);
            }
            9 - denom_len
        } else {
            exponent - denom_len + 9
        };
        let mut q = Quantity { format, negative: scanned.negative, digits, exp };
        q.normalize();
        q.round_up_to_nano();
        if format == Format::BinarySi
            && magnitude_cmp(&q.digits, q.exp, BINARY_CAP_DIGITS, BINARY_CAP_EXP) == Ordering::Greater
        {
            q.digits = BINARY_CAP_DIGITS.to_vec();
            q.exp = BINARY_CAP_EXP;
        }
        if q.digits.is_empty() {
            q.negative = false;
        }
        Ok(q)
    }

    /// Parses a quantity as it arrives in a JSON string: `Quantity.UnmarshalJSON` trims
    /// surrounding whitespace first, so `" 1Gi "` is accepted while `"1 Gi"` is not.
    pub fn parse_json_string(text: &str) -> Result<Quantity, QuantityError> {
        Quantity::parse(text.trim())
    }

    fn zero(format: Format) -> Quantity {
        Quantity { format, negative: false, digits: Vec::new(), exp: 0 }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn is_negative(&self) -> bool {
        self.negative
    }

    /// The value in nano-units, when it fits in an `i128` (every value below about 10^29).
    pub fn nanos(&self) -> Option<i128> {
        let mut n: i128 = 0;
        for &d in &self.digits {
            n = n.checked_mul(10)?.checked_add(i128::from(d))?;
        }
        for _ in 0..self.exp {
            n = n.checked_mul(10)?;
        }
        Some(if self.negative { -n } else { n })
    }

    fn normalize(&mut self) {
        let leading = self.digits.iter().take_while(|&&d| d == 0).count();
        self.digits.drain(..leading);
        while self.digits.last() == Some(&0) {
            self.digits.pop();
            self.exp += 1;
        }
        if self.digits.is_empty() {
            self.exp = 0;
        }
    }

    /// Nano-units are the finest grain: anything smaller rounds away from zero, so that a
    /// request for a tiny non-zero amount still asks for something.
    fn round_up_to_nano(&mut self) {
        if self.exp >= 0 || self.digits.is_empty() {
            return;
        }
        // After `normalize` the last digit is non-zero, so dropping any digits drops a
        // non-zero remainder.
        let drop = self.exp.unsigned_abs();
        if drop >= self.digits.len() as u64 {
            self.digits = vec![1];
        } else {
            let keep = self.digits.len() - drop as usize;
            self.digits.truncate(keep);
            multiply_add(&mut self.digits, 1, 1);
        }
        self.exp = 0;
        self.normalize();
    }

    /// The value in units as a plain decimal (`0.256`, `512`, `1073741824`), or in scientific
    /// notation when that would run past a few dozen characters.
    pub fn to_decimal_string(&self) -> String {
        if self.digits.is_empty() {
            return "0".to_string();
        }
        let sign = if self.negative { "-" } else { "" };
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        // Position of the decimal point from the right end of `digits`, in units.
        let unit_exp = self.exp - 9;
        let len = digits.len() as i64;
        if unit_exp >= 0 {
            if unit_exp <= 30 {
                return format!("{sign}{digits}{}", "0".repeat(unit_exp as usize));
            }
        } else if -unit_exp < len {
            let point = (len + unit_exp) as usize;
            return format!("{sign}{}.{}", &digits[..point], &digits[point..]);
        } else if -unit_exp - len <= 30 {
            return format!("{sign}0.{}{digits}", "0".repeat((-unit_exp - len) as usize));
        }
        let (first, rest) = digits.split_at(1);
        let point = if rest.is_empty() { String::new() } else { format!(".{rest}") };
        format!("{sign}{first}{point}e{}", unit_exp + len - 1)
    }
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.negative, other.negative) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude_cmp(&self.digits, self.exp, &other.digits, other.exp),
            (true, true) => magnitude_cmp(&other.digits, other.exp, &self.digits, self.exp),
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

/// Compares `a × 10^ae` with `b × 10^be`, both normalized.
fn magnitude_cmp(a: &[u8], ae: i64, b: &[u8], be: i64) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => {}
    }
    // The order of magnitude first; with equal magnitudes the digit strings line up at their
    // first digit, and without trailing zeros a longer string with an equal prefix is larger.
    (a.len() as i64 + ae).cmp(&(b.len() as i64 + be)).then_with(|| a.cmp(b))
}

fn multiply(digits: &mut Vec<u8>, factor: u32) {
    multiply_add(digits, factor, 0);
}

/// `digits = digits × factor + add`, on a most-significant-first digit string.
fn multiply_add(digits: &mut Vec<u8>, factor: u32, add: u32) {
    let mut carry = add;
    for d in digits.iter_mut().rev() {
        let v = u32::from(*d) * factor + carry;
        *d = (v % 10) as u8;
        carry = v / 10;
    }
    let mut head = Vec::new();
    while carry > 0 {
        head.push((carry % 10) as u8);
        carry /= 10;
    }
    if !head.is_empty() {
        head.reverse();
        digits.splice(0..0, head);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        match Quantity::parse(s) {
            Ok(q) => q,
            Err(e) => panic!("`{s}` should parse, got {e:?}"),
        }
    }

    fn nanos(s: &str) -> i128 {
        q(s).nanos().unwrap_or_else(|| panic!("`{s}` fits in i128"))
    }

    #[test]
    fn values_in_nano_units() {
        let table: &[(&str, i128)] = &[
            ("0", 0),
            ("1", 1_000_000_000),
            ("500m", 500_000_000),
            ("0.5", 500_000_000),
            ("5n", 5),
            ("4u", 4_000),
            ("8k", 8_000_000_000_000),
            ("1Ki", 1024 * 1_000_000_000),
            ("1Gi", 1_073_741_824 * 1_000_000_000),
            ("3Ei", 3 * (1_i128 << 60) * 1_000_000_000),
            ("1E", 1_000_000_000_000_000_000 * 1_000_000_000),
            ("1e3", 1_000 * 1_000_000_000),
            ("1E-3", 1_000_000),
            ("1.3E+6", 1_300_000 * 1_000_000_000),
            ("100.035k", 100_035 * 1_000_000_000),
            ("0.05Gi", 53_687_091_200_000_000),
            ("100.035Ki", 10_243_584 * 10_000_000),
            (".001", 1_000_000),
            (".0001k", 100_000_000),
            ("1.", 1_000_000_000),
            ("1.G", 1_000_000_000 * 1_000_000_000),
            ("-1.5", -1_500_000_000),
            ("+2", 2_000_000_000),
            ("007", 7_000_000_000),
            // Anything finer than a nano-unit rounds away from zero.
            ("3.001n", 4),
            ("1.1E-9", 2),
            ("0.0000000001", 1),
            ("0.00000012345", 124),
            ("0.000000000001Ki", 2),
            ("-0.5n", -1),
            // Binary-suffixed values stop at 2^63-1.
            ("9Ei", i128::from(i64::MAX) * 1_000_000_000),
            ("9223372036854775807Ki", i128::from(i64::MAX) * 1_000_000_000),
            ("12E", 12_000_000_000_000_000_000 * 1_000_000_000),
            // The scanner's leniencies: digit-less numbers are zero where the fast path runs.
            (".", 0),
            ("-.", 0),
            ("+", 0),
            ("Gi", 0),
            ("k", 0),
            ("e5", 0),
        ];
        for &(text, expected) in table {
            assert_eq!(nanos(text), expected, "{text}");
        }
    }

    #[test]
    fn exact_comparisons_across_suffixes() {
        assert_eq!(q("1Gi"), q("1073741824"));
        assert_eq!(q("0.5"), q("500m"));
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1024Mi"), q("1Gi"));
        assert_eq!(q("1000M"), q("1G"));
        assert_eq!(q("0"), q("-0"));
        assert_eq!(q("0"), q("0Ki"));
        assert!(q("1Gi") > q("1G"));
        assert!(q("1073741823") < q("1Gi"));
        assert!(q("1073741825") > q("1Gi"));
        assert!(q("10000T") > q("100Gi"));
        assert!(q("100m") > q("50m"));
        assert!(q("-1") < q("0"));
        assert!(q("-2") < q("-1"));
        assert!(q("1e300") > q("9e299"));
        assert!(q("1e300") < q("1.0000000000000000000000001e300"));
        assert!(q("1e-300") > q("0"));
        assert_eq!(q("1e-300"), q("1n"));
    }

    #[test]
    fn invalid_forms() {
        use QuantityError::*;
        let table: &[(&str, QuantityError)] = &[
            ("", Format),
            ("2 Gi", Format),
            (" 1", Format),
            ("1 ", Format),
            ("1.1.M", Format),
            ("1+1.0M", Format),
            ("-3.01e-", Suffix),
            ("aoeu", Format),
            ("0.1am", Format),
            ("K", Suffix),
            ("1K", Suffix),
            ("mi", Suffix),
            ("256mi", Suffix),
            ("0.1mi", Suffix),
            ("1MB", Format),
            ("1GB", Format),
            ("512MB", Format),
            ("1i", Suffix),
            (".5i", Suffix),
            ("1e", Suffix),
            ("1Mi5", Suffix),
            ("1e4294967297", Suffix),
            ("1E2147483648", Suffix),
            // A digit-less number on the exact-decimal path.
            ("Ei", Numeric),
            ("e-10", Numeric),
        ];
        for &(text, expected) in table {
            assert_eq!(Quantity::parse(text).err(), Some(expected), "{text}");
        }
        assert!(Quantity::parse("1E2147483647").is_ok());
        assert!(Quantity::parse("1E-2147483647").is_ok());
    }

    #[test]
    fn json_strings_are_trimmed_first() {
        assert_eq!(Quantity::parse_json_string(" 1Gi\n"), Ok(q("1Gi")));
        assert_eq!(Quantity::parse_json_string("1 Gi"), Err(QuantityError::Format));
    }

    #[test]
    fn formats() {
        assert_eq!(q("1Ki").format, Format::BinarySi);
        assert_eq!(q("1k").format, Format::DecimalSi);
        assert_eq!(q("1").format, Format::DecimalSi);
        assert_eq!(q("1e3").format, Format::DecimalExponent);
    }

    #[test]
    fn decimal_strings() {
        for (text, expected) in [
            ("256m", "0.256"),
            ("512", "512"),
            ("1Gi", "1073741824"),
            ("1500m", "1.5"),
            ("5n", "0.000000005"),
            ("-2.5k", "-2500"),
            ("0", "0"),
            ("1e40", "1e40"),
            ("1.5e-40", "0.000000001"),
            ("12e50", "1.2e51"),
        ] {
            assert_eq!(q(text).to_decimal_string(), expected, "{text}");
        }
    }
}
