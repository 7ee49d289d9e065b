//! The small JSON objects the extension hands the engine (team rules, settings, page regions),
//! read field by field with serde's wording: serde's derived readers would cost the wasm about
//! 35 KB, mostly the float formatting that their error messages carry.
//!
//! ```
//! use adf_troubleshooter::fields::Object;
//! let value = serde_json::json!({"id": "a", "tags": ["x"], "n": 5});
//! let object = Object::new(&value, "struct Rule").unwrap();
//! assert_eq!(object.string("id").unwrap().as_deref(), Some("a"));
//! assert_eq!(object.strings("tags").unwrap(), Some(vec!["x".to_string()]));
//! assert_eq!(object.string("n").unwrap_err(), "invalid type: integer `5`, expected a string");
//! assert_eq!(object.required(None::<String>, "title").unwrap_err(), "missing field `title`");
//! ```

use serde_json::{Map, Value};

/// How serde names a value it did not expect.
fn unexpected(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", serde_json::to_string(s).unwrap_or_default()),
        Value::Array(_) => "sequence".into(),
        Value::Object(_) => "map".into(),
    }
}

/// serde's message for a value of the wrong kind.
pub fn invalid_type(value: &Value, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", unexpected(value))
}

/// A JSON object whose fields are read one by one.
pub struct Object<'v>(&'v Map<String, Value>);

impl<'v> Object<'v> {
    /// The object, or serde's message naming what was `expected` (`struct TeamRule`).
    pub fn new(value: &'v Value, expected: &str) -> Result<Object<'v>, String> {
        match value {
            Value::Object(map) => Ok(Object(map)),
            _ => Err(invalid_type(value, expected)),
        }
    }

    /// A field that must be there.
    pub fn required<T>(&self, field: Option<T>, name: &str) -> Result<T, String> {
        field.ok_or_else(|| format!("missing field `{name}`"))
    }

    /// The first field not in `known`, as serde's `deny_unknown_fields` says it.
    pub fn deny_unknown(&self, known: &[&str]) -> Result<(), String> {
        match self.0.keys().find(|key| !known.contains(&key.as_str())) {
            Some(key) => Err(format!(
                "unknown field `{key}`, expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Ok(()),
        }
    }

    /// A field that may be absent.
    pub fn get(&self, name: &str) -> Option<&'v Value> {
        self.0.get(name)
    }

    /// A string field; `null` is not a string.
    pub fn string(&self, name: &str) -> Result<Option<String>, String> {
        self.get(name).map(string).transpose()
    }

    /// A list of strings.
    pub fn strings(&self, name: &str) -> Result<Option<Vec<String>>, String> {
        self.get(name)
            .map(|value| match value {
                Value::Array(list) => list.iter().map(string).collect(),
                _ => Err(invalid_type(value, "a sequence")),
            })
            .transpose()
    }

    /// An optional string: absent or `null` is `None`.
    pub fn optional_string(&self, name: &str) -> Result<Option<String>, String> {
        self.string(name).or_else(|e| self.null_or(name, e))
    }

    /// An optional switch: absent or `null` is `None`.
    pub fn flag(&self, name: &str) -> Result<Option<bool>, String> {
        match self.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(value) => Err(invalid_type(value, "a boolean")),
        }
    }

    /// A whole number that fits a `u32`.
    pub fn number(&self, name: &str) -> Result<Option<u32>, String> {
        self.get(name)
            .map(|value| {
                value
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| invalid_type(value, "u32"))
            })
            .transpose()
    }

    fn null_or<T>(&self, name: &str, error: String) -> Result<Option<T>, String> {
        match self.get(name) {
            Some(Value::Null) => Ok(None),
            _ => Err(error),
        }
    }
}

fn string(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        _ => Err(invalid_type(value, "a string")),
    }
}
