//! The textual forms of ADF errors, each read by one pattern that starts at a fixed word.
//!
//! One Aho-Corasick pass finds every fixed word (`ErrorCode=`, `Operation on target`, ...);
//! each pattern then runs anchored in a short window at that spot. Extraction therefore costs
//! one pass over the text however large the paste, and the small `regex-lite` engine (no
//! literal optimisations of its own, and no Unicode tables: the patterns are ASCII) is enough.

use super::{push_unique, Facts, Side};
use crate::automaton::Automaton;
use regex_lite::Regex;
use std::sync::OnceLock;

/// What a pattern reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Code,
    DataFlow,
    DataFlowCode,
    ShirLog,
    ChainStart,
    FailureType,
    OperationTarget,
    Side,
    ExceptionType,
    HttpStatus,
    HttpReason,
    UrlHost,
    RuntimeName,
    ActivityId,
}

/// A pattern, the fixed words it starts at, and how many bytes before the word it may start.
struct Pattern {
    field: Field,
    anchors: &'static [&'static str],
    lookbehind: usize,
    /// The fixed word must start a word (the text before it is not a letter or digit).
    word_start: bool,
    regex: &'static str,
}

const HTTP_REASONS: &[&str] = &[
    "(BadRequest)",
    "(Unauthorized)",
    "(Forbidden)",
    "(NotFound)",
    "(Conflict)",
    "(InternalServerError)",
    "(BadGateway)",
    "(ServiceUnavailable)",
    "(GatewayTimeout)",
    "(TooManyRequests)",
    "(RequestTimeout)",
];

const PATTERNS: &[Pattern] = &[
    Pattern {
        field: Field::Code,
        anchors: &["error code", "errorcode", "error_code", "\"code\""],
        lookbehind: 0,
        word_start: true,
        // A label pasted with Markdown emphasis (`**Error code** 2108`, from a ticket or an
        // issue) is still the label.
        regex: r#"^(?i:error[ _]?code|"code")\*{0,2}(?:"?\s*[=:]|\s+is:?|\s)\s*['"]?([A-Za-z0-9][A-Za-z0-9_.-]*)"#,
    },
    Pattern {
        field: Field::Code,
        // A data flow's `StatusCode` holds its `DF-` code (or `DFExecutorUserError`); numbers
        // there are HTTP statuses, read below. Also when the JSON is cut short or escaped.
        anchors: &["\"statuscode\""],
        lookbehind: 0,
        word_start: false,
        regex: r#"^"(?i:statuscode)"\s*:\s*"([A-Za-z][A-Za-z0-9_.-]*)""#,
    },
    Pattern {
        field: Field::DataFlowCode,
        // A data flow's code anywhere says whose error it is; debug sessions and data preview
        // banners head their message with it (`DF-Executor-InvalidPath: at Source ...`).
        anchors: &["DF-"],
        lookbehind: 0,
        word_start: true,
        regex: r"^DF-[A-Za-z0-9]+-[A-Za-z0-9_]+(?::\s)?",
    },
    Pattern {
        field: Field::DataFlow,
        anchors: &["job failed due to reason"],
        lookbehind: 0,
        word_start: true,
        regex: r"^(?i:job failed due to reason)",
    },
    Pattern {
        field: Field::ShirLog,
        anchors: &["the error code is"],
        lookbehind: 0,
        word_start: true,
        regex: r"^(?i:the error code is):?\s*([A-Za-z0-9_-]+)",
    },
    Pattern {
        field: Field::ChainStart,
        anchors: &["ErrorCode="],
        lookbehind: 0,
        word_start: true,
        regex: r"^ErrorCode=[A-Za-z0-9_-]+,\s*'?Type=",
    },
    Pattern {
        field: Field::FailureType,
        anchors: &["failure type", "failuretype"],
        lookbehind: 0,
        word_start: true,
        regex: r#"^(?i:failure ?type)\*{0,2}"?\s*[=:]?\s*"?((?i:user ?error|system ?error|user configuration issue|transient error))"#,
    },
    Pattern {
        field: Field::OperationTarget,
        anchors: &["Operation on target "],
        lookbehind: 0,
        word_start: true,
        regex: r"^Operation on target (.{1,160}?) failed",
    },
    Pattern {
        field: Field::Side,
        anchors: &["failure happened on"],
        lookbehind: 0,
        word_start: true,
        regex: r"^(?i:failure happened on) '?((?i:source|sink))'? (?i:side)",
    },
    Pattern {
        field: Field::ExceptionType,
        anchors: &["Type="],
        lookbehind: 0,
        word_start: true,
        regex: r"^Type=([A-Za-z_][A-Za-z0-9_.]*(?:Exception|Error|Fault)[A-Za-z0-9_]*)",
    },
    Pattern {
        field: Field::HttpStatus,
        anchors: &[
            "status code",
            "statuscode",
            "http status",
            "http/1.",
            "response status",
        ],
        lookbehind: 0,
        word_start: true,
        regex: r#"^(?i:status ?code|http status(?: code)?|statuscode|http/1\.[01]|response status)['":=\s]*(?:is\s*)?['"]?([1-5][0-9][0-9])\b"#,
    },
    Pattern {
        field: Field::HttpReason,
        anchors: HTTP_REASONS,
        lookbehind: 4,
        word_start: false,
        regex: r"\b([1-5][0-9][0-9]) ?\(",
    },
    Pattern {
        field: Field::UrlHost,
        anchors: &[
            "http://", "https://", "sftp://", "ftp://", "ftps://", "jdbc:",
        ],
        lookbehind: 0,
        word_start: true,
        regex: r"^(?i:https?|sftp|ftps?|jdbc:[a-z]+)://([A-Za-z0-9._-]+)",
    },
    Pattern {
        field: Field::RuntimeName,
        anchors: &["integration runtime", "integrationruntime", "IR"],
        lookbehind: 0,
        word_start: true,
        regex: r"^(?:(?i:integration ?runtime)|IR)\s*(?:\((?i:self-hosted|azure|managed)\)\s*)?(?i:name)?[:=]?\s*'([^'\t\n\r ][^']{0,79})'",
    },
    Pattern {
        field: Field::ActivityId,
        anchors: &["activity id", "activityid"],
        lookbehind: 0,
        word_start: true,
        regex: r#"^(?i:activity ?id)(?:\s+is)?['"]?\s*[:=]?\s*['"]?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"#,
    },
];

