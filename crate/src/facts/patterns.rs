//! The textual forms of ADF errors, each read by one pattern that starts at a fixed word.
//!
//! One Aho-Corasick pass finds every fixed word (`ErrorCode=`, `Operation on target`, ...);
//! each pattern then runs anchored in a short window at that spot. Extraction therefore costs
//! one pass over the text however large the paste. The patterns are read by hand-written
//! matchers (`readers.rs`) rather than a regex engine, which cost the wasm about 30 KB.

use super::readers;
use super::words::{fixed_words, Field, Owner, ACTIVITY_KINDS, IR_KINDS, PATTERNS, SYMPTOMS};
use super::{hosts, push_unique, Facts, Side};
use crate::automaton::Automaton;
use std::sync::OnceLock;

/// Bytes after a fixed word a pattern may read.
const WINDOW: usize = 320;
/// Fixed-word hits examined per text: a paste that repeats `Type=` a million times costs no more.
const MAX_HITS: usize = 4096;

/// The runtime kind is read from the start of a text.
const IR_KIND_BYTES: usize = 64 * 1024;
/// Cloud host names read per text (before de-duplication).
const MAX_HOSTS: usize = 32;

struct Compiled {
    /// Every fixed word: patterns' anchors, runtime kinds' names and cloud domains, so that
    /// one pass over the text finds them all.
    anchors: Automaton,
    /// For each fixed word, what it starts.
    owners: Vec<Vec<Owner>>,
}

/// The fixed-word automaton, compiled by `build.rs` from [`fixed_words`], packed ([`crate::runs`]).
static FIXED_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fixed_words.bin"));

fn compiled() -> &'static Compiled {
    static COMPILED: OnceLock<Compiled> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let (_, owners) = fixed_words();
        // Written by our build script from the same words, so it always reads back.
        let anchors = crate::runs::unpack(FIXED_WORDS)
            .and_then(|bytes| Automaton::from_bytes(&bytes))
            .unwrap_or_else(|| unreachable!("the embedded fixed-word automaton reads back"));
        Compiled { anchors, owners }
    })
}

/// The embedded automaton is the one the fixed words make today (`build.rs` reruns when
/// `words.rs` changes; this catches a stale build output).
#[cfg(test)]
pub(super) fn embedded_automaton_is_current() -> bool {
    crate::runs::unpack(FIXED_WORDS) == Some(Automaton::new(&fixed_words().0, true).to_bytes())
}

/// What the pass over the fixed words found.
struct Scan<'t> {
    /// The first capture of every pattern match, in text order, with the pattern's field.
    captures: Vec<(Field, &'t str)>,
    /// Where each runtime kind is first named.
    ir_kinds: [Option<usize>; IR_KINDS.len()],
    /// Host names ending in a cloud domain, in text order.
    cloud_hosts: Vec<&'t str>,
    /// Whether each complaint is made.
    symptoms: [bool; SYMPTOMS.len()],
    /// Whether each activity kind is named.
    activity_kinds: [bool; ACTIVITY_KINDS.len()],
}

fn scan(text: &str) -> Scan<'_> {
    let c = compiled();
    let bytes = text.as_bytes();
    let ir_limit = text.floor_char_boundary(IR_KIND_BYTES);
    let mut found = Scan {
        captures: Vec::new(),
        ir_kinds: [None; IR_KINDS.len()],
        cloud_hosts: Vec::new(),
        symptoms: [false; SYMPTOMS.len()],
        activity_kinds: [false; ACTIVITY_KINDS.len()],
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
                if pattern.word_start && !starts_word(bytes, hit_start) {
                    continue;
                }
                let start = text.floor_char_boundary(hit_start.saturating_sub(pattern.lookbehind));
                let end = text.floor_char_boundary(hit_start + WINDOW);
                let window = &text[start..end];
                if let Some(read) = readers::read(pattern.field, window) {
                    found.captures.push((pattern.field, &window[read.value]));
                }
            }
        }
        for owner in owners {
            match *owner {
                Owner::IrKind(kind) if hit_end <= ir_limit => {
                    let first = &mut found.ir_kinds[kind];
                    *first = Some(first.map_or(hit_start, |at| at.min(hit_start)));
                }
                Owner::Symptom(symptom)
                    if hit_end <= ir_limit && is_complaint(text, hit_start, hit_end) =>
                {
                    found.symptoms[symptom] = true;
                }
                Owner::ActivityKind(kind)
                    if hit_end <= ir_limit && names_activity(text, hit_start, hit_end) =>
                {
                    found.activity_kinds[kind] = true;
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
            Field::Code | Field::StatusCode => facts.add_code(value),
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
    // A data flow's shape, or a copy's failing side, says which activity failed; otherwise the
    // one kind the text names, if it names one.
    let mut named = ACTIVITY_KINDS
        .iter()
        .zip(found.activity_kinds)
        .filter_map(|((kind, _), named)| named.then_some(*kind));
    facts.activity_kind = if facts.forms.contains(&"data-flow") {
        Some("data-flow")
    } else if facts.side.is_some() {
        Some("copy")
    } else {
        named.next().filter(|_| named.next().is_none())
    };
    facts.symptom = SYMPTOMS
        .iter()
        .zip(found.symptoms)
        .find_map(|((symptom, _), made)| made.then_some(*symptom));
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

/// Whether `at` starts a word: the byte before it is no ASCII letter or digit.
fn starts_word(bytes: &[u8], at: usize) -> bool {
    at == 0 || !bytes[at - 1].is_ascii_alphanumeric()
}

/// Whether complaint words found at `start..end` make the complaint: they start a word, a span
/// of hours is one the text counts (`9 hours`, `4 to 6 hours`, `for hours`), not office hours or
/// an `hours` field, and what is too long or lasts forever is a run (`takes too long`), not a
/// path, a name or a status (`stays in Updating forever`).
fn is_complaint(text: &str, start: usize, end: usize) -> bool {
    if !starts_word(text.as_bytes(), start) {
        return false;
    }
    let word_before = text[..start]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default();
    let before_is = |words: &[&str]| words.iter().any(|w| word_before.eq_ignore_ascii_case(w));
    let phrase = |words: &[&str]| {
        words
            .iter()
            .any(|w| text[start..end].eq_ignore_ascii_case(w))
    };
    if phrase(&["hours", "hrs"]) {
        word_before.ends_with(|c: char| c.is_ascii_digit())
            || before_is(&["for", "several", "many"])
    } else if phrase(&["too long", "so long", "forever"]) {
        before_is(&[
            "takes", "taking", "took", "take", "runs", "running", "ran", "run",
        ])
    } else {
        true
    }
}

/// Whether an activity kind's name found at `start..end` is a word of its own, as written or
/// inflected (`copied`, `copying`, `data flows`), not the start of another (`copyright`).
fn names_activity(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    if !starts_word(bytes, start) {
        return false;
    }
    let rest = &bytes[end..];
    let ending = &rest[..rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()];
    [&b""[..], b"s", b"d", b"ing"]
        .iter()
        .any(|e| ending.eq_ignore_ascii_case(e))
}

/// The monitoring error dialog, copied as text, lists its fields as labels.
fn is_monitoring_pane_copy(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(4096)];
    head.contains("Error code") && (head.contains("Failure type") || head.contains("Details"))
}
