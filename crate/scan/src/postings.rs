//! BM25 scores summed over a query word's posting list: the loop run per posting of every word
//! a text shares with the knowledge.

use crate::varint::read_varint;

/// Postings per block of a long list: a list of more than this many starts with a skip table,
/// so that the few documents whose shared words are shown are found without decoding the
/// blocks before them. Written and walked by the engine's `bm25` tables; skipped here.
pub const SKIP_BLOCK: usize = 16;

/// The skip table of a list of `len` postings (`bytes` past its count), empty for a short
/// list, and the postings after it. The table holds, per block but the last, the gap from the
/// previous block's last document to its own and the block's length in bytes, as varints.
pub fn skip_table(mut bytes: &[u8], len: usize) -> Option<(&[u8], &[u8])> {
    let table = match len > SKIP_BLOCK {
        true => read_varint(&mut bytes)?,
        false => 0,
    };
    Some((bytes.get(..table)?, bytes.get(table..)?))
}

/// Adds a word's BM25 term to each document of its posting list (`len` postings in `bytes`,
/// each the gap from the previous document and the term frequency, as varints), and notes in
/// `touched` the documents it scores first. Documents past `scores` or `k1_norms` are skipped;
/// the list ends early where its bytes do.
pub fn add_word(
    bytes: &[u8],
    len: usize,
    (idf, k1): (f32, f32),
    k1_norms: &[f32],
    scores: &mut [f32],
    touched: &mut Vec<usize>,
) {
    let Some((_, mut bytes)) = skip_table(bytes, len) else {
        return;
    };
    let mut document = 0;
    for _ in 0..len {
        let Some(gap) = read_varint(&mut bytes) else {
            return;
        };
        document += gap;
        let Some(count) = read_varint(&mut bytes) else {
            return;
        };
        let (Some(score), Some(&k1_norm)) = (scores.get_mut(document), k1_norms.get(document))
        else {
            continue;
        };
        let tf = u32::try_from(count).unwrap_or(u32::MAX) as f32;
        // Every term adds a positive amount: a score still 0.0 is a first touch.
        if *score == 0.0 {
            touched.push(document);
        }
        *score += idf * tf * (k1 + 1.0) / (tf + k1_norm);
    }
}
