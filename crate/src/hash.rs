//! A fast hasher for the short keys a single query looks up many times (the words of a text).
//!
//! ```
//! use adf_troubleshooter::hash::WordSet;
//! let mut seen = WordSet::default();
//! assert!(seen.insert("heartbeat"));
//! assert!(!seen.insert("heartbeat"));
//! ```
//!
//! FxHash, a byte at a time. SipHash, the standard library's default, resists chosen
//! collisions, which buys nothing for the words of a user's own paste, and costs several times
//! as much per word in the extension's size-optimised wasm.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A set of words (or other hashable keys) met in one query.
pub type WordSet<'a> = HashSet<&'a str, BuildHasherDefault<WordHasher>>;

#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
