//! One activity run, whatever the export's field names: a failure, a run to skip, or malformed.

// Each export names the same facts differently (Log Analytics columns, the diagnostic schema's
// properties, the REST API's camelCase, PowerShell's PascalCase): one reader takes them all.

use super::time::{self, Millis};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// A failed activity run: what the report needs, nothing more.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub pipeline: String,
    pub activity: String,
    pub activity_type: String,
    pub pipeline_run_id: String,
    pub activity_run_id: String,
    pub runtime: String,
    pub start: Option<Millis>,
    pub error_code: String,
    pub failure_type: String,
    pub message: String,
}

/// What a record turned out to be.
#[derive(Debug, PartialEq)]
pub enum Parsed {
    Failure(Box<Run>),
    /// Succeeded, in progress, cancelled, queued: not a failure.
    Skipped,
    Malformed(String),
}

impl Run {
    /// The text the engine diagnoses: the error as the monitoring view's output JSON shows it
    /// (`errorCode`, `message`, `failureType`), the shape the knowledge is written against. The
    /// activity name is left out: it does not change the answer, and without it the same error
    /// in many activities is one text, diagnosed once.
    pub fn error_text(&self) -> String {
        let mut error = Map::new();
        for (key, value) in [
            ("errorCode", &self.error_code),
            ("message", &self.message),
            ("failureType", &self.failure_type),
        ] {
            if !value.is_empty() {
                error.insert(key.into(), Value::String(value.clone()));
            }
        }
        Value::Object(error).to_string()
    }
}

/// Statuses of runs that did not fail. Anything else with an error is read as a failure.
fn is_not_failure(status: &str) -> bool {
    [
        "succeeded",
        "inprogress",
        "in progress",
        "queued",
        "cancelled",
        "canceled",
        "cancelling",
        "skipped",
    ]
    .iter()
    .any(|s| status.eq_ignore_ascii_case(s))
}

/// Services write absent values as `null` in strings (the diagnostic schema does).
fn present(text: &str) -> Option<&str> {
    let text = text.trim();
    (!text.is_empty() && !text.eq_ignore_ascii_case("null")).then_some(text)
}

/// The fields of a record by name, case-insensitively, as strings.
pub trait Fields {
    fn text(&self, name: &str) -> Option<String>;
    /// A nested object, or a string holding one (the diagnostic schema's `properties.Error`
    /// and the `Error` column of Log Analytics hold JSON in a string).
    fn object(&self, name: &str) -> Option<Cow<'_, Map<String, Value>>>;
}

impl Fields for Map<String, Value> {
    fn text(&self, name: &str) -> Option<String> {
        let value = lookup(self, name)?;
        let text = match value {
            Value::String(s) => present(s)?.to_string(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return None,
        };
        Some(text)
    }
    fn object(&self, name: &str) -> Option<Cow<'_, Map<String, Value>>> {
        match lookup(self, name)? {
            Value::Object(map) => Some(Cow::Borrowed(map)),
            Value::String(s) => object_in(s).map(Cow::Owned),
            _ => None,
        }
    }
}

pub fn lookup<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

