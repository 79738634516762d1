//! Facts the `invalid-workload-spec`, `invalid-service` and `invalid-metadata` rules share: the
//! detail texts of k8s.io/apimachinery/pkg/util/validation (`IsDNS1123Label`,
//! `IsDNS1123Subdomain`, `IsValidPercent`, `ValidateNonnegativeField`), and Go's `%#v` for the
//! `intstr.IntOrString` values the server prints in its errors.
use crate::rules::common::validation::{FieldError, FieldPath, Val, go_quote};
use crate::yaml::{Node, Resolved, Value};

/// `ValidateNonnegativeField`'s detail (apimachinery `IsNegativeErrorMsg`).
pub const NEGATIVE: &str = "must be greater than or equal to 0";

/// `IsDNS1123Label`'s detail for a value of the wrong shape.
pub const DNS1123_LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/// `IsValidPercent`'s detail.
pub const PERCENT: &str = "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

fn label_shape(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    !b.is_empty()
        && b.iter().all(|c| alnum(c) || *c == b'-')
        && b.first().is_some_and(alnum)
        && b.last().is_some_and(alnum)
}

/// The details `IsDNS1123Label` returns, in its order (length first).
pub fn dns1123_label_errors(s: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if s.len() > 63 {
        errors.push("must be no more than 63 characters");
    }
    if !label_shape(s) {
        // A valid subdomain that is no label has dots (its length was checked above): the
        // server says so rather than quoting the pattern.
        if dns1123_subdomain_errors(s).is_empty() {
            errors.push("must not contain dots");
        } else {
            errors.push(DNS1123_LABEL);
        }
    }
    errors
}

pub use super::api_strings::{dns1123_subdomain as dns1123_subdomain_errors, templated};

/// An int-or-string field as the server decodes it.
#[derive(Clone, Debug, PartialEq)]
pub enum IntOrString {
    Int(i64),
    Str(String),
}

impl IntOrString {
    /// `None` for other types (the schema stage reports those) and for templated text.
    pub fn of(node: &Node<'_>) -> Option<Self> {
        match &node.value {
            Value::Scalar(s) => match s.resolved {
                Resolved::Int(i) => Some(IntOrString::Int(i)),
                Resolved::Str if !templated(node) => Some(IntOrString::Str(s.text.to_string())),
                _ => None,
            },
            _ => None,
        }
    }

    /// Go's `%#v`, which is how `field.Error` prints an `intstr.IntOrString`.
    pub fn go_value(&self) -> Val {
        Val::Raw(match self {
            IntOrString::Int(i) => format!("intstr.IntOrString{{Type:0, IntVal:{i}, StrVal:\"\"}}"),
            IntOrString::Str(s) => format!("intstr.IntOrString{{Type:1, IntVal:0, StrVal:{}}}", go_quote(s)),
        })
    }

    /// The percentage, when the string is a valid one (`getPercentValue`).
    pub fn percent(&self) -> Option<i64> {
        match self {
            IntOrString::Str(s) => {
                let digits = s.strip_suffix('%')?;
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Go's Atoi fails on overflow and the server then takes 0.
                Some(digits.parse().unwrap_or(0))
            }
            IntOrString::Int(_) => None,
        }
    }

    /// `getIntOrPercentValue`: the percentage, the integer, or what `IntValue()` makes of any
    /// other string (`Atoi`, 0 when it fails).
    pub fn value(&self) -> i64 {
        match self {
            IntOrString::Int(i) => *i,
            IntOrString::Str(s) => self.percent().unwrap_or_else(|| s.parse().unwrap_or(0)),
        }
    }

    /// `ValidatePositiveIntOrPercent` (apps validation): a non-negative integer or a percentage.
    pub fn check_int_or_percent(&self, path: &FieldPath) -> Option<FieldError> {
        match self {
            IntOrString::Int(i) if *i < 0 => Some(FieldError::invalid(path.clone(), Val::Int(*i), NEGATIVE)),
            IntOrString::Str(_) if self.percent().is_none() => {
                Some(FieldError::invalid(path.clone(), self.go_value(), PERCENT))
            }
            _ => None,
        }
    }

    /// `IsNotMoreThan100Percent`.
    pub fn check_at_most_100_percent(&self, path: &FieldPath) -> Option<FieldError> {
        (self.percent()? > 100)
            .then(|| FieldError::invalid(path.clone(), self.go_value(), "must not be greater than 100%"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_percentages() {
        assert!(dns1123_label_errors("web-0").is_empty());
        assert_eq!(dns1123_label_errors("web.0"), vec!["must not contain dots"]);
        assert_eq!(dns1123_label_errors("Web"), vec![DNS1123_LABEL]);
        assert_eq!(dns1123_label_errors(&"a".repeat(64)), vec!["must be no more than 63 characters"]);
        assert!(dns1123_subdomain_errors("a.example.com").is_empty());
        assert_eq!(dns1123_subdomain_errors("a..b").len(), 1);
        let p = IntOrString::Str("110%".into());
        assert_eq!(p.percent(), Some(110));
        assert_eq!(p.go_value().to_string(), "intstr.IntOrString{Type:1, IntVal:0, StrVal:\"110%\"}");
        assert_eq!(IntOrString::Str("1".into()).percent(), None);
        assert_eq!(IntOrString::Str("1".into()).value(), 1);
        assert_eq!(IntOrString::Str("x".into()).value(), 0);
    }
}
