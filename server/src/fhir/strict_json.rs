//! JSON read strictly, as FHIR requires: a key given twice in one object is an error, not "the
//! last one wins". serde_json keeps the last value silently, which once filed an event naming
//! two patients on the second of them; so the body is read through a visitor that refuses a
//! repeated key and says where it is (as a FHIRPath-like path), then handed on as an ordinary
//! `serde_json::Value`. No maintained crate offers this for `Value`; serde's visitor API is
//! the documented way to do it.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// Why a body could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// Not JSON at all (serde_json's own words, with line and column).
    Syntax(String),
    /// A key appears twice in one object; `path` names the object and the key.
    Duplicate { path: String, key: String },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Syntax(e) => write!(f, "The body is not JSON: {e}"),
            Refusal::Duplicate { key, path } => write!(f, "The key \"{key}\" appears more than once at {path}: each key may be given once"),
        }
    }
}

/// Reads `bytes` as JSON, refusing any object that repeats a key. `root` names the top of the
/// path (for example `AuditEvent` or `Bundle`).
pub fn parse(bytes: &[u8], root: &str) -> Result<Value, Refusal> {
    let duplicate = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Seed { path: root.to_string(), duplicate: &duplicate }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match (value, duplicate.into_inner()) {
        (_, Some((path, key))) => Err(Refusal::Duplicate { path, key }),
        (Ok(v), None) => Ok(v),
        (Err(e), None) => Err(Refusal::Syntax(e.to_string())),
    }
}

struct Seed<'d> {
    path: String,
    duplicate: &'d RefCell<Option<(String, String)>>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number JSON cannot hold"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        loop {
            let seed = Seed { path: format!("{}[{}]", self.path, items.len()), duplicate: self.duplicate };
            match seq.next_element_seed(seed)? {
                Some(v) => items.push(v),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                *self.duplicate.borrow_mut() = Some((self.path.clone(), key.clone()));
                return Err(A::Error::custom("duplicate key"));
            }
            let seed = Seed { path: format!("{}.{key}", self.path), duplicate: self.duplicate };
            let value = map.next_value_seed(seed)?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_json_reads_as_serde_json_would() {
        let text = r#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": "\u00e9"}"#;
        assert_eq!(parse(text.as_bytes(), "X").unwrap(), serde_json::from_str::<Value>(text).unwrap());
    }

    #[test]
    fn a_repeated_key_is_refused_and_located() {
        let top = parse(br#"{"resourceType": "AuditEvent", "id": "a", "resourceType": "Patient"}"#, "AuditEvent");
        assert_eq!(top, Err(Refusal::Duplicate { path: "AuditEvent".into(), key: "resourceType".into() }));
        let deep = parse(br#"{"entity": [{"what": {}}, {"what": {"reference": "a", "reference": "b"}}]}"#, "AuditEvent");
        assert_eq!(deep, Err(Refusal::Duplicate { path: "AuditEvent.entity[1].what".into(), key: "reference".into() }));
    }

    #[test]
    fn broken_json_and_trailing_text_are_syntax_errors() {
        assert!(matches!(parse(b"{not json", "X"), Err(Refusal::Syntax(_))));
        assert!(matches!(parse(b"{} {}", "X"), Err(Refusal::Syntax(_))));
    }
}
