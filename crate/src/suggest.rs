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

use crate::bm25::{Bm25, QueryWord};
use crate::hash::NumberSet;
use crate::knowledge::Entry;
use adf_scan::words::Words;
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

/// Related-text ranking over the embedded knowledge: each entry, and the article it comes from.
/// `build.rs` builds it for the bundled entries; the engine reads it in place from the bytes.
pub struct Related {
    entries: Bm25,
    articles: Bm25,
    article_of: Vec<usize>,
}

impl Related {
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
        let entries = Bm25::build(
            documents
                .iter()
                .map(|words| words.iter().map(String::as_str).collect())
                .collect(),
        );
        // An article's words are its entries' words: the two tables share them.
        let articles = Bm25::build_sharing(articles.collect(), &entries);
        Related {
            entries,
            articles,
            article_of,
        }
    }

    /// The tables as bytes, for [`Related::read`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.entries.to_bytes(true);
        // The articles' words are the entries'.
        out.extend(self.articles.to_bytes(false));
        out.extend(postcard::to_allocvec(&self.article_of).unwrap_or_default());
        out
    }

    /// Reads what [`Related::to_bytes`] wrote, in place.
    pub fn read(bytes: &'static [u8]) -> Option<Related> {
        let (entries, rest) = Bm25::read(bytes, None)?;
        let (articles, rest) = Bm25::read(rest, Some(&entries))?;
        let article_of = postcard::from_bytes(rest).ok()?;
        Some(Related {
            entries,
            articles,
            article_of,
        })
    }

    /// Entries sharing telling words with `text`, most similar first. An entry's similarity is
    /// its own BM25 score smoothed with its article's: a text about slow copies or about
    /// Dynamics finds the right article even when its words miss the right section.
    pub fn similar(&self, text: &str) -> Vec<Suggestion> {
        self.similar_words(text, &adf_scan::words::words(text))
    }

    /// The same, with the text's words already numbered ([`adf_scan::words::words`] of `text`).
    pub fn similar_words(&self, text: &str, words: &Words) -> Vec<Suggestion> {
        self.similar_words_leaving_out(text, words, true)
    }

    /// [`Related::similar`], which with `leave_out` reads no further the entries that cannot
    /// be kept (without it, every entry is: what the tests compare it to).
    #[cfg(test)]
    pub(crate) fn similar_leaving_out(&self, text: &str, leave_out: bool) -> Vec<Suggestion> {
        self.similar_words_leaving_out(text, &adf_scan::words::words(text), leave_out)
    }

    fn similar_words_leaving_out(
        &self,
        text: &str,
        words: &Words,
        leave_out: bool,
    ) -> Vec<Suggestion> {
        // The words of the first bytes only: a word the cut runs through ends there.
        let cut;
        let (text, words) = if text.len() > MAX_QUERY_BYTES {
            let text = &text[..text.floor_char_boundary(MAX_QUERY_BYTES)];
            cut = adf_scan::words::words(text);
            (text, &cut)
        } else {
            (text, words)
        };
        let mut query: Vec<QueryWord> = Vec::new();
        // A log repeats its words and phrases: each distinct word is read once, and each
        // distinct pair (by the numbers of its two terms) is looked up once.
        let (mut pairs, mut paired) = (NumberSet::default(), Vec::new());
        let (mut pair, mut term) = (String::new(), String::new());
        let mut look_up = |term: &str| match expanded(term) {
            // Read as the documents' words are: `dynamics` is the term `dynamic`.
            Some(words) => {
                for word in words.iter().flat_map(|w| terms(w)) {
                    query.extend(weighed(self.entries.word(&word)));
                }
            }
            None => query.extend(weighed(self.entries.word(term))),
        };
        walk_words(
            text,
            words,
            &mut |word, plain_term| match plain_term {
                Some(plain_term) => look_up(plain_term),
                None if is_camel_case(word) => for_each_term_of(word, &mut term, &mut look_up),
                None => {}
            },
            &mut |key, first, second| {
                if pairs.insert(key) {
                    join_pair(&mut pair, first, second);
                    paired.extend(weighed(self.entries.word(&pair)));
                }
            },
        );
        query.append(&mut paired);
        // In word order, as the scores are summed: the same floating-point sums every time.
        // A table's words are numbered in byte order: numbers compare as the words do.
        crate::sort::by(&mut query, |a, b| a.number().cmp(&b.number()));
        query.dedup_by(|a, b| a.number() == b.number());
        // Only the entries sharing a word with the text are read, not every entry.
        let (scores, touched) = self.entries.scores_and_documents(&query);
        // Comparisons, not `f32::max`: that is a call in the wasm (its NaN rule is not wasm's),
        // and scores are never NaN.
        let mut best = 0.0f32;
        for &entry in &touched {
            if scores[entry] > best {
                best = scores[entry];
            }
        }
        if best <= 0.0 {
            return Vec::new();
        }
        // The articles' documents are made of the entries' words: a word no entry holds is in
        // no article either.
        let article_query: Vec<QueryWord> = query
            .iter()
            .filter_map(|q| weighed(self.articles.same_word(q)))
            .collect();
        let articles = self.articles.scores(&article_query);
        let mut best_article = f32::MIN_POSITIVE;
        for &score in &articles {
            if score > best_article {
                best_article = score;
            }
        }
        // The best few, kept in order while the entries are read (the order is total, so the
        // order they are read in does not matter).
        let before = |a: &(usize, f32), b: &(usize, f32)| {
            b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)) == std::cmp::Ordering::Less
        };
        let mut ranked: Vec<(usize, f32)> = Vec::with_capacity(MAX_SUGGESTIONS + 1);
        // Entries scoring this or less cannot be kept: even with the best article's share, the
        // combined score rounds below the last kept one's (rounding is monotonic, and the last
        // kept score only rises). Most entries are left at that one comparison. The share is
        // taken a little larger: its two roundings may put it a step above `ARTICLE_SHARE`.
        let most_article_share = ARTICLE_SHARE * 1.001;
        let mut left_out_up_to = 0.0f32;
        for &entry in &touched {
            let score = scores[entry];
            if score <= left_out_up_to {
                continue;
            }
            let own = score / best;
            let article = articles[self.article_of[entry]];
            let candidate = (entry, own + ARTICLE_SHARE * article / best_article);
            if ranked.len() == MAX_SUGGESTIONS {
                let last = ranked[MAX_SUGGESTIONS - 1].1;
                if leave_out && own + most_article_share < last {
                    left_out_up_to = score;
                }
                if !before(&candidate, &ranked[MAX_SUGGESTIONS - 1]) {
                    continue;
                }
            }
            let at = ranked.partition_point(|r| before(r, &candidate));
            ranked.insert(at, candidate);
            ranked.truncate(MAX_SUGGESTIONS);
        }
        // The shared words of the kept entries, in query order, in one pass over the postings
        // (each list read up to the last kept entry: lists are in entry order).
        let mut kept: Vec<(usize, usize)> = ranked
            .iter()
            .enumerate()
            .map(|(at, &(entry, _))| (entry, at))
            .collect();
        crate::sort::sort(&mut kept);
        let kept_entries: Vec<usize> = kept.iter().map(|&(entry, _)| entry).collect();
        let mut shared: Vec<Vec<(f32, &str)>> = vec![Vec::new(); ranked.len()];
        for word in &query {
            word.for_each_holder(&kept_entries, |holder| {
                shared[kept[holder].1].push((word.idf, word.word))
            });
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
                crate::sort::by(&mut words, |a, b| {
                    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1))
                });
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

