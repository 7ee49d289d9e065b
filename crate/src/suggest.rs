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
//! `user error failed file operation`). Documents and texts are cut into words and into pairs
//! of words that follow each other in a phrase (`option_set`), a pair weighing half a word as
//! rare. Similarities are relative to the best entry, so they
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
/// From this many shared words on, a suggestion has its full support.
const FULL_SUPPORT_WORDS: usize = 5;
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

/// Per entry: its BM25 score and the shared words with their weights.
type Scores<'a> = HashMap<usize, (f32, Vec<(f32, &'a str)>)>;

/// One entry the text's words point to.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub entry: usize,
    /// Relative to the best suggestion (1.0).
    pub similarity: f32,
    /// How much the shared words can say, from 0 to 1: a lead from three words (a short
    /// message) is weaker than one from many, however it ranks.
    pub support: f32,
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

    /// Each document's score for the query words, with the words it shares and their IDF.
    fn scores<'q>(&self, query: &'q [String]) -> Scores<'q> {
        let documents = self.lengths.len() as f32;
        let mut scores: Scores = HashMap::new();
        for word in query {
            let Some(list) = self.postings.get(word) else {
                continue;
            };
            let n = list.len() as f32;
            let share = if word.contains('_') { PAIR_SHARE } else { 1.0 };
            let idf = share * ((documents - n + 0.5) / (n + 0.5) + 1.0).ln();
            for &(document, tf) in list {
                let tf = f32::from(tf);
                let norm = 1.0 - B + B * self.lengths[document] / self.average_length;
                let slot = scores.entry(document).or_default();
                slot.0 += idf * tf * (K1 + 1.0) / (tf + K1 * norm);
                slot.1.push((idf, word));
            }
        }
        scores
    }
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
            .map(|entry| document(entry).flat_map(terms_and_pairs).collect())
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
        let mut query: Vec<String> = terms_and_pairs(text).flat_map(with_aliases).collect();
        query.sort_unstable();
        query.dedup();
        let scores = self.entries.scores(&query);
        let Some(best) = scores.values().map(|s| s.0).reduce(f32::max) else {
            return Vec::new();
        };
        let articles = self.articles.scores(&query);
        let best_article = articles
            .values()
            .map(|s| s.0)
            .fold(f32::MIN_POSITIVE, f32::max);
        let mut ranked: Vec<_> = scores
            .into_iter()
            .map(|(entry, (score, words))| {
                let article = articles.get(&self.article_of[entry]).map_or(0.0, |a| a.0);
                let combined = score / best + ARTICLE_SHARE * article / best_article;
                (entry, combined, words)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let Some((_, best_combined, words)) = ranked.first() else {
            return Vec::new();
        };
        if words.len() < MIN_SHARED_WORDS {
            return Vec::new();
        }
        let best_combined = *best_combined;
        ranked
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(entry, score, mut words)| {
                words.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
                Suggestion {
                    entry,
                    similarity: score / best_combined,
                    support: (single_words(&words) as f32 / FULL_SUPPORT_WORDS as f32).min(1.0),
                    // Pairs repeat words already shown.
                    shared_words: words
                        .into_iter()
                        .filter(|(_, w)| !w.contains('_'))
                        .take(SHOWN_WORDS)
                        .map(|(_, w)| w.to_string())
                        .collect(),
                }
            })
            .collect()
    }
}

/// What a pair of words is worth against a single word of the same rarity: a pair is rarer
/// than its words, and its words already count.
const PAIR_SHARE: f32 = 0.5;

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

/// A word, or the words its alias stands for, read as the documents' words are (`dynamics` is
/// the term `dynamic`).
fn with_aliases(word: String) -> Vec<String> {
    match ALIASES.iter().find(|(alias, _)| *alias == word) {
        Some((_, expanded)) => expanded.iter().flat_map(|w| terms(w)).collect(),
        None => vec![word],
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
                && STOP_WORDS.binary_search(&w.as_str()).is_err())
            .then_some(w)
        })
}

/// How many of the shared terms are single words, not pairs.
fn single_words(words: &[(f32, &str)]) -> usize {
    words.iter().filter(|(_, w)| !w.contains('_')).count()
}

/// The terms of a text, then each pair of telling words that follow each other in one phrase
/// (`option set`, `service token`): a pair an entry shares says more than its two words apart.
fn terms_and_pairs(text: &str) -> impl Iterator<Item = String> + '_ {
    let pairs = text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == ' ' || c == '-'))
        .flat_map(|phrase| {
            let words: Vec<String> = phrase
                .split([' ', '-'])
                .filter(|w| camel_parts(w).len() == 1)
                .flat_map(terms)
                .map(|w| alias_of(&w).and_then(|one| terms(one).next()).unwrap_or(w))
                .collect();
            words
                .windows(2)
                .map(|pair| format!("{}_{}", pair[0], pair[1]))
                .collect::<Vec<_>>()
        });
    terms(text).chain(pairs)
}

/// The single word an alias stands for, when it stands for one (`d365` is `dynamics`).
fn alias_of(word: &str) -> Option<&'static str> {
    match ALIASES.iter().find(|(alias, _)| *alias == word) {
        Some((_, [one])) => Some(one),
        _ => None,
    }
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
            with_aliases("slow".into()),
            ["slow", "performance", "throughput"]
        );
        // Read as the documents' words are: `Dynamics` there is the term `dynamic`.
        assert_eq!(with_aliases("d365".into()), ["dynamic"]);
        assert_eq!(
            with_aliases("cosmosdb".into()),
            terms("Cosmos").collect::<Vec<_>>()
        );
        assert_eq!(with_aliases("copy".into()), ["copy"]);
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
    fn pairs_follow_each_other_within_a_phrase() {
        let found: Vec<String> =
            terms_and_pairs("The gateway key has expired, then the D365 plugin").collect();
        assert!(found.contains(&"gateway_key".to_string()), "{found:?}");
        // Stop words drop out of a phrase; an alias stands for its word; a comma ends a phrase.
        assert!(found.contains(&"key_expired".to_string()), "{found:?}");
        assert!(found.contains(&"dynamic_plugin".to_string()), "{found:?}");
        assert!(
            !found.iter().any(|w| w.starts_with("expired_")),
            "{found:?}"
        );
    }

    fn entry(id: &str, symptoms: &str) -> Entry {
        serde_json::from_value(serde_json::json!({
            "id": id, "guide": id, "title": id, "products": ["adf"], "source": "s",
            "symptoms": [["text", symptoms, []]], "cause": [], "resolution": [],
        }))
        .unwrap()
    }

    /// The entry holding the user's phrase comes before one holding its words apart.
    #[test]
    fn a_shared_pair_ranks_first() {
        let entries = [
            entry("apart", "the set of columns shows an option to pick labels"),
            entry(
                "phrase",
                "the option set labels are missing from the columns of every table we read",
            ),
            entry("other", "the copy is slow when the sink is busy"),
        ];
        let related = Related::build(&entries);
        let found = related.similar("columns for the option set labels are empty");
        assert_eq!(entries[found[0].entry].id, "phrase");
        assert!(found[1].similarity < 1.0);
    }

    /// Three shared words are a weaker lead than five, whatever they rank.
    #[test]
    fn few_shared_words_support_a_lead_less() {
        let short = Related::shared().similar("Lookup timeout, retry later");
        assert!(!short.is_empty() && short[0].support < 1.0, "{short:?}");
        let long = Related::shared().similar(
            "the self-hosted integration runtime node shows limited, offline after a certificate change",
        );
        assert_eq!(long[0].support, 1.0);
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
