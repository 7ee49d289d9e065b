//! Structured facts read from an error text: codes, failure type, activity, side, endpoints.
//!
//! ```
//! use adf_troubleshooter::facts::{extract, Side};
//! let facts = extract(
//!     "Operation on target Copy_sales failed: Failure happened on 'Sink' side. \
//!      ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.\
//!      HybridDeliveryException,Message=Unable to create Azure Blob container.,Source=x,'",
//! );
//! assert_eq!(facts.error_codes, ["AzureBlobFailedToCreateContainer"]);
//! assert_eq!(facts.activity.as_deref(), Some("Copy_sales"));
//! assert_eq!(facts.side, Some(Side::Sink));
//! ```
//!
//! Extraction reads the cleaned text (see [`crate::normalize`]) with a handful of patterns, each
//! anchored on a fixed word found in one pass so nothing else is read, and parses embedded
//! JSON objects (activity output, `errors` arrays, Azure Resource Manager errors, also when
//! escaped inside a string). Truncated JSON still yields its fields through the patterns.

pub mod frames;
mod hosts;
mod json;
mod patterns;
mod readers;
pub(crate) mod words;

use serde::Serialize;

/// Which side of a copy activity failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Source,
    Sink,
}

/// What was read from the error text. Every list is de-duplicated and keeps first-seen order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Facts {
    /// Error codes in code positions (`ErrorCode=`, `"errorCode"`, `"code"`, *Error code*).
    pub error_codes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_type: Option<String>,
    /// The first error message found (shortened to 500 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// .NET / Java exception types from the `Type=` chain, outermost first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exception_types: Vec<String>,
    /// The failed activity (`Operation on target X failed`, or the JSON `target`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub side: Option<Side>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub http_status: Vec<u16>,
    /// Host names, URLs' hosts and IP addresses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration_runtime: Option<String>,
    /// `self-hosted`, `azure`, `managed-vnet` or `ssis`, when the text says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ir_kind: Option<&'static str>,
    /// Where the cleaned text names the runtime kind: a name inside a documented message (the
    /// message's advice, not the run's runtime) says nothing about the run.
    #[serde(skip)]
    pub ir_kind_at: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_id: Option<String>,
    /// The kind of activity the text is about: `copy` (a copy's failing side, or the text speaks
    /// of a copy and of no data flow) or `data-flow` (a data flow's error, or the reverse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activity_kind: Option<&'static str>,
    /// A complaint the text makes, error or not: `slow`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symptom: Option<&'static str>,
    /// The shapes recognised: `activity-json`, `errors-array`, `arm-error`, `error-chain`,
    /// `monitoring-pane`, `shir-log`, `data-flow`.
    pub forms: Vec<&'static str>,
    /// Byte ranges of stack frames (`at x.y.Z.m(File.scala:12)`) in the cleaned text: they name
    /// code, not the problem, so they count as no evidence.
    #[serde(skip)]
    pub stack_frames: Vec<(usize, usize)>,
    /// Set when the input was longer than the engine reads.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

/// How much of an input is read: far more than any real error, small enough to stay fast.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;
const MAX_ITEMS: usize = 16;
const MAX_MESSAGE_CHARS: usize = 500;

/// Reads the facts from raw text (HTML entities, JSON escapes and wrapping are handled).
pub fn extract(text: &str) -> Facts {
    let cleaned = crate::normalize::Normalized::new(text);
    extract_cleaned(&cleaned.text)
}

/// Reads the facts from text already cleaned by [`crate::normalize::Normalized`].
pub fn extract_cleaned(cleaned: &str) -> Facts {
    let mut facts = Facts::default();
    json::read_embedded_json(cleaned, &mut facts);
    patterns::read_patterns(cleaned, &mut facts);
    facts.stack_frames = frames::stack_frames(cleaned);
    facts
}

impl Facts {
    fn add_code(&mut self, code: &str) {
        let code = code.trim_matches(|c: char| c == '.' || c == '-' || c == '_');
        if looks_like_code(code) {
            push_unique(&mut self.error_codes, code);
        }
    }

    fn add_message(&mut self, message: &str) {
        let message = message.trim();
        if self.message.is_none() && !message.is_empty() {
            self.message = Some(message.chars().take(MAX_MESSAGE_CHARS).collect());
        }
    }

    fn add_form(&mut self, form: &'static str) {
        if !self.forms.contains(&form) {
            self.forms.push(form);
        }
    }
}

/// Codes are numbers of three to six digits (`2200`) or identifiers with inner capitals or separators
/// (`InvalidGatewayKey`, `DF-SYS-01`); plain words after "error code" in prose are not.
fn looks_like_code(word: &str) -> bool {
    // The labels themselves turn up where a truncated or garbled text repeats them.
    const LABELS: &[&str] = &["ErrorCode", "errorCode", "StatusCode", "FailureType"];
    if word.is_empty() || word.len() > 120 || LABELS.contains(&word) {
        return false;
    }
    if word.bytes().all(|b| b.is_ascii_digit()) {
        return (3..=6).contains(&word.len());
    }
    let valid = word
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    let inner_capital = word.bytes().skip(1).any(|b| b.is_ascii_uppercase());
    valid && (inner_capital || word.contains(['-', '_']))
}

fn push_unique(list: &mut Vec<String>, item: &str) {
    if list.len() < MAX_ITEMS && !item.is_empty() && !list.iter().any(|x| x == item) {
        list.push(item.to_string());
    }
}

#[cfg(test)]
mod tests;
