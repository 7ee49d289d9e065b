//! The loop that folds cleaned text for message matching (the engine's `fold` module says what
//! folding is): ASCII letters and digits only, lowercase, contractions spelled out, with the
//! stretches that lead back to the cleaned text.
//!
//! ```
//! let (text, stretches, words) = adf_scan::fold::fold("Client IP isn't valid");
//! assert_eq!(text, "clientipisnotvalid");
//! assert_eq!(adf_scan::fold::cleaned_at(&stretches, text.len(), 8), 10);
//! assert_eq!(words.list.len(), 5);
//! ```

use crate::offset;
use crate::words::{Reader, Words};

/// Where a stretch of the folded text starts: one per run of letters and digits, and one per
/// contraction's added letters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Stretch {
    /// Byte offset in the folded text.
    pub folded: u32,
    /// Byte offset in the cleaned text of its first byte.
    pub cleaned: u32,
    /// Copied letters advance with the cleaned text; a contraction's added letters all come
    /// from its apostrophe.
    pub copied: bool,
}

/// The folded text and its stretches, in order, and the cleaned text's words
/// ([`crate::words::words`]), read in the same pass.
pub fn fold(cleaned: &str) -> (String, Vec<Stretch>, Words) {
    let bytes = cleaned.as_bytes();
    // ASCII bytes only: lowercased as they are copied, a byte at a time (a copy per run of
    // letters is a call in the wasm).
    let mut text: Vec<u8> = Vec::with_capacity(cleaned.len() + 16);
    let mut stretches: Vec<Stretch> = Vec::new();
    let stretch = |stretches: &mut Vec<Stretch>, folded: usize, cleaned: usize, copied| {
        stretches.push(Stretch {
            folded: offset(folded),
            cleaned: offset(cleaned),
            copied,
        })
    };
    let mut words = Reader::default();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_alphanumeric() {
            let start = at;
            stretch(&mut stretches, text.len(), at, true);
            while let Some(&b) = bytes.get(at).filter(|b| b.is_ascii_alphanumeric()) {
                text.push(b.to_ascii_lowercase());
                at += 1;
            }
            words.word(bytes, start, at);
            continue;
        }
        words.between(bytes[at]);
        if bytes[at] == b'\'' && text.ends_with(b"n") && is_contraction_end(bytes, at) {
            // `isn't` -> `isnot`, `doesn't` -> `doesnot`, `can't` -> `cannot` (the long forms
            // fold to the same letters since spaces are dropped: `is not`, `can not`).
            let can = text.ends_with(b"can") && {
                let first = cleaned_at(&stretches, text.len(), text.len() - "can".len());
                first == 0 || !bytes[first - 1].is_ascii_alphanumeric()
            };
            stretch(&mut stretches, text.len(), at, false);
            if can {
                text.push(b'n');
            }
            text.push(b'o');
        }
        at += 1;
    }
    // Only ASCII letters and digits were copied.
    let text = String::from_utf8(text).unwrap_or_default();
    (text, stretches, words.finish())
}

/// The cleaned byte offset of folded byte `at` (0 past the end, `len` being the folded
/// text's length).
pub fn cleaned_at(stretches: &[Stretch], len: usize, at: usize) -> usize {
    if at >= len {
        return 0;
    }
    let found = stretches.partition_point(|s| s.folded as usize <= at);
    let Some(s) = found.checked_sub(1).map(|k| stretches[k]) else {
        return 0;
    };
    let within = if s.copied { at - s.folded as usize } else { 0 };
    s.cleaned as usize + within
}

/// `'t` closing a word: the apostrophe of `n't`.
fn is_contraction_end(bytes: &[u8], apostrophe: usize) -> bool {
    matches!(bytes.get(apostrophe + 1), Some(b't' | b'T'))
        && !bytes
            .get(apostrophe + 2)
            .is_some_and(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Folding reads the words that a walk of their own reads.
        #[test]
        fn folding_reads_the_words(text in "[aB1 _,.'é-]{0,40}") {
            let (_, _, words) = super::fold(&text);
            let alone = crate::words::words(&text);
            proptest::prop_assert_eq!(words.list, alone.list);
            proptest::prop_assert_eq!(words.distinct, alone.distinct);
        }
    }
}
