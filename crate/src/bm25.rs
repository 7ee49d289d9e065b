//! BM25 tables packed in bytes: read in place from the embedded knowledge (the words and the
//! posting lists stay where they are; only two offset arrays are summed up), and built the same
//! way for team rules at run time.
//!
//! ```
//! use adf_troubleshooter::bm25::Bm25;
//! let docs = [vec!["gateway", "key", "invalid"], vec!["gateway", "timeout"], vec!["disk", "full"]];
//! let table = Bm25::build(docs.to_vec());
//! let query: Vec<_> = ["gateway", "key", "absent"].iter().filter_map(|w| table.word(w)).collect();
//! let scores = table.scores(&query);
//! assert!(scores[0] > scores[1] && scores[2] == 0.0);
//! let again = Bm25::read(Box::leak(table.to_bytes(true).into_boxed_slice()), None).unwrap().0;
//! let query: Vec<_> = ["gateway", "key"].iter().filter_map(|w| again.word(w)).collect();
//! assert_eq!(again.scores(&query), scores);
//! ```
//!
//! Layout: the words, sorted and joined, and each word's length (one byte); each word's posting
//! list as varints (count, a long list's skip table, then document gaps and term frequencies;
//! see `push_list`), and each list's length in bytes (a varint). Reading sums the lengths up
//! into offsets; a query word is then found by binary search and only its list is decoded.
//! Lengths, not offsets, are stored because they are small numbers that compress well in the
//! store zip.

use crate::varint::{push_varint, read_varint};
use adf_scan::offset;
use adf_scan::postings::SKIP_BLOCK;
use std::borrow::Cow;
use std::sync::Arc;

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// BM25 over a set of documents (word lists).
pub struct Bm25 {
    /// Every distinct word, in byte order, one after another.
    words: Cow<'static, str>,
    /// Where each word ends in `words` (shared by tables over the same words).
    word_ends: Arc<[u32]>,
    /// Where each word's posting list starts in `postings`, and where the last one ends.
    list_starts: Vec<u32>,
    /// Per word: the number of documents, then per document the gap from the previous
    /// document and the term frequency, all as varints.
    postings: Cow<'static, [u8]>,
    lengths: Vec<f32>,
    average_length: f32,
    /// Per document, `K1` times its length normalisation: the same value the formula computes
    /// for every posting, computed once.
    k1_norms: Vec<f32>,
}

impl Bm25 {
    pub fn build(documents: Vec<Vec<&str>>) -> Bm25 {
        Bm25::build_over(documents, None)
    }

    /// The same over the words of `vocabulary`, which must hold every word of `documents`:
    /// tables over the same words (an entry's, its article's) store them once.
    pub fn build_sharing(documents: Vec<Vec<&str>>, vocabulary: &Bm25) -> Bm25 {
        Bm25::build_over(documents, Some(vocabulary))
    }

