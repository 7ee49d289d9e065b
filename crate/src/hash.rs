//! A fast hasher for the keys a single query looks up many times (entry numbers, pairs of
//! words), and for the index's code maps, read at every start. The words of a text are
//! numbered by `adf_scan::interner`, compiled for speed.
//!
//! ```
//! use adf_troubleshooter::hash::NumberSet;
//! let mut seen = NumberSet::default();
//! assert!(seen.insert(42));
//! assert!(!seen.insert(42));
//! ```
//!
//! FxHash, eight bytes at a time. SipHash, the standard library's default, resists chosen
//! collisions, which buys nothing for the words of a user's own paste, and costs several times
//! as much per word in the extension's size-optimised wasm.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by small numbers (entry indices) filled in one query.
pub type NumberMap<V> = HashMap<usize, V, BuildHasherDefault<WordHasher>>;

/// A set of numbers (two word numbers packed in one, for pairs of words) met in one query.
pub type NumberSet = HashSet<u64, BuildHasherDefault<WordHasher>>;

/// The index's maps of codes: read from the compiled knowledge at every start, where SipHash's
/// random keys and per-key cost are start-up time the knowledge's own codes do not need.
pub type CodeMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// The index's set of codes (see [`CodeMap`]).
pub type CodeSet = HashSet<String, BuildHasherDefault<WordHasher>>;

#[derive(Default)]
pub struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    /// Eight bytes at a time, the last ones padded with zeros.
    fn write(&mut self, bytes: &[u8]) {
        let (mut word, mut shift) = (0, 0);
        for &byte in bytes {
            word |= u64::from(byte) << shift;
            shift += 8;
            if shift == 64 {
                self.add(word);
                (word, shift) = (0, 0);
            }
        }
        if shift > 0 {
            self.add(word);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
