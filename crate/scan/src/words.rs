//! The words of a text in one pass: each run of ASCII letters and digits, numbered, with what
//! separates it from the next. The matcher's code lookup and the related-text walk both read
//! a text word by word; numbered once here, neither walks the bytes or hashes the words again.
//!
//! ```
//! let words = adf_scan::words::words("DF-SYS-01 at node-1, node");
//! let texts: Vec<&str> = words.list.iter().map(|w| &"DF-SYS-01 at node-1, node"[w.start as usize..w.end as usize]).collect();
//! assert_eq!(texts, ["DF", "SYS", "01", "at", "node", "1", "node"]);
//! assert_eq!(words.list[4].number, words.list[6].number);
//! assert!(words.list[0].joins_code && !words.list[2].joins_code);
//! assert!(words.list[2].keeps_phrase && !words.list[5].keeps_phrase);
//! assert_eq!(words.distinct, 6);
//! ```

use crate::interner::Interner;

/// One run of ASCII letters and digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word {
    /// Byte range in the text.
    pub start: u32,
    pub end: u32,
    /// Numbered from 0 in order of first sight: the same bytes, the same number.
    pub number: u32,
    /// Only `-` and `_` lie between this word and the next: both belong to one code
    /// (`DF-SYS-01`, `shir_prod`).
    pub joins_code: bool,
    /// Only spaces and `-` lie between this word and the next: a phrase goes on.
    pub keeps_phrase: bool,
}

/// A text's words, in order.
#[derive(Debug, Clone, Default)]
pub struct Words {
    pub list: Vec<Word>,
    /// How many distinct words: numbers are below it.
    pub distinct: usize,
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The words of `text`, each numbered.
pub fn words(text: &str) -> Words {
    let bytes = text.as_bytes();
    let mut numbers = Interner::default();
    let mut list: Vec<Word> = Vec::new();
    let mut at = 0;
    while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
        at += 1;
    }
    while at < bytes.len() {
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        let end = at;
        let (mut joins_code, mut keeps_phrase) = (true, true);
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            joins_code &= matches!(bytes[at], b'-' | b'_');
            keeps_phrase &= matches!(bytes[at], b' ' | b'-');
            at += 1;
        }
        // Nothing follows the last word.
        let followed = at < bytes.len();
        list.push(Word {
            start: offset(start),
            end: offset(end),
            number: numbers.intern(&bytes[start..end]).0,
            joins_code: joins_code && followed,
            keeps_phrase: keeps_phrase && followed,
        });
    }
    Words {
        list,
        distinct: numbers.len(),
    }
}
