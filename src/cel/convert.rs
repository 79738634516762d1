//! Values in and out of CEL: YAML trees and JSON in, values detached from a scope for
//! `variables`, and a readable rendering out.
use std::collections::HashMap;

use cel::common::types::{
    CelBool, CelBytes, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelOptional, CelString, CelUInt,
};
use cel::common::value::Val;
use cel::{ExecutionError, Value};

use crate::yaml::{Node, Resolved, Value as YamlValue};

/// A YAML tree as Kubernetes' decoder would hand it to CEL: scalars typed by YAML 1.1 rules,
/// mapping keys as strings, the last of duplicate keys kept.
pub fn from_node(node: &Node<'_>) -> Box<dyn Val> {
    match &node.value {
        YamlValue::Mapping(entries) => {
            let mut map: HashMap<CelMapKey<'static>, Box<dyn Val>> = HashMap::with_capacity(entries.len());
            for entry in entries {
                let Some(key) = entry.key.scalar_text() else { continue };
                map.insert(CelMapKey::from(key.to_owned()), from_node(&entry.value));
            }
            Box::new(CelMap::from(map))
        }
        YamlValue::Sequence(items) => Box::new(CelList::from(items.iter().map(from_node).collect::<Vec<_>>())),
        YamlValue::Scalar(scalar) => match scalar.resolved {
            Resolved::Null => Box::new(CelNull),
            Resolved::Bool(b) => Box::new(CelBool::from(b)),
            Resolved::Int(i) => Box::new(CelInt::from(i)),
            Resolved::Float(f) => Box::new(CelDouble::from(f)),
            Resolved::Str => Box::new(CelString::from(scalar.text.to_string())),
        },
    }
}

pub fn from_json(value: &serde_json::Value) -> Box<dyn Val> {
    match value {
        serde_json::Value::Null => Box::new(CelNull),
        serde_json::Value::Bool(b) => Box::new(CelBool::from(*b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Box::new(CelInt::from(i)),
            None => Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN))),
        },
        serde_json::Value::String(s) => Box::new(CelString::from(s.clone())),
        serde_json::Value::Array(items) => Box::new(CelList::from(items.iter().map(from_json).collect::<Vec<_>>())),
        serde_json::Value::Object(entries) => {
            let map: HashMap<CelMapKey<'static>, Box<dyn Val>> =
                entries.iter().map(|(k, v)| (CelMapKey::from(k.clone()), from_json(v))).collect();
            Box::new(CelMap::from(map))
        }
    }
}

/// A copy of `value` that borrows nothing, so that it can outlive the evaluation that made it.
pub fn detach(value: &dyn Val) -> Result<std::sync::Arc<dyn Val>, ExecutionError> {
    if let Some(custom) = super::library::detach(value) {
        return Ok(std::sync::Arc::from(custom));
    }
    if let Some(list) = value.downcast_ref::<CelList>() {
        let items =
            list.inner().iter().map(|item| detach(item.as_ref()).map(arc_to_box)).collect::<Result<Vec<_>, _>>()?;
        return Ok(std::sync::Arc::new(CelList::from(items)));
    }
    if let Some(optional) = value.downcast_ref::<CelOptional>() {
        return Ok(match optional.inner() {
            Some(inner) => std::sync::Arc::new(CelOptional::of(arc_to_box(detach(inner)?))),
            None => std::sync::Arc::new(CelOptional::none()),
        });
    }
    let owned = Value::try_from(value)?;
    let boxed: Box<dyn Val> = owned.try_into()?;
    Ok(std::sync::Arc::from(boxed))
}

/// An `Arc` as a `Box`: values are stored shared, and containers hold boxes.
fn arc_to_box(value: std::sync::Arc<dyn Val>) -> Box<dyn Val> {
    Box::new(Shared(value))
}

/// A shared value inside a container: behaves as the value it holds.
#[derive(Debug, Clone)]
struct Shared(std::sync::Arc<dyn Val>);

