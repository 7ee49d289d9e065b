//! Related-text suggestions: BM25 over each entry's whole text, for when no code or message
//! decides.
//!
//! ```
//! use adf_troubleshooter::{knowledge, suggest::Related};
//! let found = Related::shared().similar("the self-hosted integration runtime node shows limited, offline after a certificate change");
//! assert!(!found.is_empty() && found[0].similarity == 1.0);
//! assert!(found.windows(2).all(|w| w[0].similarity >= w[1].similarity));
//! ```
//!
//! An entry's document is its title (counted twice), symptoms, cause, resolution, messages,
//! keywords, codes and connectors (the resolution's words are how users describe what they tried
//! and what they see: DIUs, parallel copies, a node's CPU); error codes also count by their words (`UserErrorFailedFileOperation` is
//! `user error failed file operation`). Similarities are relative to the best entry, so they
//! rank; the scoring module decides what they are worth (never more than `low`).

use crate::knowledge::{self, Entry};
use std::collections::HashMap;
use std::sync::OnceLock;

const K1: f32 = 1.2;
const B: f32 = 0.75;
/// The best entry must share at least this many distinct words with the text.
const MIN_SHARED_WORDS: usize = 3;
/// Words read from a long text: the start of an error holds what identifies it.
const MAX_QUERY_BYTES: usize = 16 * 1024;
const MAX_SUGGESTIONS: usize = 8;
const SHOWN_WORDS: usize = 5;

/// Words too common in error texts and the articles to tell entries apart.
const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "are",
    "was",
    "not",
    "you",
    "your",
    "with",
    "this",
    "that",
    "from",
    "when",
    "have",
    "has",
    "can",
    "but",
    "its",
    "use",
    "using",
    "used",
    "into",
    "than",
    "then",
    "there",
    "their",
    "they",
    "which",
    "will",
    "would",
    "should",
    "could",
    "may",
    "might",
    "all",
    "any",
    "one",
    "two",
    "also",
    "more",
    "other",
    "some",
    "such",
    "only",
    "does",
    "did",
    "been",
    "being",
    "were",
    "what",
    "how",
    "why",
    "error",
    "errors",
    "message",
    "failed",
    "fail",
    "failure",
    "occurred",
    "please",
    "check",
    "see",
    "type",
    "source",
    "sink",
    "activity",
    "operation",
    "target",
    "code",
    "details",
    "http",
    "https",
    "www",
    "com",
    "net",
    "microsoft",
    "azure",
    "data",
    "factory",
    "pipeline",
    "user",
    "usererror",
    "system",
    "exception",
    "datatransfer",
    "common",
    "shared",
    "hybriddeliveryexception",
    "clientlibrary",
    "null",
    "true",
    "false",
    "side",
    "happened",
];

/// Per entry: its BM25 score and the shared words with their weights.
type Scores<'a> = HashMap<usize, (f32, Vec<(f32, &'a str)>)>;

/// One entry the text's words point to.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub entry: usize,
    /// Relative to the best suggestion (1.0).
    pub similarity: f32,
    /// The most telling words the text shares with the entry.
    pub shared_words: Vec<String>,
}

/// The BM25 index over the embedded knowledge.
pub struct Related {
    /// word -> (entry, term frequency)
    postings: HashMap<String, Vec<(usize, u16)>>,
    lengths: Vec<f32>,
    average_length: f32,
}