/// Calls `found` with each term of one word (see [`terms`]): the word itself, and its parts
/// when it is in camel case. `term` is the caller's buffer, reused from word to word.
fn for_each_term_of(word: &str, term: &mut String, mut found: impl FnMut(&str)) {
    let mut one = |part: &str| {
        term.clear();
        term.push_str(part);
        term.make_ascii_lowercase();
        if to_term(term) {
            found(term);
        }
    };
    if is_camel_case(word) {
        one(word);
    }
    each_camel_part(word, one);
}

/// What a pair of words is worth against a single word of the same rarity: a pair is rarer
/// than its words, and its words already count.
const PAIR_SHARE: f32 = 0.5;

/// A query word with its weight: a pair's is [`PAIR_SHARE`] of a word's as rare.
fn weighed(word: Option<QueryWord<'_>>) -> Option<QueryWord<'_>> {
    word.map(|mut word| {
        if word.word.contains('_') {
            word.idf *= PAIR_SHARE;
        }
        word
    })
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
            let mut parts = Vec::new();
            if is_camel_case(word) {
                parts.push(word);
            }
            each_camel_part(word, |part| parts.push(part));
            parts
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

/// How many of the shared terms are single words, not pairs.
fn single_words(words: &[(f32, &str)]) -> usize {
    words.iter().filter(|(_, w)| !w.contains('_')).count()
}

/// The terms of a text, then each pair of telling words that follow each other in one phrase
/// (`option set`, `service token`): a pair an entry shares says more than its two words apart.
fn terms_and_pairs(text: &str) -> impl Iterator<Item = String> + '_ {
    let mut pairs = Vec::new();
    let words = adf_scan::words::words(text);
    walk_words(text, &words, &mut |_, _| {}, &mut |_, first, second| {
        let mut pair = String::new();
        join_pair(&mut pair, first, second);
        pairs.push(pair);
    });
    terms(text).chain(pairs)
}

/// `first_second`, the form pairs take among the documents' words.
fn join_pair(pair: &mut String, first: &str, second: &str) {
    pair.clear();
    pair.push_str(first);
    pair.push('_');
    pair.push_str(second);
}

/// Walks the words of `text` (runs of ASCII letters and digits, numbered in `words`) once:
/// calls `word` with each distinct word of three to 64 bytes that is no number, and with its
/// term when it is not in camel case (`None`: a word in camel case, or no term), and
/// `pair(key, first, second)` with each pair of telling words that follow each other in one
/// phrase, as their terms (`key` is the same for the same two words). A phrase is a run of
/// words separated by spaces and dashes; words that are no terms (stop words, short words,
/// codes in camel case) drop out of it. A log repeats its words: each distinct word is read as
/// a term once. Called through pointers, so the walk is compiled once for the query and the
/// documents.
fn walk_words<'t>(
    text: &'t str,
    words: &Words,
    word: &mut dyn FnMut(&'t str, Option<&str>),
    pair: &mut dyn FnMut(u64, &str, &str),
) {
    // Per distinct word (by its number): once read, the number of its term in `terms`, if it
    // is one in a phrase.
    let mut known: Vec<Option<Option<u32>>> = vec![None; words.distinct];
    let mut terms: Vec<String> = Vec::new();
    let mut previous: Option<u32> = None;
    for w in &words.list {
        let (start, end) = (w.start as usize, w.end as usize);
        if (3..=64).contains(&(end - start)) {
            let term = *known[w.number as usize].get_or_insert_with(|| {
                // A run of ASCII letters and digits starts and ends on character boundaries;
                // lowercased and read as a term once, for the word and for its phrase.
                let run = &text[start..end];
                let term = plain_term(run);
                if !run.bytes().all(|b| b.is_ascii_digit()) {
                    word(run, term.as_deref());
                }
                term.map(|term| {
                    terms.push(phrase_term(term));
                    terms.len() as u32 - 1
                })
            });
            if let Some(id) = term {
                if let Some(before) = previous {
                    let key = u64::from(before) << 32 | u64::from(id);
                    pair(key, &terms[before as usize], &terms[id as usize]);
                }
                previous = Some(id);
            }
        }
        if !w.keeps_phrase {
            previous = None;
        }
    }
}

/// A word's term when it is not in camel case (codes in camel case are read by their parts
/// and drop out of phrases); none when it is no term.
fn plain_term(word: &str) -> Option<String> {
    if is_camel_case(word) {
        return None;
    }
    let mut term = word.to_ascii_lowercase();
    to_term(&mut term).then_some(term)
}

/// A word's term as a term of a phrase: an alias stands for its word.
fn phrase_term(term: String) -> String {
    match alias_of(&term).and_then(|one| terms(one).next()) {
        Some(one) => one,
        None => term,
    }
}

/// The single word an alias stands for, when it stands for one (`d365` is `dynamics`).
fn alias_of(word: &str) -> Option<&'static str> {
    match ALIASES.iter().find(|(alias, _)| *alias == word) {
        Some((_, [one])) => Some(one),
        _ => None,
    }
}

