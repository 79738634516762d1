//! The Kubernetes quantity library: `quantity("1Gi")`, `isQuantity`, and the methods of a
//! quantity (`sign`, `isInteger`, `asInteger`, `asApproximateFloat`, `add`, `sub`,
//! `isLessThan`, `isGreaterThan`, `compareTo`), on podlint's own quantity parser.
use cel::Env;
use cel::common::types::{INT_TYPE, STRING_TYPE};

use super::fail;
use super::support::*;
use crate::k8s::quantity::Quantity as Parsed;

#[derive(Clone, Debug, PartialEq)]
pub struct Quantity(pub Parsed);

library_type!(Quantity, QUANTITY_TYPE, "kubernetes.Quantity");

const NANOS_PER_UNIT: i128 = 1_000_000_000;

impl Quantity {
    fn parse(text: &str) -> Result<Quantity, cel::ExecutionError> {
        Parsed::parse(text).map(Quantity).map_err(|_| {
            fail(format!(
                "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': {text:?}"
            ))
        })
    }

    fn from_nanos(nanos: i128) -> Result<Quantity, cel::ExecutionError> {
        Parsed::parse(&format!("{nanos}n")).map(Quantity).map_err(|_| fail("quantity out of range"))
    }

    fn nanos(&self) -> Result<i128, cel::ExecutionError> {
        self.0.nanos().ok_or_else(|| fail("quantity out of range"))
    }

    /// The value as an int64, when it is a whole number that fits.
    fn as_integer(&self) -> Option<i64> {
        let nanos = self.0.nanos()?;
        if nanos % NANOS_PER_UNIT != 0 {
            return None;
        }
        i64::try_from(nanos / NANOS_PER_UNIT).ok()
    }

    pub fn display(&self) -> String {
        format!("quantity({:?})", self.0.to_decimal_string())
    }
}

pub fn declare(env: &mut Env) {
    global(env, "quantity", vec![STRING_TYPE], |args| value(Quantity::parse(string_arg(&args, 0)?)?));
    global(env, "isQuantity", vec![STRING_TYPE], |args| boolean(Parsed::parse(string_arg(&args, 0)?).is_ok()));
    let q = || QUANTITY_TYPE;
    member(env, "sign", q(), vec![], |args| {
        let this = arg::<Quantity>(&args, 0)?;
        int(if this.0.is_zero() {
            0
        } else if this.0.is_negative() {
            -1
        } else {
            1
        })
    });
    member(env, "isInteger", q(), vec![], |args| boolean(arg::<Quantity>(&args, 0)?.as_integer().is_some()));
    member(env, "asInteger", q(), vec![], |args| {
        int(arg::<Quantity>(&args, 0)?.as_integer().ok_or_else(|| fail("cannot convert value to integer"))?)
    });
    member(env, "asApproximateFloat", q(), vec![], |args| {
        let this = arg::<Quantity>(&args, 0)?;
        double(this.0.to_decimal_string().parse::<f64>().unwrap_or(f64::NAN))
    });
    member(env, "add", q(), vec![q()], |args| {
        let sum = arg::<Quantity>(&args, 0)?.nanos()?.checked_add(arg::<Quantity>(&args, 1)?.nanos()?);
        value(Quantity::from_nanos(sum.ok_or_else(|| fail("quantity out of range"))?)?)
    });
    member(env, "add", q(), vec![INT_TYPE], |args| {
        let other = i128::from(int_arg(&args, 1)?) * NANOS_PER_UNIT;
        let sum = arg::<Quantity>(&args, 0)?.nanos()?.checked_add(other);
        value(Quantity::from_nanos(sum.ok_or_else(|| fail("quantity out of range"))?)?)
    });
    member(env, "sub", q(), vec![q()], |args| {
        let difference = arg::<Quantity>(&args, 0)?.nanos()?.checked_sub(arg::<Quantity>(&args, 1)?.nanos()?);
        value(Quantity::from_nanos(difference.ok_or_else(|| fail("quantity out of range"))?)?)
    });
    member(env, "sub", q(), vec![INT_TYPE], |args| {
        let other = i128::from(int_arg(&args, 1)?) * NANOS_PER_UNIT;
        let difference = arg::<Quantity>(&args, 0)?.nanos()?.checked_sub(other);
        value(Quantity::from_nanos(difference.ok_or_else(|| fail("quantity out of range"))?)?)
    });
    member(env, "isLessThan", q(), vec![q()], |args| {
        boolean(arg::<Quantity>(&args, 0)?.0 < arg::<Quantity>(&args, 1)?.0)
    });
    member(env, "isGreaterThan", q(), vec![q()], |args| {
        boolean(arg::<Quantity>(&args, 0)?.0 > arg::<Quantity>(&args, 1)?.0)
    });
    member(env, "compareTo", q(), vec![q()], |args| {
        ordering(arg::<Quantity>(&args, 0)?.0.cmp(&arg::<Quantity>(&args, 1)?.0))
    });
}
