//! Numbers for the distinct words of one text, so that a word met again costs one hash.
//!
//! ```
//! use adf_scan::interner::Interner;
//! let mut words = Interner::default();
//! assert_eq!(words.intern(b"heartbeat"), (0, true));
//! assert_eq!(words.intern(b"node"), (1, true));
//! assert_eq!(words.intern(b"heartbeat"), (0, false));
//! assert_eq!(words.len(), 2);
//! ```
//!
//! A log repeats the same few dozen words hundreds of times, and the matcher and the
//! related-text walk each ask about every one of them: compiled for speed here, an open-addressing
//! table of the words' numbers is several times faster than a generic map in the extension's
//! size-optimised wasm. Numbers are given in order of first sight, so nothing depends on the hash.

const EMPTY: u32 = u32::MAX;

/// The distinct words met so far, numbered from 0 in order of first sight.
#[derive(Default)]
pub struct Interner<'t> {
    /// Per number: the word and its hash.
    words: Vec<(u64, &'t [u8])>,
    /// Numbers by hash (open addressing, linear probing); `EMPTY` where none is. Its length is
    /// a power of two, at least twice the number of words.
    slots: Vec<u32>,
}

impl<'t> Interner<'t> {
    /// The word's number, and whether it was met for the first time.
    pub fn intern(&mut self, word: &'t [u8]) -> (u32, bool) {
        if self.words.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let hash = hash(word);
        let mask = self.slots.len() - 1;
        let mut at = slot(hash, mask);
        loop {
            let number = self.slots[at];
            if number == EMPTY {
                let number = self.words.len() as u32;
                self.slots[at] = number;
                self.words.push((hash, word));
                return (number, true);
            }
            let (held_hash, held) = self.words[number as usize];
            if held_hash == hash
                && held.len() == word.len()
                && (word.len() <= 8 || same(held, word))
            {
                return (number, false);
            }
            at = (at + 1) & mask;
        }
    }

    /// How many distinct words were met.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        self.slots = vec![EMPTY; size];
        let mask = size - 1;
        for (number, &(hash, _)) in self.words.iter().enumerate() {
            let mut at = slot(hash, mask);
            while self.slots[at] != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = number as u32;
        }
    }
}

/// The table slot of a hash: its high bits, which the multiplication mixes best.
fn slot(hash: u64, mask: usize) -> usize {
    (hash >> 40) as usize & mask
}

/// FxHash, eight bytes at a time, the last ones padded with zeros. A word of at most eight
/// bytes is hashed by one multiplication of its bytes by an odd number, which no two numbers
/// share: words of one length up to eight bytes are equal when their hashes are.
pub fn hash(word: &[u8]) -> u64 {
    let add = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    let mut h = 0;
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = add(h, word_at(chunk));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = add(h, word_at(rest));
    }
    h
}

/// Up to eight bytes as a little-endian number, byte by byte: a copy of a variable length is a
/// call in the wasm.
#[inline(always)]
fn word_at(bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .take(8)
        .enumerate()
        .fold(0, |word, (i, &b)| word | u64::from(b) << (8 * i))
}

/// Byte equality without a call to `memcmp`, which the wasm compares byte by byte: words are
/// short, and most compared words are equal.
#[inline(always)]
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.chunks(8)
            .zip(b.chunks(8))
            .all(|(x, y)| word_at(x) == word_at(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Numbers as a map of the words to their first place gives them, for words of every
        /// length around eight bytes, often repeated.
        #[test]
        fn numbers_are_those_of_a_map(words in proptest::collection::vec("[ab\\x00]{0,10}", 0..60)) {
            let mut first_seen = std::collections::HashMap::new();
            let mut interner = Interner::default();
            for word in &words {
                let next = first_seen.len() as u32;
                let expected = *first_seen.entry(word.as_bytes()).or_insert(next);
                proptest::prop_assert_eq!(interner.intern(word.as_bytes()).0, expected);
            }
        }
    }

    #[test]
    fn numbers_follow_first_sight_through_growth() {
        let words: Vec<String> = (0..1000).map(|i| format!("w{}", i * 7919 % 1000)).collect();
        let mut interner = Interner::default();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(interner.intern(w.as_bytes()), (i as u32, true));
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(interner.intern(w.as_bytes()), (i as u32, false));
        }
        assert_eq!(interner.intern(b""), (1000, true));
        assert_eq!(interner.len(), 1001);
    }
}
