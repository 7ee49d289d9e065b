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

use crate::hash::WordSet;
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

/// Words too common in error texts and the articles to tell entries apart, sorted: every word
/// of every text is looked up here.
const STOP_WORDS: &[&str] = &[
    "activity",
    "all",
    "also",
    "and",
    "any",
    "are",
    "azure",
    "been",
    "being",
    "but",
    "can",
    "check",
    "clientlibrary",
    "code",
    "com",
    "common",
    "could",
    "data",
    "datatransfer",
    "details",
    "did",
    "does",
    "error",
    "errors",
    "exception",
    "factory",
    "fail",
    "failed",
    "failure",
    "false",
    "for",
    "from",
    "happened",
    "has",
    "have",
    "how",
    "http",
    "https",
    "hybriddeliveryexception",
    "into",
    "its",
    "may",
    "message",
    "microsoft",
    "might",
    "more",
    "net",
    "not",
    "null",
    "occurred",
    "one",
    "only",
    "operation",
    "other",
    "pipeline",
    "please",
    "see",
    "shared",
    "should",
    "side",
    "sink",
    "some",
    "source",
    "such",
    "system",
    "target",
    "than",
    "that",
    "the",
    "their",
    "then",
    "there",
    "they",
    "this",
    "true",
    "two",
    "type",
    "use",
    "used",
    "user",
    "usererror",
    "using",
    "was",
    "were",
    "what",
    "when",
    "which",
    "why",
    "will",
    "with",
    "would",
    "www",
    "you",
    "your",
];

/// One entry the text's words point to.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub entry: usize,
    /// Relative to the best suggestion (1.0).
    pub similarity: f32,
    /// The most telling words the text shares with the entry.
    pub shared_words: Vec<String>,
}

/// BM25 over a set of documents (word lists).
struct Bm25 {
    /// word -> (document, term frequency)
    postings: HashMap<String, Vec<(usize, u16)>>,
    lengths: Vec<f32>,
    average_length: f32,
}

impl Bm25 {
    fn build<'w>(documents: impl Iterator<Item = Vec<&'w str>>) -> Bm25 {
        let mut postings: HashMap<String, Vec<(usize, u16)>> = HashMap::new();
        let mut lengths = Vec::new();
        let mut counts: HashMap<&str, u16> = HashMap::new();
        for (index, words) in documents.enumerate() {
            lengths.push(words.len() as f32);
            counts.clear();
            for word in words {
                *counts.entry(word).or_default() += 1;
            }
            for (&word, &count) in &counts {
                match postings.get_mut(word) {
                    Some(list) => list.push((index, count)),
                    None => {
                        postings.insert(word.to_string(), vec![(index, count)]);
                    }
                }
            }
        }
        let average_length = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
        Bm25 {
            postings,
            lengths,
            average_length: average_length.max(1.0),
        }
    }

    /// A word as this index holds it, with its IDF and postings, if any document holds it.
    fn word(&self, word: &str) -> Option<QueryWord<'_>> {
        let (word, list) = self.postings.get_key_value(word)?;
        let documents = self.lengths.len() as f32;
        let n = list.len() as f32;
        let idf = ((documents - n + 0.5) / (n + 0.5) + 1.0).ln();
        Some(QueryWord { word, idf, list })
    }

    /// Each document's score for the query words (0.0: it shares none), by document. Dense:
    /// a query touches most documents, and an array beats a map per query.
    fn scores(&self, query: &[QueryWord]) -> Vec<f32> {
        let mut scores = vec![0.0; self.lengths.len()];
        for word in query {
            for &(document, tf) in word.list {
                let tf = f32::from(tf);
                let norm = 1.0 - B + B * self.lengths[document] / self.average_length;
                scores[document] += word.idf * tf * (K1 + 1.0) / (tf + K1 * norm);
            }
        }
        scores
    }
}

/// A query word a BM25 index holds.
struct QueryWord<'i> {
    word: &'i str,
    idf: f32,
    list: &'i [(usize, u16)],
}

