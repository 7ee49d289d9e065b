//! The textual forms of ADF errors, each read by one pattern that starts at a fixed word.
//!
//! One Aho-Corasick pass finds every fixed word (`ErrorCode=`, `Operation on target`, ...);
//! each pattern then runs anchored in a short window at that spot. Extraction therefore costs
//! one pass over the text however large the paste, and the small `regex-lite` engine (no
//! literal optimisations of its own, and no Unicode tables: the patterns are ASCII) is enough.

use super::{hosts, push_unique, Facts, Side};
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

/// Runtime kinds by the words that name them, in order of precedence: the first kind the text
/// names at all wins, and where it first names it is kept.
const IR_KINDS: &[(&str, &[&str])] = &[
    (
        "managed-vnet",
        &["managed virtual network", "managed vnet", "managedvnet"],
    ),
    (
        "self-hosted",
        &[
            "self-hosted",
            "selfhosted",
            "self hosted",
            "shir",
            "diawp",
            "dmgcmd",
            "gateway",
        ],
    ),
    ("ssis", &["ssis"]),
    (
        "azure",
        &[
            "autoresolveintegrationruntime",
            "azure ir",
            "azure integration runtime",
        ],
    ),
];
/// The runtime kind is read from the start of a text.
const IR_KIND_BYTES: usize = 64 * 1024;
/// Cloud host names read per text (before de-duplication).
const MAX_HOSTS: usize = 32;

/// What a fixed word starts.
#[derive(Clone, Copy)]
enum Owner {
    /// A pattern to run at the word (index into [`PATTERNS`]).
    Pattern(usize),
    /// A runtime kind's name (index into [`IR_KINDS`]).
    IrKind(usize),
    /// A cloud domain that ends host names (index into `hosts::CLOUD_SUFFIXES`).
    CloudSuffix(usize),
}

struct Compiled {
    /// Every fixed word: patterns' anchors, runtime kinds' names and cloud domains, so that
    /// one pass over the text finds them all.
    anchors: Automaton,
    /// For each fixed word, what it starts.
    owners: Vec<Vec<Owner>>,
    /// Compiled when their anchor is first found: most texts need a few of them, and the
    /// engine's first answer should not wait for all.
    regexes: Vec<OnceLock<Regex>>,
}

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let mut words: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add = |word: &'static str, owner: Owner| {
            let lower = |w: &str| w.to_ascii_lowercase();
            match words.iter().position(|w| lower(w) == lower(word)) {
                Some(at) => owners[at].push(owner),
                None => {
                    words.push(word);
                    owners.push(vec![owner]);
                }
            }
        };
        for (index, pattern) in PATTERNS.iter().enumerate() {
            for word in pattern.anchors {
                add(word, Owner::Pattern(index));
            }
        }
        for (index, (_, names)) in IR_KINDS.iter().enumerate() {
            for name in *names {
                add(name, Owner::IrKind(index));
            }
        }
        for (index, suffix) in hosts::CLOUD_SUFFIXES.iter().enumerate() {
            add(suffix, Owner::CloudSuffix(index));
        }
        let anchors = Automaton::new(&words, true);
        let regexes = PATTERNS.iter().map(|_| OnceLock::new()).collect();
        Compiled {
            anchors,
            owners,
            regexes,
        }
    })
}

fn regex(index: usize) -> &'static Regex {
    compiled().regexes[index].get_or_init(|| {
        // Every pattern is a constant of this file; `facts::tests` compiles each one natively.
        Regex::new(PATTERNS[index].regex)
            .unwrap_or_else(|_| unreachable!("extraction pattern compiles"))
    })
}

#[cfg(test)]
pub(super) fn compile_all() {
    for index in 0..PATTERNS.len() {
        let _ = regex(index);
    }
}

/// What the pass over the fixed words found.
struct Scan<'t> {
    /// The first capture of every pattern match, in text order, with the pattern's field.
    captures: Vec<(Field, &'t str)>,
    /// Where each runtime kind is first named.
    ir_kinds: [Option<usize>; IR_KINDS.len()],
    /// Host names ending in a cloud domain, in text order.
    cloud_hosts: Vec<&'t str>,
}

fn scan(text: &str) -> Scan<'_> {
    let c = compiled();
    let bytes = text.as_bytes();
    let ir_limit = text.floor_char_boundary(IR_KIND_BYTES);
    let mut found = Scan {
        captures: Vec::new(),
        ir_kinds: [None; IR_KINDS.len()],
        cloud_hosts: Vec::new(),
    };
    let mut hits = 0;
    // Cloud domains are read as a leftmost search would: none inside the previous one.
    let mut suffix_end = 0;
    c.anchors.overlapping(text, |word, hit_start, hit_end| {
        let owners = &c.owners[word];
        let pattern_hit = owners.iter().any(|o| matches!(o, Owner::Pattern(_)));
        if pattern_hit && hits < MAX_HITS {
            hits += 1;
            for owner in owners {
                let Owner::Pattern(index) = *owner else {
                    continue;
                };
                let pattern = &PATTERNS[index];
                if pattern.word_start
                    && hit_start > 0
                    && bytes[hit_start - 1].is_ascii_alphanumeric()
                {
                    continue;
                }
                let start = text.floor_char_boundary(hit_start.saturating_sub(pattern.lookbehind));
                let end = text.floor_char_boundary(hit_start + WINDOW);
                if let Some(m) = regex(index).captures(&text[start..end]) {
                    let value = m.get(1).or(m.get(0)).map_or("", |m| m.as_str());
                    found.captures.push((pattern.field, value));
                }
            }
        }
        for owner in owners {
            match *owner {
                Owner::IrKind(kind) if hit_end <= ir_limit => {
                    let first = &mut found.ir_kinds[kind];
                    *first = Some(first.map_or(hit_start, |at| at.min(hit_start)));
                }
                Owner::CloudSuffix(suffix) if hit_start >= suffix_end => {
                    suffix_end = hit_end;
                    if found.cloud_hosts.len() < MAX_HOSTS {
                        found
                            .cloud_hosts
                            .extend(hosts::cloud_host(text, suffix, hit_start, hit_end));
                    }
                }
                _ => {}
            }
        }
        hits < MAX_HITS || hit_end <= ir_limit || found.cloud_hosts.len() < MAX_HOSTS
    });
    found
}

pub(super) fn read_patterns(text: &str, facts: &mut Facts) {
    let found = scan(text);
    for (field, value) in found.captures {
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
    for host in found
        .cloud_hosts
        .into_iter()
        .chain(hosts::ipv4s(text))
        .take(MAX_HOSTS)
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
        let named = IR_KINDS
            .iter()
            .zip(found.ir_kinds)
            .find_map(|((kind, _), at)| Some((*kind, at?)));
        if let Some((kind, at)) = named {
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