/// Whether [`each_camel_part`] would cut the word.
fn is_camel_case(word: &str) -> bool {
    word.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
}

/// Calls `part` with each part of a word in camel case, in order:
/// `UserErrorFailedFileOperation` -> `User`, `Error`, `Failed`, `File`, `Operation`; a word
/// not in camel case is its only part. No list: every distinct word of a text is cut.
fn each_camel_part<'w>(word: &'w str, mut part: impl FnMut(&'w str)) {
    let bytes = word.as_bytes();
    let mut start = 0;
    for i in 1..bytes.len() {
        if bytes[i].is_ascii_uppercase() && bytes[i - 1].is_ascii_lowercase() {
            part(&word[start..i]);
            start = i;
        }
    }
    part(&word[start..]);
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
        // Read as the documents' words are: `Dynamics` there is the term `dynamic`.
        assert_eq!(terms("dynamics").collect::<Vec<_>>(), ["dynamic"]);
        assert_eq!(expanded("copy"), None);
        let slow = Related::shared().similar("why is my copy from table storage so slow");
        let guides: Vec<&str> = slow
            .iter()
            .take(3)
            .map(|s| crate::knowledge::entries()[s.entry].guide.as_str())
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

    /// Every call the walk makes, in order: words with their terms, then pairs with their keys.
    type Calls = (Vec<(String, Option<String>)>, Vec<(u64, String, String)>);

    fn calls_of(
        walk: impl FnOnce(&mut dyn FnMut(&str, Option<&str>), &mut dyn FnMut(u64, &str, &str)),
    ) -> Calls {
        let (mut words, mut pairs) = (Vec::new(), Vec::new());
        walk(
            &mut |word, term| words.push((word.to_string(), term.map(str::to_string))),
            &mut |key, first, second| pairs.push((key, first.to_string(), second.to_string())),
        );
        (words, pairs)
    }

    /// The walk as it was before the text's words were shared: over the bytes, numbering the
    /// words of three to 64 bytes itself.
    fn walk_bytes(
        text: &str,
        word: &mut dyn FnMut(&str, Option<&str>),
        pair: &mut dyn FnMut(u64, &str, &str),
    ) {
        let mut seen = adf_scan::interner::Interner::default();
        let mut known: Vec<Option<u32>> = Vec::new();
        let mut terms: Vec<String> = Vec::new();
        let mut previous: Option<u32> = None;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at <= bytes.len() {
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if (3..=64).contains(&(at - start)) {
                let run = &text[start..at];
                let (number, new) = seen.intern(run.as_bytes());
                if new {
                    let term = plain_term(run);
                    if !run.bytes().all(|b| b.is_ascii_digit()) {
                        word(run, term.as_deref());
                    }
                    known.push(term.map(|term| {
                        terms.push(phrase_term(term));
                        terms.len() as u32 - 1
                    }));
                }
                if let Some(id) = known[number as usize] {
                    if let Some(before) = previous {
                        let key = u64::from(before) << 32 | u64::from(id);
                        pair(key, &terms[before as usize], &terms[id as usize]);
                    }
                    previous = Some(id);
                }
            }
            if bytes.get(at).is_some_and(|&b| b != b' ' && b != b'-') {
                previous = None;
            }
            at += 1;
        }
    }

    proptest::proptest! {
        /// The walk over the shared words makes the calls the walk over the bytes made: words
        /// that repeat, stop words, aliases, camel case, numbers, short and long words, and
        /// every kind of separator.
        #[test]
        fn the_walk_over_shared_words_is_the_walk_over_the_bytes(
            parts in proptest::collection::vec(
                "(key|Key|gateway|the|d365|UserError|2200|ab|[a-z]{3,8}|x{60,70})",
                0..12,
            ),
            separators in proptest::collection::vec("[ ,_é.-]{1,2}", 12),
        ) {
            let text: String = parts.iter().zip(&separators).flat_map(|(p, s)| [p.as_str(), s.as_str()]).collect();
            let words = adf_scan::words::words(&text);
            proptest::prop_assert_eq!(
                calls_of(|w, p| walk_words(&text, &words, w, p)),
                calls_of(|w, p| walk_bytes(&text, w, p))
            );
        }
    }

    /// A text longer than the query limit is read up to it, the word it cuts ending there.
    #[test]
    fn the_query_limit_cuts_the_text_as_before() {
        let mut text = "gateway key expired ".repeat(MAX_QUERY_BYTES / 20);
        text.truncate(MAX_QUERY_BYTES - 3);
        text.push_str("certificate rotation");
        let related = Related::shared();
        let within = &text[..MAX_QUERY_BYTES];
        let shown = |found: Vec<Suggestion>| -> Vec<(usize, Vec<String>)> {
            found
                .into_iter()
                .map(|s| (s.entry, s.shared_words))
                .collect()
        };
        assert_eq!(
            shown(related.similar(&text)),
            shown(related.similar_words(within, &adf_scan::words::words(within)))
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
