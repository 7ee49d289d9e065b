//! The answer to "what is this error?": facts read from the text and ranked matches.
//!
//! ```
//! use adf_troubleshooter::{explain, Confidence};
//! let d = explain("Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'id'");
//! assert!(d.matches.iter().all(|m| m.confidence != Confidence::High));
//! ```

use crate::facts::{self, Facts, MAX_INPUT_BYTES};
use crate::matcher::{Index, Signal};
use crate::normalize::Normalized;
use serde::Serialize;

/// How sure the engine is that a match is the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// Matches below this score are not reported at all.
const REPORT_MIN_SCORE: f32 = 2.5;
const MEDIUM_MIN_SCORE: f32 = 6.0;
const HIGH_MIN_SCORE: f32 = 10.0;
const MAX_MATCHES: usize = 5;
/// A runner-up this close to a `high` best match makes the answer ambiguous.
const AMBIGUOUS_RATIO: f32 = 0.85;

/// What was recognised in one error text.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub facts: Facts,
    /// Best first; empty when nothing known fits.
    pub matches: Vec<Match>,
    /// True when two or more entries fit about equally well with high confidence.
    pub ambiguous: bool,
}

/// A knowledge entry that fits the text, with the evidence for it.
#[derive(Debug, Clone, Serialize)]
pub struct Match {
    pub id: String,
    pub title: String,
    pub source: String,
    pub confidence: Confidence,
    /// Sum of evidence weights, rounded to two decimals.
    pub score: f32,
    pub evidence: Vec<Evidence>,
}

/// One signal that matched, and where (character offsets into the input, end exclusive).
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// `code`, `message`, `keyword`, `connector`, `side` or `runtime`.
    pub signal: &'static str,
    /// The knowledge value that matched (a code, a message, a keyword...).
    pub value: String,
    pub weight: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

/// Explains one error text. Never panics; any input gets an answer, possibly with no match.
pub fn explain(text: &str) -> Diagnosis {
    let (text, truncated) = clip(text);
    let cleaned = Normalized::new(text);
    let mut facts = facts::extract_cleaned(&cleaned.text);
    facts.truncated = truncated;
    let ranked = Index::shared().rank(&cleaned, &facts);

    let mut byte_offsets = Vec::new();
    let mut matches: Vec<Match> = ranked
        .into_iter()
        .filter(|r| r.score >= REPORT_MIN_SCORE)
        .take(MAX_MATCHES)
        .map(|r| {
            let confidence = if r.strong && r.score >= HIGH_MIN_SCORE {
                Confidence::High
            } else if r.score >= MEDIUM_MIN_SCORE {
                Confidence::Medium
            } else {
                Confidence::Low
            };
            let evidence = r
                .found
                .iter()
                .map(|f| {
                    let range = f.range.map(|(s, e)| cleaned.original_range(s, e, text));
                    if let Some((s, e)) = range {
                        byte_offsets.extend([s, e]);
                    }
                    Evidence {
                        signal: signal_name(f.signal),
                        value: f.value.clone(),
                        weight: round(f.weight),
                        start: range.map(|r| r.0),
                        end: range.map(|r| r.1),
                    }
                })
                .collect();
            Match {
                id: r.entry.id.clone(),
                title: r.entry.title.clone(),
                source: r.entry.source.clone(),
                confidence,
                score: round(r.score),
                evidence,
            }
        })
        .collect();
    to_char_offsets(text, &mut byte_offsets, &mut matches);
    let ambiguous = match matches.as_slice() {
        [first, second, ..] => {
            first.confidence == Confidence::High
                && second.confidence == Confidence::High
                && second.score >= first.score * AMBIGUOUS_RATIO
        }
        _ => false,
    };
    Diagnosis {
        facts,
        matches,
        ambiguous,
    }
}

fn clip(text: &str) -> (&str, bool) {
    if text.len() <= MAX_INPUT_BYTES {
        return (text, false);
    }
    (&text[..text.floor_char_boundary(MAX_INPUT_BYTES)], true)
}

/// Rewrites evidence byte offsets as character offsets in one pass over the text.
fn to_char_offsets(text: &str, byte_offsets: &mut Vec<usize>, matches: &mut [Match]) {
    byte_offsets.sort_unstable();
    byte_offsets.dedup();
    let mut chars_before = Vec::with_capacity(byte_offsets.len());
    let (mut at, mut chars) = (0, 0);
    for &offset in byte_offsets.iter() {
        chars += text[at..offset].chars().count();
        at = offset;
        chars_before.push(chars);
    }
    let lookup = |b: usize| chars_before[byte_offsets.binary_search(&b).unwrap_or(0)];
    for evidence in matches.iter_mut().flat_map(|m| m.evidence.iter_mut()) {
        evidence.start = evidence.start.map(lookup);
        evidence.end = evidence.end.map(lookup);
    }
}

fn signal_name(signal: Signal) -> &'static str {
    match signal {
        Signal::Code => "code",
        Signal::Message => "message",
        Signal::Keyword => "keyword",
        Signal::Connector => "connector",
        Signal::Side => "side",
        Signal::Runtime => "runtime",
    }
}

fn round(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}