    fn build_over(documents: Vec<Vec<&str>>, vocabulary: Option<&Bm25>) -> Bm25 {
        // Every occurrence of a word, sorted (no map to instantiate in the wasm, which builds
        // team rules' tables): one word's run is its posting list, one document's run within
        // it the term frequency. The vocabulary's words come in without a document, so that
        // each gets its list, empty or not.
        const NO_DOCUMENT: usize = usize::MAX;
        let mut occurrences: Vec<(&str, usize)> = Vec::new();
        if let Some(vocabulary) = vocabulary {
            occurrences.extend(
                (0..vocabulary.word_count()).map(|at| (vocabulary.word_at(at), NO_DOCUMENT)),
            );
        }
        let lengths: Vec<f32> = documents.iter().map(|words| words.len() as f32).collect();
        for (index, words) in documents.iter().enumerate() {
            occurrences.extend(words.iter().map(|&word| (word, index)));
        }
        crate::sort::sort(&mut occurrences);
        let (mut words, mut word_ends) = (String::new(), Vec::new());
        let (mut list_starts, mut postings) = (Vec::new(), Vec::new());
        let mut list: Vec<(usize, usize)> = Vec::new();
        // Terms are at most 64 bytes (a pair 129): a byte holds each length.
        for run in occurrences
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run[0].0.len() <= 255)
        {
            words.push_str(run[0].0);
            word_ends.push(offset(words.len()));
            list_starts.push(offset(postings.len()));
            list.clear();
            for &(_, document) in run.iter().filter(|o| o.1 != NO_DOCUMENT) {
                match list.last_mut() {
                    Some((last, count)) if *last == document => *count += 1,
                    _ => list.push((document, 1)),
                }
            }
            push_list(&mut postings, &list);
        }
        list_starts.push(offset(postings.len()));
        let average_length = lengths.iter().sum::<f32>() / lengths.len().max(1) as f32;
        let average_length = average_length.max(1.0);
        let (words, word_ends) = match vocabulary {
            Some(vocabulary) => (vocabulary.words.clone(), vocabulary.word_ends.clone()),
            None => (Cow::Owned(words), word_ends.into()),
        };
        Bm25 {
            words,
            word_ends,
            list_starts,
            postings: Cow::Owned(postings),
            k1_norms: k1_norms(&lengths, average_length),
            lengths,
            average_length,
        }
    }

    fn word_count(&self) -> usize {
        self.word_ends.len()
    }

    /// A word as this index holds it, with its IDF and postings, if any document holds it.
    pub fn word(&self, word: &str) -> Option<QueryWord<'_>> {
        let (at, list) = self.postings(word)?;
        self.query_word(at, list)
    }

    /// The word `word` of another table stands for here: found without a search when this table
    /// shares that table's words (an article's table and its entries').
    pub fn same_word(&self, word: &QueryWord) -> Option<QueryWord<'_>> {
        if !Arc::ptr_eq(&self.word_ends, word.words) {
            return self.word(word.word);
        }
        let list = self.list_at(word.at)?;
        self.query_word(word.at, list)
    }

    fn query_word<'a>(&'a self, at: usize, list: Postings<'a>) -> Option<QueryWord<'a>> {
        if list.len == 0 {
            return None;
        }
        let documents = self.lengths.len() as f32;
        let n = list.len as f32;
        let idf = ((documents - n + 0.5) / (n + 0.5) + 1.0).ln();
        Some(QueryWord {
            word: self.word_at(at),
            idf,
            list,
            at,
            words: &self.word_ends,
        })
    }

    /// Each document's score for the query words (0.0: it shares none), by document. Dense:
    /// a query touches most documents, and an array beats a map per query.
    pub fn scores(&self, query: &[QueryWord]) -> Vec<f32> {
        self.scores_and_documents(query).0
    }

    /// [`Bm25::scores`], and the documents that share a word with the query (in no order): a
    /// caller reads those instead of every document.
    pub fn scores_and_documents(&self, query: &[QueryWord]) -> (Vec<f32>, Vec<usize>) {
        let mut scores = vec![0.0; self.lengths.len()];
        let mut touched = Vec::new();
        // Compiled for speed (`adf_scan`): run per posting of every query word.
        for word in query {
            adf_scan::postings::add_word(
                word.list.bytes,
                word.list.len,
                (word.idf, K1),
                &self.k1_norms,
                &mut scores,
                &mut touched,
            );
        }
        (scores, touched)
    }

    fn word_at(&self, at: usize) -> &str {
        self.words.get(self.word_range(at)).unwrap_or_default()
    }

    /// Where the word at `at` is in `words`.
    fn word_range(&self, at: usize) -> std::ops::Range<usize> {
        let start = if at == 0 { 0 } else { self.word_ends[at - 1] };
        start as usize..self.word_ends[at] as usize
    }

    /// Where `word` is, and the documents holding it with its frequency in each.
    fn postings(&self, word: &str) -> Option<(usize, Postings<'_>)> {
        // Compiled for speed (`adf_scan`): every distinct word and pair of a text is looked up.
        let at = adf_scan::sorted::find(self.words.as_bytes(), &self.word_ends, word.as_bytes())?;
        Some((at, self.list_at(at)?))
    }

    /// The posting list of the word at `at`.
    fn list_at(&self, at: usize) -> Option<Postings<'_>> {
        let mut bytes = self.postings.get(*self.list_starts.get(at)? as usize..)?;
        let len = read_varint(&mut bytes)?;
        Some(Postings { bytes, len })
    }

    /// The tables as bytes, for [`Bm25::read`]; without the words when they are shared with
    /// another table.
    pub fn to_bytes(&self, with_words: bool) -> Vec<u8> {
        let mut word_lengths = Vec::new();
        if with_words {
            let mut start = 0;
            for &end in self.word_ends.iter() {
                word_lengths.push((end - start) as u8);
                start = end;
            }
        }
        let mut list_lengths = Vec::new();
        for pair in self.list_starts.windows(2) {
            push_varint(&mut list_lengths, (pair[1] - pair[0]) as usize);
        }
        let words = if with_words { self.words.as_ref() } else { "" };
        let parts = (
            words,
            word_lengths.as_slice(),
            list_lengths.as_slice(),
            self.postings.as_ref(),
            &self.lengths,
            self.average_length,
        );
        postcard::to_allocvec(&parts).unwrap_or_default()
    }

    /// Reads tables written by [`Bm25::to_bytes`]: the words and posting lists stay in `bytes`;
    /// tables written without their words take those of `vocabulary`. Returns the rest of
    /// `bytes` too.
    pub fn read(bytes: &'static [u8], vocabulary: Option<&Bm25>) -> Option<(Bm25, &'static [u8])> {
        type Parts = (
            &'static str,
            &'static [u8],
            &'static [u8],
            &'static [u8],
            Vec<f32>,
            f32,
        );
        let ((words, word_lengths, list_lengths, postings, lengths, average_length), rest): (
            Parts,
            _,
        ) = postcard::take_from_bytes(bytes).ok()?;
        let (words, word_ends) = match vocabulary {
            Some(vocabulary) if words.is_empty() => {
                (vocabulary.words.clone(), vocabulary.word_ends.clone())
            }
            _ => (
                Cow::Borrowed(words),
                crate::automaton::apart(running_sums as fn(&[u8]) -> Arc<[u32]>)(word_lengths),
            ),
        };
        let list_starts = crate::automaton::apart(
            list_starts as fn(&[u8], usize) -> Option<Vec<u32>>,
        )(list_lengths, word_ends.len())?;
        let consistent = word_ends
            .last()
            .is_none_or(|&end| end as usize == words.len())
            && list_starts.len() == word_ends.len() + 1
            && list_starts
                .last()
                .is_some_and(|&end| end as usize == postings.len());
        let table = Bm25 {
            words,
            word_ends,
            list_starts,
            postings: Cow::Borrowed(postings),
            k1_norms: k1_norms(&lengths, average_length),
            lengths,
            average_length,
        };
        consistent.then_some((table, rest))
    }
}