impl Val for Shared {
    fn get_type(&self) -> &cel::common::types::Type {
        self.0.get_type()
    }
    fn cel_type() -> &'static cel::common::types::Type {
        &cel::common::types::DYN_TYPE
    }
    fn as_adder<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Adder + 'v)>
    where
        Self: 'v,
    {
        self.0.as_adder()
    }
    fn as_comparer(&self) -> Option<&dyn cel::common::traits::Comparer> {
        self.0.as_comparer()
    }
    fn as_container(&self) -> Option<&dyn cel::common::traits::Container> {
        self.0.as_container()
    }
    fn as_indexer<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Indexer + 'v)>
    where
        Self: 'v,
    {
        self.0.as_indexer()
    }
    fn as_iterable<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Iterable + 'v)>
    where
        Self: 'v,
    {
        self.0.as_iterable()
    }
    fn as_sizer(&self) -> Option<&dyn cel::common::traits::Sizer> {
        self.0.as_sizer()
    }
    fn as_subtractor<'b, 'v>(&'b self) -> Option<&'b (dyn cel::common::traits::Subtractor + 'v)>
    where
        Self: 'v,
    {
        self.0.as_subtractor()
    }
    fn equals(&self, other: &dyn Val) -> bool {
        self.0.equals(other)
    }
    fn clone_as_boxed<'v>(&self) -> Box<dyn Val + 'v>
    where
        Self: 'v,
    {
        Box::new(self.clone())
    }
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        self.0.as_any()
    }
    fn as_builtin<'b, 'v>(&'b self) -> cel::common::value::BuiltinRef<'b, 'v>
    where
        Self: 'v,
    {
        self.0.as_builtin()
    }
}

/// A value as CEL would write it, for messages.
pub fn display(value: &dyn Val) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &dyn Val, out: &mut String) {
    use std::fmt::Write;
    if let Some(s) = value.downcast_ref::<CelString>() {
        let _ = write!(out, "{:?}", s.inner());
    } else if let Some(b) = value.downcast_ref::<CelBool>() {
        let _ = write!(out, "{}", b.inner());
    } else if let Some(i) = value.downcast_ref::<CelInt>() {
        let _ = write!(out, "{}", i.inner());
    } else if let Some(u) = value.downcast_ref::<CelUInt>() {
        let _ = write!(out, "{}u", u.inner());
    } else if let Some(d) = value.downcast_ref::<CelDouble>() {
        let _ = write!(out, "{:?}", d.inner());
    } else if value.downcast_ref::<CelBytes>().is_some() {
        out.push_str("b\"…\"");
    } else if let Some(list) = value.downcast_ref::<CelList>() {
        out.push('[');
        for (i, item) in list.inner().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            write_value(item.as_ref(), out);
        }
        out.push(']');
    } else if let Some(map) = value.downcast_ref::<CelMap>() {
        out.push('{');
        let mut entries: Vec<_> = map.inner().iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        for (i, (key, item)) in entries.into_iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            match key {
                CelMapKey::String(s) => {
                    let _ = write!(out, "{:?}", s.inner());
                }
                CelMapKey::Int(i) => {
                    let _ = write!(out, "{}", i.inner());
                }
                CelMapKey::UInt(u) => {
                    let _ = write!(out, "{}u", u.inner());
                }
                CelMapKey::Bool(b) => {
                    let _ = write!(out, "{}", b.inner());
                }
            }
            out.push_str(": ");
            write_value(item.as_ref(), out);
        }
        out.push('}');
    } else if value.downcast_ref::<CelNull>().is_some() {
        out.push_str("null");
    } else if let Some(optional) = value.downcast_ref::<CelOptional>() {
        match optional.inner() {
            Some(inner) => {
                out.push_str("optional.of(");
                write_value(inner, out);
                out.push(')');
            }
            None => out.push_str("optional.none()"),
        }
    } else if let Some(text) = super::library::display(value) {
        out.push_str(&text);
    } else {
        let _ = write!(out, "{value:?}");
    }
}
