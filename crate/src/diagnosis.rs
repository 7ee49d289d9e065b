//! The answer to "what is this error?": facts read from the text and ranked matches.
//!
//! ```
//! use adf_troubleshooter::{explain, Confidence};
//! let d = explain("Traceback (most recent call last):\n  File \"x.py\", line 1\nKeyError: 'id'");
//! assert!(d.matches.iter().all(|m| m.confidence != Confidence::High));
//! ```

use crate::facts::{self, Facts, MAX_INPUT_BYTES};
use crate::matcher::{Aspect, Index, Placement, Signal};
use crate::normalize::Normalized;
pub use crate::scoring::Confidence;
use crate::scoring::{self, effective_share};
use crate::secrets::{self, Secret};
use crate::suggest::Related;
use serde::Serialize;

/// What was recognised in one error text.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub facts: Facts,
    /// Best first; empty when nothing known fits.
    pub matches: Vec<Match>,
    /// True when the runner-up fits about as well as the best match (same confidence, nearly
    /// the same score): the answer is "one of these".
    pub ambiguous: bool,
    /// Where the text quotes secrets (keys, passwords, tokens), by character offsets like the
    /// evidence: whoever shows or stores the text can mask them. Empty in the extension's wasm,
    /// which leaves the field out: its cards mask secrets themselves, and every byte of wasm
    /// counts there.
    #[cfg_attr(target_arch = "wasm32", serde(skip))]
    pub secrets: Vec<Secret>,
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
    /// `code`, `message`, `keyword`, `connector`, `side`, `runtime`, `wrapper`, `activity`,
    /// `symptom` or `related`.
    pub signal: &'static str,
    /// How it matched: for a code `in-position`, `in-text` or `split` (`family` or
    /// `family-in-position` when the knowledge base holds other codes of its family only); for
    /// a message `whole`, `partial` or `truncated`; for context `agrees` or `contradicts`.
    #[serde(skip_serializing_if = "str::is_empty")]
    pub how: &'static str,
    /// The code or message is one that many problems or products show: it supports only.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub generic: bool,
    /// The knowledge value that matched (a code, a message, a keyword; for `related`, the
    /// shared words).
    pub value: String,
    pub weight: f32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<usize>,
}

impl Diagnosis {
    /// The matches that fit about as well as the best one, the best included: "one of these".
    pub fn tied_with_best(&self) -> &[Match] {
        &self.matches[..tied_with_best(&self.matches)]
    }
}

impl Match {
    /// Whether `other` fits about as well as this match: the same confidence, nearly the same
    /// score, and no place the text names (failing side, runtime kind) that agrees with this
    /// match and not with `other`. Entries that document the same error apart (the Blob article
    /// and the managed virtual network's) are told apart by that context, however little it
    /// weighs beside the error they share.
    pub fn ties_with(&self, other: &Match) -> bool {
        let placed = |m: &Match, aspect: &str| {
            m.evidence
                .iter()
                .any(|e| e.signal == aspect && e.how == "agrees")
        };
        let placed_apart = ["side", "runtime"]
            .iter()
            .any(|aspect| placed(self, aspect) && !placed(other, aspect));
        !placed_apart && scoring::ties(self.confidence, self.score, other.confidence, other.score)
    }
}

/// How many matches, from the first, fit about as well as the first.
fn tied_with_best(matches: &[Match]) -> usize {
    let Some(best) = matches.first() else {
        return 0;
    };
    matches.iter().take_while(|m| best.ties_with(m)).count()
}

/// Explains one error text. Never panics; any input gets an answer, possibly with no match.
pub fn explain(text: &str) -> Diagnosis {
    explain_with(Index::shared(), Related::shared(), text)
}

/// Explains one error text against a knowledge base of one's own (an entry being written).
pub fn explain_with(index: &Index, related: &Related, text: &str) -> Diagnosis {
    let (text, truncated) = clip(text);
    let cleaned = Normalized::new(text);
    let mut facts = facts::extract_cleaned(&cleaned.text);
    facts.truncated = truncated;
    let ranked = scoring::rank(index, related, &cleaned, &facts);

    let mut byte_offsets = Vec::new();
    let mut matches: Vec<Match> = ranked
        .into_iter()
        .map(|r| {
            let evidence = r
                .evidence
                .iter()
                .map(|w| {
                    let range = w
                        .found
                        .range
                        .map(|(s, e)| cleaned.original_range(s, e, text));
                    if let Some((s, e)) = range {
                        byte_offsets.extend([s, e]);
                    }
                    let (signal, how, generic) = describe(&w.found.signal);
                    Evidence {
                        signal,
                        how,
                        generic,
                        value: w.found.value.to_string(),
                        weight: round(w.weight),
                        start: range.map(|r| r.0),
                        end: range.map(|r| r.1),
                    }
                })
                .collect();
            Match {
                id: r.entry.id.clone(),
                title: r.entry.title.clone(),
                source: r.entry.source.clone(),
                confidence: r.confidence,
                score: round(r.score),
                evidence,
            }
        })
        .collect();
    to_char_offsets(text, &mut byte_offsets, &mut matches);
    Diagnosis {
        facts,
        ambiguous: tied_with_best(&matches) > 1,
        matches,
        secrets: if cfg!(target_arch = "wasm32") {
            Vec::new()
        } else {
            secrets::locate(text)
        },
    }
}

/// The evidence's signal name, how it matched, and whether it is generic.
fn describe(signal: &Signal) -> (&'static str, &'static str, bool) {
    match *signal {
        Signal::Code {
            placement, generic, ..
        } => {
            let how = match placement {
                Placement::Position => "in-position",
                Placement::Text => "in-text",
                Placement::Split => "split",
            };
            ("code", how, generic)
        }
        Signal::Message {
            truncated, generic, ..
        } => {
            let how = if effective_share(signal) >= 0.999 {
                "whole"
            } else if truncated {
                "truncated"
            } else {
                "partial"
            };
            ("message", how, generic)
        }
        Signal::Family { placement, .. } => {
            let how = if placement == Placement::Position {
                "family-in-position"
            } else {
                "family"
            };
            ("code", how, true)
        }
        Signal::Keyword { .. } => ("keyword", "", false),
        Signal::Connector => ("connector", "agrees", false),
        Signal::Context { aspect, agrees } => {
            let name = match aspect {
                Aspect::Side => "side",
                Aspect::Runtime => "runtime",
                Aspect::Connector => "connector",
                Aspect::Wrapper => "wrapper",
                Aspect::Activity => "activity",
            };
            (name, if agrees { "agrees" } else { "contradicts" }, false)
        }
        Signal::Symptom => ("symptom", "agrees", false),
        Signal::Related { .. } => ("related", "", false),
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
    crate::sort::sort(byte_offsets);
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

fn round(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}
