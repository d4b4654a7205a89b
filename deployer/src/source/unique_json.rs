//! Reading JSON into a [`Value`] while refusing duplicate keys in a mapping.
//!
//! `serde_json` keeps the last of duplicate keys silently (attack finding F9), so two
//! `"Type"`s or two `"DeletionPolicy"`s would be read as whichever came last while a
//! reviewer reads the first; the YAML reader already refuses duplicates. This is a serde
//! visitor over `serde_json`'s own parser (no hand-written parsing): it builds the same
//! [`Value`] and fails on the second occurrence of a key, naming the key and its path.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::output::escape::escape_line;

/// Deserializes one JSON value from `de`, refusing a mapping that repeats a key.
///
/// # Errors
/// `serde_json`'s error for malformed JSON, or "duplicate key `K` at PATH" (escaped for
/// the terminal; PATH is `/`-separated keys and indexes, `/` for the top level).
///
/// # Example
/// ```ignore
/// let mut de = serde_json::Deserializer::from_str(r#"{"a": 1, "a": 2}"#);
/// assert!(deserialize_unique(&mut de).is_err());
/// ```
pub fn deserialize_unique<'de, D: serde::Deserializer<'de>>(de: D) -> Result<Value, D::Error> {
    let path = RefCell::new(Vec::new());
    Node { path: &path }.deserialize(de)
}

/// Parses a whole JSON document with [`deserialize_unique`] (nothing may follow it).
///
/// # Errors
/// As [`deserialize_unique`], or trailing characters after the value.
pub fn from_str_unique(text: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let v = deserialize_unique(&mut de)?;
    de.end()?;
    Ok(v)
}

/// One value being read; `path` holds the keys and indexes leading to it (shared, pushed
/// and popped, so a deep document costs no path copies until an error names it).
struct Node<'p> {
    path: &'p RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
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
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
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
    fn visit_some<D: serde::Deserializer<'de>>(self, de: D) -> Result<Value, D::Error> {
        self.deserialize(de)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        loop {
            self.path.borrow_mut().push(out.len().to_string());
            let next = seq.next_element_seed(Node { path: self.path });
            self.path.borrow_mut().pop();
            match next? {
                Some(v) => out.push(v),
                None => return Ok(Value::Array(out)),
            }
        }
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                let at = self.path.borrow().join("/");
                return Err(A::Error::custom(format!(
                    "duplicate key `{}` at /{}",
                    escape_line(&key),
                    escape_line(&at)
                )));
            }
            self.path.borrow_mut().push(key.clone());
            let v = map.next_value_seed(Node { path: self.path });
            self.path.borrow_mut().pop();
            out.insert(key, v?);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Result<Value, String> {
        let mut de = serde_json::Deserializer::from_str(s);
        let v = deserialize_unique(&mut de).map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(v)
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_path() {
        let e = read(
            r#"{"Resources": {"T": {"Type": "AWS::SQS::Queue", "Type": "AWS::DynamoDB::Table"}}}"#,
        )
        .unwrap_err();
        assert!(e.contains("duplicate key `Type` at /Resources/T"), "{e}");
        let e = read(r#"[{"a": 1}, {"b": 1, "b": 2}]"#).unwrap_err();
        assert!(e.contains("duplicate key `b` at /1"), "{e}");
        let e = read(r#"{"a": 1, "a": 1}"#).unwrap_err();
        assert!(e.contains("duplicate key `a` at /"), "{e}");
    }

    #[test]
    fn json_templates_app_config_and_manifests_refuse_duplicates() {
        let dup = r#"{"Resources": {"T": {"Type": "AWS::SQS::Queue"}, "T": {"Type": "AWS::SQS::Queue"}}}"#;
        let e = crate::source::template::parse_template(dup).unwrap_err();
        assert!(e.contains("duplicate key `T` at /Resources"), "{e}");
        let dir = std::env::temp_dir().join(format!("nephos-dup-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("nephos.json"), r#"{"app": "a", "app": "b"}"#).unwrap();
        let args = crate::cli::SourceArgs::default();
        let e = crate::source::app::app_command(&args, &dir).unwrap_err();
        std::fs::remove_dir_all(&dir).ok();
        assert!(e.to_string().contains("duplicate key `app`"), "{e}");
    }

    #[test]
    fn the_value_read_is_the_one_serde_json_reads() {
        let s = r#"{"a": [1, -2, 3.5, 18446744073709551615, true, null, "x"], "b": {"c": {}}, "d": []}"#;
        assert_eq!(read(s).unwrap(), serde_json::from_str::<Value>(s).unwrap());
    }
}