/// Related-text ranking over the embedded knowledge: each entry, and the article it comes from.
pub struct Related {
    entries: Bm25,
    articles: Bm25,
    article_of: Vec<usize>,
}

impl Related {
    pub fn shared() -> &'static Related {
        static RELATED: OnceLock<Related> = OnceLock::new();
        RELATED.get_or_init(|| Related::build(knowledge::entries()))
    }

    pub fn build(entries: &[Entry]) -> Related {
        // Each entry's text is cut into words once; its article's document reuses them.
        let documents: Vec<Vec<String>> = entries
            .iter()
            .map(|entry| document(entry).flat_map(terms).collect())
            .collect();
        let mut guides: Vec<&str> = Vec::new();
        let article_of: Vec<usize> = entries
            .iter()
            .map(|e| match guides.iter().position(|g| *g == e.guide) {
                Some(at) => at,
                None => {
                    guides.push(&e.guide);
                    guides.len() - 1
                }
            })
            .collect();
        let articles = (0..guides.len()).map(|article| {
            documents
                .iter()
                .zip(&article_of)
                .filter(|&(_, &a)| a == article)
                .flat_map(|(words, _)| words.iter().map(String::as_str))
                .collect()
        });
        Related {
            entries: Bm25::build(
                documents
                    .iter()
                    .map(|words| words.iter().map(String::as_str).collect()),
            ),
            articles: Bm25::build(articles),
            article_of,
        }
    }

    /// Entries sharing telling words with `text`, most similar first. An entry's similarity is
    /// its own BM25 score smoothed with its article's: a text about slow copies or about
    /// Dynamics finds the right article even when its words miss the right section.
    pub fn similar(&self, text: &str) -> Vec<Suggestion> {
        let text = &text[..text.floor_char_boundary(MAX_QUERY_BYTES)];
        let mut query: Vec<QueryWord> = Vec::new();
        for_each_term(text, |term| match expanded(term) {
            Some(words) => query.extend(words.iter().filter_map(|w| self.entries.word(w))),
            None => query.extend(self.entries.word(term)),
        });
        // In word order, as the scores are summed: the same floating-point sums every time.
        query.sort_unstable_by(|a, b| a.word.cmp(b.word));
        query.dedup_by(|a, b| a.word == b.word);
        let scores = self.entries.scores(&query);
        // Plain loops over the dense scores: iterator adapters are calls in the size-optimised
        // wasm, and these run over every entry.
        let mut best = 0.0f32;
        for &score in &scores {
            best = best.max(score);
        }
        if best <= 0.0 {
            return Vec::new();
        }
        // The articles' documents are made of the entries' words: a word no entry holds is in
        // no article either.
        let article_query: Vec<QueryWord> = query
            .iter()
            .filter_map(|q| self.articles.word(q.word))
            .collect();
        let articles = self.articles.scores(&article_query);
        let mut best_article = f32::MIN_POSITIVE;
        for &score in &articles {
            best_article = best_article.max(score);
        }
        // The best few, kept in order while the entries are read (the order is total).
        let before = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)) == std::cmp::Ordering::Less
        };
        let mut ranked: Vec<(usize, f32)> = Vec::with_capacity(MAX_SUGGESTIONS + 1);
        for entry in 0..scores.len() {
            let score = scores[entry];
            if score <= 0.0 {
                continue;
            }
            let article = articles[self.article_of[entry]];
            let candidate = (entry, score / best + ARTICLE_SHARE * article / best_article);
            if ranked.len() == MAX_SUGGESTIONS && !before(&candidate, &ranked[MAX_SUGGESTIONS - 1])
            {
                continue;
            }
            let at = ranked.partition_point(|r| before(r, &candidate));
            ranked.insert(at, candidate);
            ranked.truncate(MAX_SUGGESTIONS);
        }
        // The shared words of the kept entries, in query order, in one pass over the postings.
        let mut kept = vec![0u8; scores.len()];
        for (at, &(entry, _)) in ranked.iter().enumerate() {
            kept[entry] = at as u8 + 1;
        }
        let mut shared: Vec<Vec<(f32, &str)>> = vec![Vec::new(); ranked.len()];
        for word in &query {
            for &(document, _) in word.list {
                if let Some(at) = usize::from(kept[document]).checked_sub(1) {
                    shared[at].push((word.idf, word.word));
                }
            }
        }
        let Some(&(_, best_combined)) = ranked.first() else {
            return Vec::new();
        };
        if shared[0].len() < MIN_SHARED_WORDS {
            return Vec::new();
        }
        ranked
            .into_iter()
            .zip(shared)
            .map(|((entry, score), mut words)| {
                words.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                Suggestion {
                    entry,
                    similarity: score / best_combined,
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

/// Calls `found` with each term of a text (see [`terms`]), each distinct word of the text cut
/// into terms once: a log repeats its words.
fn for_each_term(text: &str, mut found: impl FnMut(&str)) {
    let mut seen = WordSet::default();
    let mut term = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let end = at;
        // Past the separator; a run of letters and digits never starts inside a character.
        at += 1;
        // Numbers are no terms: dates, times and counters fill logs.
        let number = bytes[start..end].iter().all(u8::is_ascii_digit);
        if !(3..=64).contains(&(end - start)) || number || !seen.insert(&text[start..end]) {
            continue;
        }
        let word = &text[start..end];
        let parts = camel_parts(word);
        let whole = (parts.len() > 1).then_some(word);
        for part in whole.into_iter().chain(parts) {
            term.clear();
            term.push_str(part);
            term.make_ascii_lowercase();
            if to_term(&mut term) {
                found(&term);
            }
        }
    }
}

/// How much the article's similarity adds to an entry's own (1.0 = the entry's best).
const ARTICLE_SHARE: f32 = 0.3;

/// Short names users write for what the articles spell out.
const ALIASES: &[(&str, &[&str])] = &[
    ("d365", &["dynamics"]),
    ("crm", &["dynamics"]),
    ("dataverse", &["dynamics"]),
    ("cosmosdb", &["cosmos"]),
    ("adls", &["lake", "adls"]),
    ("gen2", &["gen2", "lake"]),
    ("shir", &["self", "hosted", "shir"]),
    ("postgre", &["postgresql"]),
    ("postgres", &["postgresql"]),
    ("mssql", &["sql"]),
    ("sqldw", &["synapse"]),
    // Users say a copy is slow; the articles speak of performance and throughput.
    ("slow", &["slow", "performance", "throughput"]),
    ("slowly", &["slow", "performance", "throughput"]),
];

/// The articles' words for a term users write their own way, if it is one.
fn expanded(term: &str) -> Option<&'static [&'static str]> {
    ALIASES
        .iter()
        .find(|(alias, _)| *alias == term)
        .map(|(_, words)| *words)
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
            to_term(&mut w).then_some(w)
        })
}

/// A lowercase word as a term: a plural `s` dropped; `false` when it is none (too short, a
/// number, a stop word).
fn to_term(w: &mut String) -> bool {
    if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") {
        w.pop();
    }
    w.len() >= 3
        && !w.bytes().all(|b| b.is_ascii_digit())
        && STOP_WORDS.binary_search(&w.as_str()).is_err()
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

    /// A user's words reach the articles' words: "slow" is how users say "performance".
    #[test]
    fn aliases_bring_the_articles_words() {
        assert_eq!(
            expanded("slow"),
            Some(&["slow", "performance", "throughput"][..])
        );
        assert_eq!(expanded("d365"), Some(&["dynamics"][..]));
        assert_eq!(expanded("copy"), None);
        let slow = Related::shared().similar("why is my copy from table storage so slow");
        let guides: Vec<&str> = slow
            .iter()
            .take(3)
            .map(|s| knowledge::entries()[s.entry].guide.as_str())
            .collect();
        assert!(
            guides.contains(&"copy-activity-performance-troubleshooting"),
            "{guides:?}"
        );
    }

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn unrelated_text_gets_no_suggestion() {
        assert!(Related::shared().similar("hello world").is_empty());
        assert!(Related::shared().similar("").is_empty());
    }
}