/// Where each word ends, from the words' lengths. `Bm25::read`'s loops over every word are
/// functions of their own, called [`apart`](crate::automaton::apart): a loop that runs once per
/// start makes V8 recompile the function it is in with the optimising tier, and a small function
/// costs that tier little (inlined, `Bm25::read` was 2 KB of code to recompile).
fn running_sums(lengths: &[u8]) -> Arc<[u32]> {
    let mut end = 0;
    lengths
        .iter()
        .map(|&length| {
            end += u32::from(length);
            end
        })
        .collect()
}

/// Where each posting list starts, and where the last one ends, from the lists' lengths
/// (varints); see [`running_sums`].
fn list_starts(mut lengths: &[u8], words: usize) -> Option<Vec<u32>> {
    let mut starts = Vec::with_capacity(words + 1);
    let mut start = 0;
    starts.push(0);
    while !lengths.is_empty() {
        start += offset(read_varint(&mut lengths)?);
        starts.push(start);
    }
    Some(starts)
}

/// A query word a BM25 index holds.
pub struct QueryWord<'i> {
    pub word: &'i str,
    pub idf: f32,
    list: Postings<'i>,
    /// Where the word is among the table's words, and those words.
    at: usize,
    words: &'i Arc<[u32]>,
}

impl QueryWord<'_> {
    /// The word's number among its table's words, which are in byte order.
    pub fn number(&self) -> usize {
        self.at
    }

    /// Calls `holds` with the place in `documents` (ascending) of each of them that holds the
    /// word, in order; the list is read only up to the last of them.
    pub fn for_each_holder(&self, documents: &[usize], holds: impl FnMut(usize)) {
        holders(self.list.bytes, self.list.len, documents, holds);
    }
}

/// One word's posting list: `len` postings in `bytes`.
#[derive(Clone)]
struct Postings<'a> {
    bytes: &'a [u8],
    len: usize,
}

/// Writes a posting list (documents ascending, each with its term frequency): its count, the
/// skip table of a long list ([`adf_scan::postings::skip_table`]), then per document the gap
/// from the previous one and the term frequency, all as varints.
fn push_list(out: &mut Vec<u8>, list: &[(usize, usize)]) {
    let (mut skips, mut postings) = (Vec::new(), Vec::new());
    let (mut previous, mut skipped_to, mut block_start) = (0, 0, 0);
    for (at, &(document, count)) in list.iter().enumerate() {
        push_varint(&mut postings, document - previous);
        push_varint(&mut postings, count);
        previous = document;
        if (at + 1) % SKIP_BLOCK == 0 && at + 1 < list.len() {
            push_varint(&mut skips, document - skipped_to);
            push_varint(&mut skips, postings.len() - block_start);
            (skipped_to, block_start) = (document, postings.len());
        }
    }
    push_varint(out, list.len());
    if list.len() > SKIP_BLOCK {
        push_varint(out, skips.len());
        out.extend_from_slice(&skips);
    }
    out.extend_from_slice(&postings);
}