/// Bytes after a fixed word a pattern may read.
const WINDOW: usize = 320;
/// Fixed-word hits examined per text: a paste that repeats `Type=` a million times costs no more.
const MAX_HITS: usize = 4096;

struct Compiled {
    anchors: Automaton,
    /// For each anchor word, the patterns it belongs to.
    owners: Vec<Vec<usize>>,
    regexes: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let mut words: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        for (index, pattern) in PATTERNS.iter().enumerate() {
            for word in pattern.anchors {
                let lower = |w: &str| w.to_ascii_lowercase();
                match words.iter().position(|w| lower(w) == lower(word)) {
                    Some(at) => owners[at].push(index),
                    None => {
                        words.push(word);
                        owners.push(vec![index]);
                    }
                }
            }
        }
        let anchors = Automaton::new(&words, true);
        // Every pattern is a constant of this file; `facts::tests` compiles each one natively.
        let regexes = PATTERNS
            .iter()
            .map(|p| {
                Regex::new(p.regex).unwrap_or_else(|_| unreachable!("extraction pattern compiles"))
            })
            .collect();
        Compiled {
            anchors,
            owners,
            regexes,
        }
    })
}

#[cfg(test)]
pub(super) fn compile_all() {
    let _ = compiled();
}

/// The first capture of every pattern match, in text order, with the pattern's field.
fn captures(text: &str) -> Vec<(Field, &str)> {
    let c = compiled();
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut hits = 0;
    c.anchors.overlapping(text, |word, hit_start, _| {
        hits += 1;
        for &index in &c.owners[word] {
            let pattern = &PATTERNS[index];
            if pattern.word_start && hit_start > 0 && bytes[hit_start - 1].is_ascii_alphanumeric() {
                continue;
            }
            let start = text.floor_char_boundary(hit_start.saturating_sub(pattern.lookbehind));
            let end = text.floor_char_boundary(hit_start + WINDOW);
            if let Some(found) = c.regexes[index].captures(&text[start..end]) {
                let value = found.get(1).or(found.get(0)).map_or("", |m| m.as_str());
                out.push((pattern.field, value));
            }
        }
        hits < MAX_HITS
    });
    out
}