pub fn object_in(text: &str) -> Option<Map<String, Value>> {
    let text = text.trim();
    if !text.starts_with('{') {
        return None;
    }
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

fn first(fields: &impl Fields, names: &[&str]) -> Option<String> {
    names.iter().find_map(|name| fields.text(name))
}

/// Reads an activity run from any of the exports' shapes: Log Analytics columns
/// (`ErrorCode`, `ErrorMessage`, `Start`...), the diagnostic schema (`properties.Error`,
/// `operationName`, `start`/`time`) and the REST/SDK/PowerShell shape (`activityRunStart`,
/// `error`, `output.effectiveIntegrationRuntime`).
pub fn read(fields: &impl Fields) -> Parsed {
    let properties = fields.object("properties");
    let error = fields
        .object("Error")
        .or_else(|| properties.as_ref().and_then(|p| p.object("Error")));
    // A plain-text error where an object is expected is the message itself.
    let error_text = error.is_none().then(|| fields.text("Error")).flatten();
    let from_error = |name: &str| error.as_ref().and_then(|e| e.text(name));
    let error_code = first(fields, &["ErrorCode"]).or_else(|| from_error("errorCode"));
    let message = first(fields, &["ErrorMessage"])
        .or_else(|| from_error("message"))
        .or(error_text);
    let failure_type = first(fields, &["FailureType"]).or_else(|| from_error("failureType"));
    let status = first(fields, &["Status"]);
    let operation = first(fields, &["operationName", "OperationName"]);
    let activity = first(fields, &["ActivityName"]).or_else(|| from_error("target"));

    let has_error = error_code.is_some() || message.is_some();
    let failed = match status.as_deref() {
        Some(s) if s.eq_ignore_ascii_case("failed") => true,
        Some(s) if is_not_failure(s) => false,
        Some(_) => has_error,
        // The diagnostic schema's end heartbeat says `MyActivity - Failed`.
        None => match operation.as_deref() {
            Some(op) if op.trim_end().to_ascii_lowercase().ends_with("- failed") => true,
            Some(op) if op.contains(" - ") && !has_error => false,
            _ => has_error,
        },
    };
    if !failed {
        let known = status.is_some() || activity.is_some() || operation.is_some();
        return if known {
            Parsed::Skipped
        } else {
            Parsed::Malformed(
                "not an activity run: no Status, ActivityName, operationName or error field".into(),
            )
        };
    }
    let start_text = first(
        fields,
        &["Start", "activityRunStart", "TimeGenerated", "time"],
    );
    let start = match start_text {
        None => None,
        Some(text) => match time::parse(&text) {
            Some(ms) => Some(ms),
            None => return Parsed::Malformed(format!("unreadable start time '{text}'")),
        },
    };
    let output = fields
        .object("Output")
        .or_else(|| properties.as_ref().and_then(|p| p.object("Output")));
    let runtime = first(fields, &["EffectiveIntegrationRuntime"])
        .or_else(|| {
            output
                .as_ref()
                .and_then(|o| o.text("effectiveIntegrationRuntime"))
        })
        .unwrap_or_default();
    Parsed::Failure(Box::new(Run {
        pipeline: first(fields, &["PipelineName"]).unwrap_or_default(),
        activity: activity.unwrap_or_default(),
        activity_type: first(fields, &["ActivityType"]).unwrap_or_default(),
        pipeline_run_id: first(fields, &["PipelineRunId"]).unwrap_or_default(),
        activity_run_id: first(fields, &["ActivityRunId"]).unwrap_or_default(),
        runtime,
        start,
        error_code: error_code.unwrap_or_default(),
        failure_type: failure_type.unwrap_or_default(),
        message: message.unwrap_or_default(),
    }))
}

/// A JSON value that should be one activity run.
pub fn read_value(value: &Value) -> Parsed {
    match value {
        Value::Object(map) => read(map),
        other => Parsed::Malformed(format!(
            "expected an activity run object, found {}",
            kind(other)
        )),
    }
}

pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> Parsed {
        read_value(&value)
    }

    #[test]
    fn reads_each_shape_of_a_failed_run() {
        let log_analytics = json!({"Status": "Failed", "ErrorCode": "2200", "ErrorMessage": "m",
            "FailureType": "UserError", "PipelineName": "p", "ActivityName": "a",
            "Start": "2024-06-04T01:00:00Z", "EffectiveIntegrationRuntime": "ir"});
        let diagnostic = json!({"operationName": "a - Failed", "pipelineName": "p",
            "activityName": "a", "start": "2024-06-04T01:00:00Z", "properties": {
            "Output": "{\"effectiveIntegrationRuntime\": \"ir\"}",
            "Error": {"errorCode": "2200", "message": "m", "failureType": "UserError", "target": "a"}}});
        let rest = json!({"status": "Failed", "pipelineName": "p", "activityName": "a",
            "activityRunStart": "2024-06-04T01:00:00Z", "output": {"effectiveIntegrationRuntime": "ir"},
            "error": {"errorCode": "2200", "message": "m", "failureType": "UserError", "target": "a"}});
        for value in [log_analytics, diagnostic, rest] {
            let Parsed::Failure(run) = parse(value.clone()) else {
                panic!("{value}")
            };
            assert_eq!(
                (
                    run.error_code.as_str(),
                    run.message.as_str(),
                    run.runtime.as_str()
                ),
                ("2200", "m", "ir"),
                "{value}"
            );
            assert_eq!((run.pipeline.as_str(), run.activity.as_str()), ("p", "a"));
            assert_eq!(run.start, time::parse("2024-06-04T01:00:00Z"));
        }
    }

    #[test]
    fn skips_runs_that_did_not_fail_and_flags_what_is_not_a_run() {
        assert_eq!(
            parse(json!({"Status": "Succeeded", "ErrorMessage": ""})),
            Parsed::Skipped
        );
        assert_eq!(
            parse(
                json!({"operationName": "a - Succeeded", "properties": {"Error": {
                "errorCode": "null", "message": "null"}}})
            ),
            Parsed::Skipped
        );
        assert!(matches!(parse(json!({"x": 1})), Parsed::Malformed(_)));
        assert!(matches!(parse(json!([1])), Parsed::Malformed(_)));
        let Parsed::Malformed(why) = parse(json!({"Status": "Failed", "Start": "soon"})) else {
            panic!()
        };
        assert!(why.contains("'soon'"), "{why}");
    }
}
