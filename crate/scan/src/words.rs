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
use crate::offset;

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

/// The words of `text`, each numbered.
pub fn words(text: &str) -> Words {
    let bytes = text.as_bytes();
    let mut reader = Reader::default();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_alphanumeric() {
            let start = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            reader.word(bytes, start, at);
        } else {
            reader.between(bytes[at]);
            at += 1;
        }
    }
    reader.finish()
}

/// Reads the words of a text as a pass over its bytes meets them: [`words`], and the pass
/// that folds the text ([`crate::fold::fold`]), which meets every run of letters and digits
/// and every byte between them anyway.
#[derive(Default)]
pub struct Reader<'t> {
    numbers: Interner<'t>,
    list: Vec<Word>,
    /// What the bytes since the last word allow so far.
    joins_code: bool,
    keeps_phrase: bool,
}

impl<'t> Reader<'t> {
    /// The run of letters and digits `bytes[start..end]`, whole.
    #[inline(always)]
    pub fn word(&mut self, bytes: &'t [u8], start: usize, end: usize) {
        // What lay between the previous word and this one is known now.
        if let Some(previous) = self.list.last_mut() {
            previous.joins_code = self.joins_code;
            previous.keeps_phrase = self.keeps_phrase;
        }
        self.list.push(Word {
            start: offset(start),
            end: offset(end),
            number: self.numbers.intern(&bytes[start..end]).0,
            // Nothing follows the last word.
            joins_code: false,
            keeps_phrase: false,
        });
        self.joins_code = true;
        self.keeps_phrase = true;
    }

    /// A byte between two runs (or before the first, or after the last).
    #[inline(always)]
    pub fn between(&mut self, byte: u8) {
        self.joins_code &= matches!(byte, b'-' | b'_');
        self.keeps_phrase &= matches!(byte, b' ' | b'-');
    }

    pub fn finish(self) -> Words {
        Words {
            distinct: self.numbers.len(),
            list: self.list,
        }
    }
}
