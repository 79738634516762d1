//! Declaring the libraries' types and overloads on the `cel` crate's environment.
use cel::common::functions::Function;
use cel::common::types::{CelBool, CelDouble, CelInt, CelList, CelString, Type};
use cel::common::value::{CowVal, StaticVal, Val};
use cel::{Env, ExecutionError};

use super::fail;

pub type Args<'b, 'v> = Vec<CowVal<'b, 'v>>;
pub type Returns<'b, 'v> = Result<CowVal<'b, 'v>, ExecutionError>;

/// Makes a `'static` Rust type a CEL value of its own type: equal by `PartialEq`, never
/// borrowing, and recoverable with `downcast_ref`.
macro_rules! library_type {
    ($rust:ty, $constant:ident, $name:literal) => {
        /// The CEL type, a `const` for declaring overloads (a `Type` is not `Clone`).
        pub const $constant: cel::common::types::Type = cel::common::types::Type::new_unspecified_type($name);

        impl $rust {
            /// The CEL type every value of this Rust type has, for `Val::get_type`.
            fn static_type() -> &'static cel::common::types::Type {
                static TYPE: cel::common::types::Type = $constant;
                &TYPE
            }
        }

        impl cel::common::value::Val for $rust {
            fn get_type(&self) -> &cel::common::types::Type {
                Self::static_type()
            }
            fn cel_type() -> &'static cel::common::types::Type {
                Self::static_type()
            }
            fn equals(&self, other: &dyn cel::common::value::Val) -> bool {
                other.downcast_ref::<$rust>().is_some_and(|o| o == self)
            }
            fn clone_as_boxed<'v>(&self) -> Box<dyn cel::common::value::Val + 'v> {
                Box::new(self.clone())
            }
            fn as_any(&self) -> Option<&dyn std::any::Any> {
                Some(self)
            }
        }

        impl cel::common::value::StaticVal for $rust {}
    };
}
pub(crate) use library_type;

/// Declares a function called as `name(args…)`. Declarations cannot clash but by a mistake
/// here, which the library tests would show as a missing function.
pub fn global(env: &mut Env, name: &str, args: Vec<Type>, function: Function) {
    let id = overload_id(name, None, &args);
    let declared = env.add_overload(name, &id, args, function);
    debug_assert!(declared.is_ok(), "{id}: {declared:?}");
}

/// Declares a function called as `target.name(args…)`.
pub fn member(env: &mut Env, name: &str, target: Type, args: Vec<Type>, function: Function) {
    let id = overload_id(name, Some(&target), &args);
    let declared = env.add_member_overload(name, &id, target, args, function);
    debug_assert!(declared.is_ok(), "{id}: {declared:?}");
}

fn overload_id(name: &str, target: Option<&Type>, args: &[Type]) -> String {
    let args: Vec<&str> = args.iter().map(Type::name).collect();
    match target {
        Some(target) => format!("k8s_{}_{name}_{}", target.name(), args.join("_")),
        None => format!("k8s_{name}_{}", args.join("_")),
    }
}

pub fn arg<'a, T: StaticVal>(args: &'a [CowVal<'_, '_>], index: usize) -> Result<&'a T, ExecutionError> {
    let value = args.get(index).ok_or_else(|| fail("missing argument"))?;
    (**value)
        .downcast_ref::<T>()
        .ok_or_else(|| fail(format!("unexpected argument of type {}", value.get_type().name())))
}

pub fn string_arg<'a>(args: &'a [CowVal<'_, '_>], index: usize) -> Result<&'a str, ExecutionError> {
    let value = args.get(index).ok_or_else(|| fail("missing argument"))?;
    (**value)
        .downcast_ref::<CelString>()
        .map(CelString::inner)
        .ok_or_else(|| fail(format!("expected a string, got {}", value.get_type().name())))
}

pub fn int_arg(args: &[CowVal<'_, '_>], index: usize) -> Result<i64, ExecutionError> {
    let value = args.get(index).ok_or_else(|| fail("missing argument"))?;
    (**value)
        .downcast_ref::<CelInt>()
        .map(|i| *i.inner())
        .ok_or_else(|| fail(format!("expected an int, got {}", value.get_type().name())))
}

pub fn bool_arg(args: &[CowVal<'_, '_>], index: usize) -> Result<bool, ExecutionError> {
    let value = args.get(index).ok_or_else(|| fail("missing argument"))?;
    (**value)
        .downcast_ref::<CelBool>()
        .map(|b| *b.inner())
        .ok_or_else(|| fail(format!("expected a bool, got {}", value.get_type().name())))
}

pub fn value<'b, 'v>(value: impl Val + 'static) -> Returns<'b, 'v> {
    Ok(CowVal::owned(value))
}

pub fn boolean<'b, 'v>(b: bool) -> Returns<'b, 'v> {
    value(CelBool::from(b))
}

pub fn int<'b, 'v>(i: i64) -> Returns<'b, 'v> {
    value(CelInt::from(i))
}

pub fn double<'b, 'v>(d: f64) -> Returns<'b, 'v> {
    value(CelDouble::from(d))
}

pub fn string<'b, 'v>(s: String) -> Returns<'b, 'v> {
    value(CelString::from(s))
}

pub fn strings<'b, 'v>(items: impl IntoIterator<Item = String>) -> Returns<'b, 'v> {
    let items: Vec<Box<dyn Val>> = items.into_iter().map(|s| Box::new(CelString::from(s)) as Box<dyn Val>).collect();
    value(CelList::from(items))
}

pub fn ordering<'b, 'v>(ordering: std::cmp::Ordering) -> Returns<'b, 'v> {
    int(ordering as i64)
}
