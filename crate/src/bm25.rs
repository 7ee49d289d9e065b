//! BM25 tables packed in bytes: read in place from the embedded knowledge, nothing to rebuild
//! or allocate when the engine starts, and built the same way for team rules at run time.
//!
//! ```
//! use adf_troubleshooter::bm25::Bm25;
//! let docs = [vec!["gateway", "key", "invalid"], vec!["gateway", "timeout"], vec!["disk", "full"]];
//! let table = Bm25::build(docs.to_vec());
//! let query: Vec<_> = ["gateway", "key", "absent"].iter().filter_map(|w| table.word(w)).collect();
//! let scores = table.scores(&query);
//! assert!(scores[0] > scores[1] && scores[2] == 0.0);
//! let again = Bm25::read(Box::leak(table.to_bytes().into_boxed_slice())).unwrap().0;
//! let query: Vec<_> = ["gateway", "key"].iter().filter_map(|w| again.word(w)).collect();
//! assert_eq!(again.scores(&query), scores);
//! ```
//!
//! Layout: the words, sorted and joined; each word's end (u32, little-endian); each word's
//! posting list as varints (count, then document gaps and term frequencies), and where each
//! list starts. A query word is found by binary search and only its list is decoded.

use std::borrow::Cow;
use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// BM25 over a set of documents (word lists).
pub struct Bm25 {
    /// Every distinct word, in byte order, one after another.
    words: Cow<'static, str>,
    /// Where each word ends in `words` (u32, little-endian).
    word_ends: Cow<'static, [u8]>,
    /// Where each word's posting list starts in `postings` (u32, little-endian).
    list_starts: Cow<'static, [u8]>,
    /// Per word: the number of documents, then per document the gap from the previous
    /// document and the term frequency, all as varints.
    postings: Cow<'static, [u8]>,
    lengths: Vec<f32>,
    average_length: f32,
}

impl Bm25 {
    pub fn build(documents: Vec<Vec<&str>>) -> Bm25 {
        let mut lists: std::collections::BTreeMap<&str, Vec<(usize, u32)>> = Default::default();
        let mut lengths = Vec::new();
        let mut counts: HashMap<&str, u32> = HashMap::new();
        for (index, words) in documents.into_iter().enumerate() {
            lengths.push(words.len() as f32);
            counts.clear();
            for word in words {
                *counts.entry(word).or_default() += 1;
            }
            for (&word, &count) in &counts {
                lists.entry(word).or_default().push((index, count));
            }
        }
        let (mut words, mut word_ends) = (String::new(), Vec::new());
        let (mut list_starts, mut postings) = (Vec::new(), Vec::new());
        for (word, list) in &mut lists {
            words.push_str(word);
            word_ends.extend(offset(words.len()).to_le_bytes());
            list_starts.extend(offset(postings.len()).to_le_bytes());
            list.sort_unstable();
            push_varint(&mut postings, list.len());
            let mut previous = 0;
            for &(document, count) in list.iter() {
                push_varint(&mut postings, document - previous);
                push_varint(&mut postings, count as usize);
                previous = document;
            }
        }
        let average_length = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
        Bm25 {
            words: Cow::Owned(words),
            word_ends: Cow::Owned(word_ends),
            list_starts: Cow::Owned(list_starts),
            postings: Cow::Owned(postings),
            lengths,
            average_length: average_length.max(1.0),
        }
    }

    /// A word as this index holds it, with its IDF and postings, if any document holds it.
    pub fn word(&self, word: &str) -> Option<QueryWord<'_>> {
        let (at, list) = self.postings(word)?;
        let documents = self.lengths.len() as f32;
        let n = list.len as f32;
        let idf = ((documents - n + 0.5) / (n + 0.5) + 1.0).ln();
        Some(QueryWord {
            word: self.word_at(at),
            idf,
            list,
        })
    }

    /// Each document's score for the query words (0.0: it shares none), by document. Dense:
    /// a query touches most documents, and an array beats a map per query.
    pub fn scores(&self, query: &[QueryWord]) -> Vec<f32> {
        let mut scores = vec![0.0; self.lengths.len()];
        for word in query {
            for (document, tf) in word.documents() {
                let tf = tf as f32;
                let norm = 1.0 - B + B * self.lengths[document] / self.average_length;
                scores[document] += word.idf * tf * (K1 + 1.0) / (tf + K1 * norm);
            }
        }
        scores
    }

    fn word_at(&self, at: usize) -> &str {
        let start = if at == 0 {
            0
        } else {
            u32_at(&self.word_ends, at - 1)
        };
        self.words
            .get(start..u32_at(&self.word_ends, at))
            .unwrap_or_default()
    }

    /// Where `word` is, and the documents holding it with its frequency in each.
    fn postings(&self, word: &str) -> Option<(usize, Postings<'_>)> {
        let count = self.word_ends.len() / 4;
        let (mut low, mut high) = (0, count);
        while low < high {
            let middle = (low + high) / 2;
            match self.word_at(middle).cmp(word) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    let mut bytes = self.postings.get(u32_at(&self.list_starts, middle)..)?;
                    let len = read_varint(&mut bytes)?;
                    let list = Postings {
                        bytes,
                        len,
                        document: 0,
                    };
                    return Some((middle, list));
                }
            }
        }
        None
    }

    /// The tables as bytes, for [`Bm25::read`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let parts = (
            self.words.as_ref(),
            self.word_ends.as_ref(),
            self.list_starts.as_ref(),
            self.postings.as_ref(),
            &self.lengths,
            self.average_length,
        );
        out.extend(postcard::to_allocvec(&parts).unwrap_or_default());
        out
    }

    /// Reads tables written by [`Bm25::to_bytes`] in place: the words and posting lists stay in
    /// `bytes`. Returns the rest of `bytes` too.
    pub fn read(bytes: &'static [u8]) -> Option<(Bm25, &'static [u8])> {
        type Parts = (
            &'static str,
            &'static [u8],
            &'static [u8],
            &'static [u8],
            Vec<f32>,
            f32,
        );
        let ((words, word_ends, list_starts, postings, lengths, average_length), rest): (Parts, _) =
            postcard::take_from_bytes(bytes).ok()?;
        let table = Bm25 {
            words: Cow::Borrowed(words),
            word_ends: Cow::Borrowed(word_ends),
            list_starts: Cow::Borrowed(list_starts),
            postings: Cow::Borrowed(postings),
            lengths,
            average_length,
        };
        Some((table, rest))
    }
}

/// A query word a BM25 index holds.
pub struct QueryWord<'i> {
    pub word: &'i str,
    pub idf: f32,
    list: Postings<'i>,
}

impl QueryWord<'_> {
    /// The documents holding the word, in order, with its frequency in each.
    pub fn documents(&self) -> impl Iterator<Item = (usize, u32)> + '_ {
        self.list.clone()
    }
}

/// One word's posting list, decoded as it is walked.
#[derive(Clone)]
struct Postings<'a> {
    bytes: &'a [u8],
    len: usize,
    document: usize,
}

impl Iterator for Postings<'_> {
    type Item = (usize, u32);

    fn next(&mut self) -> Option<(usize, u32)> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        self.document += read_varint(&mut self.bytes)?;
        let count = read_varint(&mut self.bytes)?;
        Some((self.document, u32::try_from(count).unwrap_or(u32::MAX)))
    }
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

fn u32_at(bytes: &[u8], index: usize) -> usize {
    bytes
        .get(index * 4..index * 4 + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
}

fn push_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn read_varint(bytes: &mut &[u8]) -> Option<usize> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return usize::try_from(value).ok();
        }
    }
    None
}