impl Related {
    pub fn shared() -> &'static Related {
        static RELATED: OnceLock<Related> = OnceLock::new();
        RELATED.get_or_init(|| Related::build(knowledge::entries()))
    }

    pub fn build(entries: &[Entry]) -> Related {
        let mut postings: HashMap<String, Vec<(usize, u16)>> = HashMap::new();
        let mut lengths = Vec::with_capacity(entries.len());
        for (index, entry) in entries.iter().enumerate() {
            let mut counts: HashMap<String, u16> = HashMap::new();
            let mut length = 0usize;
            for text in document(entry) {
                for word in terms(text) {
                    *counts.entry(word).or_default() += 1;
                    length += 1;
                }
            }
            lengths.push(length as f32);
            for (word, count) in counts {
                postings.entry(word).or_default().push((index, count));
            }
        }
        let average_length = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
        Related {
            postings,
            lengths,
            average_length: average_length.max(1.0),
        }
    }

    /// Entries sharing telling words with `text`, most similar first.
    pub fn similar(&self, text: &str) -> Vec<Suggestion> {
        let text = &text[..text.floor_char_boundary(MAX_QUERY_BYTES)];
        let mut query: Vec<String> = terms(text).collect();
        query.sort_unstable();
        query.dedup();
        let entries = self.lengths.len() as f32;
        let mut scores: Scores = HashMap::new();
        for word in &query {
            let Some(list) = self.postings.get(word) else {
                continue;
            };
            let n = list.len() as f32;
            let idf = ((entries - n + 0.5) / (n + 0.5) + 1.0).ln();
            for &(entry, tf) in list {
                let tf = f32::from(tf);
                let norm = 1.0 - B + B * self.lengths[entry] / self.average_length;
                let score = idf * tf * (K1 + 1.0) / (tf + K1 * norm);
                let slot = scores.entry(entry).or_default();
                slot.0 += score;
                slot.1.push((idf, word));
            }
        }
        let mut ranked: Vec<_> = scores.into_iter().collect();
        ranked.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
        let Some(best) = ranked.first().filter(|b| b.1 .1.len() >= MIN_SHARED_WORDS) else {
            return Vec::new();
        };
        let best_score = best.1 .0;
        ranked
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(entry, (score, mut words))| {
                words.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                Suggestion {
                    entry,
                    similarity: score / best_score,
                    shared_words: words
                        .into_iter()
                        .take(SHOWN_WORDS)
                        .map(|(_, w)| w.to_string())
                        .collect(),
                }
            })
            .collect()
    }
}

/// The texts that make up an entry's document.
fn document(entry: &Entry) -> impl Iterator<Item = &str> {
    [entry.title.as_str(), entry.title.as_str()]
        .into_iter()
        .chain(entry.symptoms.iter().map(|b| b.text()))
        .chain(entry.cause.iter().map(|b| b.text()))
        .chain(entry.resolution.iter().map(|b| b.text()))
        .chain(entry.messages.iter().map(String::as_str))
        .chain(entry.keywords.iter().map(String::as_str))
        .chain(entry.codes.iter().map(String::as_str))
        .chain(entry.context.connectors.iter().map(String::as_str))
}

/// Lowercase ASCII words of three letters or more, stop words out, a plural `s` dropped; words
/// in camel case also count by their parts.
fn terms(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3 && w.len() <= 64)
        .flat_map(|word| {
            let parts = camel_parts(word);
            let whole = (parts.len() > 1).then_some(word);
            whole.into_iter().chain(parts)
        })
        .filter_map(|w| {
            let mut w = w.to_ascii_lowercase();
            if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
                w.pop();
            }
            (w.len() >= 3
                && !w.bytes().all(|b| b.is_ascii_digit())
                && !STOP_WORDS.contains(&w.as_str()))
            .then_some(w)
        })
}

/// `UserErrorFailedFileOperation` -> `User`, `Error`, `Failed`, `File`, `Operation`.
fn camel_parts(word: &str) -> Vec<&str> {
    let bytes = word.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..bytes.len() {
        let lower_to_upper = bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase();
        if lower_to_upper {
            parts.push(&word[start..i]);
            start = i;
        }
    }
    parts.push(&word[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_codes_and_drop_noise() {
        let found: Vec<String> =
            terms("ErrorCode=UserErrorFailedFileOperation, the files at 10.0.0.1").collect();
        assert_eq!(
            found,
            ["errorcode", "usererrorfailedfileoperation", "file", "file"]
        );
    }

    #[test]
    fn unrelated_text_gets_no_suggestion() {
        assert!(Related::shared().similar("hello world").is_empty());
        assert!(Related::shared().similar("").is_empty());
    }
}