pub(super) fn read_patterns(text: &str, facts: &mut Facts) {
    for (field, value) in captures(text) {
        match field {
            Field::Code => facts.add_code(value),
            Field::ShirLog => {
                facts.add_code(value);
                facts.add_form("shir-log");
            }
            Field::ChainStart => facts.add_form("error-chain"),
            Field::DataFlow => facts.add_form("data-flow"),
            Field::DataFlowCode => {
                facts.add_form("data-flow");
                if let Some(code) = value.strip_suffix(|c: char| c.is_whitespace()) {
                    facts.add_code(code.trim_end_matches(':'));
                }
            }
            Field::FailureType => {
                facts.failure_type.get_or_insert_with(|| value.to_string());
            }
            Field::OperationTarget => {
                facts
                    .activity
                    .get_or_insert_with(|| value.trim().to_string());
                facts.add_form("monitoring-pane");
            }
            Field::Side => {
                let side = if value.eq_ignore_ascii_case("sink") {
                    Side::Sink
                } else {
                    Side::Source
                };
                facts.side.get_or_insert(side);
            }
            Field::ExceptionType => push_unique(&mut facts.exception_types, value),
            Field::HttpStatus | Field::HttpReason => {
                if let Ok(status) = value.parse::<u16>() {
                    if !facts.http_status.contains(&status) && facts.http_status.len() < 8 {
                        facts.http_status.push(status);
                    }
                }
            }
            Field::UrlHost => push_unique(&mut facts.endpoints, value.trim_end_matches('.')),
            Field::RuntimeName => {
                facts
                    .integration_runtime
                    .get_or_insert_with(|| value.to_string());
            }
            Field::ActivityId => {
                facts.activity_id.get_or_insert_with(|| value.to_string());
            }
        }
    }
    if facts.message.is_none() {
        if let Some(start) = text.find("Message=") {
            let rest = &text[start + "Message=".len()..];
            let end = rest.find(",Source=").unwrap_or(rest.len());
            facts.add_message(&rest[..end]);
        }
    }
    for host in super::hosts::cloud_hosts(text)
        .chain(super::hosts::ipv4s(text))
        .take(32)
    {
        push_unique(&mut facts.endpoints, host);
    }
    let data_flow_code = |c: &String| c.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("DF-"));
    if facts.error_codes.iter().any(data_flow_code) {
        facts.add_form("data-flow");
    }
    if is_monitoring_pane_copy(text) {
        facts.add_form("monitoring-pane");
    }
    if facts.ir_kind.is_none() {
        if let Some((kind, at)) = ir_kind(text) {
            facts.ir_kind = Some(kind);
            facts.ir_kind_at = Some(at);
        }
    }
}

/// The monitoring error dialog, copied as text, lists its fields as labels.
fn is_monitoring_pane_copy(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(4096)];
    head.contains("Error code") && (head.contains("Failure type") || head.contains("Details"))
}

/// The runtime kind the text names, and where it first says so.
fn ir_kind(text: &str) -> Option<(&'static str, usize)> {
    let lower = text[..text.floor_char_boundary(64 * 1024)].to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().filter_map(|w| lower.find(w)).min();
    let kind = if let Some(at) = has(&["managed virtual network", "managed vnet", "managedvnet"]) {
        ("managed-vnet", at)
    } else if let Some(at) = has(&[
        "self-hosted",
        "selfhosted",
        "self hosted",
        "shir",
        "diawp",
        "dmgcmd",
        "gateway",
    ]) {
        ("self-hosted", at)
    } else if let Some(at) = has(&["ssis"]) {
        ("ssis", at)
    } else if let Some(at) = has(&[
        "autoresolveintegrationruntime",
        "azure ir",
        "azure integration runtime",
    ]) {
        ("azure", at)
    } else {
        return None;
    };
    Some(kind)
}
