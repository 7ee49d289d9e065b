//! Finds JSON objects inside error text and reads the fields ADF, Synapse and ARM put there.

use super::Facts;
use serde_json::Value;

/// Parsing is attempted at no more than this many `{` positions: a pathological paste full of
/// braces costs bounded time.
const MAX_ATTEMPTS: usize = 24;
/// JSON hidden in string values (escaped JSON in a message) is followed this deep.
const MAX_STRING_NESTING: u8 = 4;

pub(super) fn read_embedded_json(text: &str, facts: &mut Facts) {
    read_objects(text, facts, 0);
}

fn read_objects(text: &str, facts: &mut Facts, nesting: u8) {
    let mut attempts = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find('{') {
        let start = from + found;
        if attempts == MAX_ATTEMPTS {
            break;
        }
        if !text[start + 1..].trim_start().starts_with('"') {
            from = start + 1;
            continue;
        }
        attempts += 1;
        let mut stream = serde_json::Deserializer::from_str(&text[start..]).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                read_value(&value, facts, nesting);
                from = start + stream.byte_offset().max(1);
            }
            _ => from = start + 1,
        }
    }
}

fn read_value(value: &Value, facts: &mut Facts, nesting: u8) {
    match value {
        Value::Object(map) => {
            let field = |name: &str| {
                map.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            };
            // Data flows report their `DF-` codes as a string `StatusCode`; a numeric one is HTTP.
            let status_code =
                field("StatusCode").filter(|v| v.as_str().is_some_and(|s| s.starts_with("DF-")));
            let code = field("errorCode").or_else(|| field("code")).or(status_code);
            let message = field("message");
            if let Some(code) = code.and_then(scalar_text) {
                facts.add_code(&code);
                if field("errorCode").is_some() {
                    facts.add_form("activity-json");
                }
            }
            if let Some(Value::Object(error)) = field("error") {
                if error.keys().any(|k| k.eq_ignore_ascii_case("code")) {
                    facts.add_form("arm-error");
                }
            }
            if let Some(Value::Array(_)) = field("errors") {
                facts.add_form("errors-array");
            }
            if let Some(Value::String(kind)) = field("failureType") {
                facts.failure_type.get_or_insert_with(|| kind.clone());
            }
            if let Some(Value::String(target)) = field("target") {
                facts.activity.get_or_insert_with(|| target.clone());
            }
            if let Some(Value::String(message)) = message {
                facts.add_message(message);
            }
            for (key, child) in map {
                if let Value::String(s) = child {
                    if key.eq_ignore_ascii_case("activityId") {
                        facts.activity_id.get_or_insert_with(|| s.clone());
                    }
                    if key.eq_ignore_ascii_case("referenceName") && s.contains("IR") {
                        push_ir(facts, s);
                    }
                }
                read_value(child, facts, nesting);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| read_value(v, facts, nesting)),
        Value::String(s) if nesting < MAX_STRING_NESTING && s.contains("{\"") => {
            read_objects(s, facts, nesting + 1)
        }
        _ => {}
    }
}

fn push_ir(facts: &mut Facts, name: &str) {
    facts
        .integration_runtime
        .get_or_insert_with(|| name.to_string());
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