/// Calls `holds` with the place in `documents` (ascending) of each of them that a posting list
/// (`len` postings in `bytes`, past its count) holds, in order. Blocks that end before the next
/// of them are skipped whole, and the list is read up to the last of them: the few entries
/// kept are found in a long list without decoding it.
fn holders(
    bytes: &[u8],
    len: usize,
    documents: &[usize],
    mut holds: impl FnMut(usize),
) -> Option<()> {
    let last = *documents.last()?;
    let (mut skips, mut bytes) = adf_scan::postings::skip_table(bytes, len)?;
    let (mut at, mut document, mut next) = (0, 0, 0);
    while at < len {
        if at % SKIP_BLOCK == 0 && !skips.is_empty() {
            let (gap, length) = (varint(&mut skips)?, varint(&mut skips)?);
            if document + gap < documents[next] {
                (bytes, document) = (bytes.get(length..)?, document + gap);
                at += SKIP_BLOCK;
                continue;
            }
        }
        at += 1;
        document += varint(&mut bytes)?;
        if document > last {
            return None;
        }
        varint(&mut bytes)?;
        while documents[next] < document {
            next += 1;
        }
        if documents[next] == document {
            holds(next);
        }
    }
    None
}

/// [`read_varint`], a call in the wasm: [`holders`] reads four kinds of varint, and four
/// inlined copies of the reader cost more wasm than the calls cost time on the few blocks read.
#[cfg_attr(target_arch = "wasm32", inline(never))]
fn varint(bytes: &mut &[u8]) -> Option<usize> {
    read_varint(bytes)
}

/// Per document, `K1` times its length normalisation, as the scores use it.
fn k1_norms(lengths: &[f32], average_length: f32) -> Vec<f32> {
    lengths
        .iter()
        .map(|&length| K1 * (1.0 - B + B * length / average_length))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list as [`push_list`] writes it: its count, and the bytes past it, as a table holds them.
    fn written(postings: &std::collections::BTreeMap<usize, usize>) -> (usize, Vec<u8>) {
        let list: Vec<(usize, usize)> = postings.iter().map(|(&d, &c)| (d, c)).collect();
        let mut bytes = Vec::new();
        push_list(&mut bytes, &list);
        let mut past = bytes.as_slice();
        let len = read_varint(&mut past).unwrap();
        (len, past.to_vec())
    }

    proptest::proptest! {
        /// The holders found are the documents asked about that the list holds, in order,
        /// with gaps and term frequencies of any length, over any number of blocks.
        #[test]
        fn holders_are_the_documents_asked_about_in_the_list(
            postings in proptest::collection::btree_map(0usize..3000, 1usize..400, 0..200),
            asked in proptest::collection::btree_set(0usize..3000, 0..40),
        ) {
            let (len, bytes) = written(&postings);
            let asked: Vec<usize> = asked.into_iter().collect();
            let mut found = Vec::new();
            holders(&bytes, len, &asked, |at| found.push(asked[at]));
            let expected: Vec<usize> =
                asked.iter().copied().filter(|d| postings.contains_key(d)).collect();
            proptest::prop_assert_eq!(found, expected);
        }

        /// Each document's term is added once, past the skip table, to the bit.
        #[test]
        fn every_posting_adds_its_term(
            postings in proptest::collection::btree_map(0usize..500, 1usize..400, 0..200),
        ) {
            let (len, bytes) = written(&postings);
            let k1_norms: Vec<f32> = (0..500).map(|d| 0.5 + d as f32 / 100.0).collect();
            let (mut scores, mut touched) = (vec![0.0; 500], Vec::new());
            adf_scan::postings::add_word(&bytes, len, (1.5, K1), &k1_norms, &mut scores, &mut touched);
            for (d, &score) in scores.iter().enumerate() {
                let expected = postings.get(&d).map_or(0.0, |&count| {
                    let tf = count as f32;
                    1.5 * tf * (K1 + 1.0) / (tf + k1_norms[d])
                });
                proptest::prop_assert_eq!(score.to_bits(), f32::to_bits(expected));
            }
            proptest::prop_assert_eq!(touched, postings.keys().copied().collect::<Vec<_>>());
        }
    }

    /// The holders found among some documents are those whose words hold the word, whichever
    /// documents are asked about.
    #[test]
    fn holders_among_documents_are_those_holding_the_word() {
        let words = ["gateway", "key", "disk", "token"];
        // Document `d` holds word `w` when bit `w` of `d * 7 % 16` is set.
        let holds = |d: usize, w: usize| (d * 7 % 16) >> w & 1 == 1;
        let documents: Vec<Vec<&str>> = (0..40)
            .map(|d| (0..4).filter(|&w| holds(d, w)).map(|w| words[w]).collect())
            .collect();
        let table = Bm25::build(documents);
        for (w, word) in words.iter().enumerate() {
            let word = table.word(word).unwrap();
            for asked in [
                vec![],
                vec![0],
                vec![3, 4, 5, 39],
                (0..40).step_by(3).collect(),
            ] {
                let mut found = Vec::new();
                word.for_each_holder(&asked, |at| found.push(asked[at]));
                let expected: Vec<usize> = asked.iter().copied().filter(|&d| holds(d, w)).collect();
                assert_eq!(found, expected, "word {w}, documents {asked:?}");
            }
        }
    }
}
