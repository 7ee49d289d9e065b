//! Multi-literal search: every occurrence of a set of fixed strings in one pass over a text, for
//! the matcher's knowledge literals and the fact extractor's fixed words.
//!
//! ```
//! use adf_troubleshooter::automaton::Automaton;
//! let words = Automaton::new(&["gateway", "key", "GatewayKey"], true);
//! let mut found = Vec::new();
//! words.overlapping("InvalidGatewayKey", |pattern, start, end| {
//!     found.push((pattern, start, end));
//!     true
//! });
//! found.sort_unstable();
//! assert_eq!(found, [(0, 7, 14), (1, 14, 17), (2, 7, 17)]);
//! ```
//!
//! A double-array Aho-Corasick automaton (`daachorse`): its search code is small, which matters
//! in the extension's wasm, it runs in time linear in the text plus the matches, and it is
//! stored as flat arrays, so `build.rs` compiles the knowledge's automata and the engine reads
//! them back with a copy instead of building them (serde, through [`Automaton::to_bytes`]).

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

/// A compiled set of literals. Patterns are identified by their index in the list given to
/// [`Automaton::new`].
pub struct Automaton {
    /// `None` when no pattern can match (an empty set).
    search: Option<DoubleArrayAhoCorasick<u32>>,
    /// Patterns and texts are compared in ASCII lowercase.
    ascii_case_insensitive: bool,
}

impl Automaton {
    /// Compiles `patterns`; empty patterns never match, and a repeated pattern is reported under
    /// its first index.
    pub fn new<S: AsRef<str>>(patterns: &[S], ascii_case_insensitive: bool) -> Automaton {
        let mut seen = std::collections::HashSet::new();
        let mut unique = Vec::with_capacity(patterns.len());
        for (index, pattern) in patterns.iter().enumerate() {
            let mut pattern = pattern.as_ref().to_string();
            if ascii_case_insensitive {
                pattern.make_ascii_lowercase();
            }
            if !pattern.is_empty() && seen.insert(pattern.clone()) {
                unique.push((pattern, index as u32));
            }
        }
        let search = (!unique.is_empty()).then(|| {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(unique)
                // Not `expect`: formatting the error would keep its Debug code in the wasm.
                .unwrap_or_else(|_| unreachable!("unique non-empty literals form an automaton"))
        });
        Automaton {
            search,
            ascii_case_insensitive,
        }
    }

    /// The automaton as bytes: its case rule, then daachorse's own layout (little-endian, the
    /// same on every target).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = vec![u8::from(self.ascii_case_insensitive)];
        if let Some(search) = &self.search {
            bytes.extend(search.serialize());
        }
        bytes
    }

    /// Reads back what [`Automaton::to_bytes`] wrote; `None` for bytes it did not write.
    pub fn from_bytes(bytes: &[u8]) -> Option<Automaton> {
        let (&case, rest) = bytes.split_first()?;
        let search = match rest {
            [] => None,
            rest => match DoubleArrayAhoCorasick::deserialize(rest) {
                Ok((search, [])) => Some(search),
                _ => return None,
            },
        };
        Some(Automaton {
            search,
            ascii_case_insensitive: case == 1,
        })
    }

    /// Calls `found(pattern, start, end)` for every occurrence, overlapping ones included, in
    /// order of their end; stops when `found` returns `false`.
    pub fn overlapping(&self, haystack: &str, mut found: impl FnMut(usize, usize, usize) -> bool) {
        let Some(search) = &self.search else { return };
        for m in search.find_overlapping_iter(self.comparable(haystack).as_ref()) {
            if !found(m.value() as usize, m.start(), m.end()) {
                return;
            }
        }
    }

    /// The text as patterns are compared with it; lowercasing ASCII keeps every byte offset.
    fn comparable<'t>(&self, haystack: &'t str) -> std::borrow::Cow<'t, str> {
        if self.ascii_case_insensitive {
            std::borrow::Cow::Owned(haystack.to_ascii_lowercase())
        } else {
            std::borrow::Cow::Borrowed(haystack)
        }
    }

    /// Every occurrence that does not overlap an earlier one, as `(pattern, start, end)`.
    pub fn non_overlapping(&self, haystack: &str) -> Vec<(usize, usize, usize)> {
        let Some(search) = &self.search else {
            return Vec::new();
        };
        search
            .find_iter(self.comparable(haystack).as_ref())
            .map(|m| (m.value() as usize, m.start(), m.end()))
            .collect()
    }
}

impl serde::Serialize for Automaton {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.to_bytes())
    }
}

impl<'de> serde::Deserialize<'de> for Automaton {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let bytes: &[u8] = serde::Deserialize::deserialize(deserializer)?;
        Automaton::from_bytes(bytes)
            .ok_or_else(|| serde::de::Error::custom("not an automaton's bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_overlapping_and_leftmost_occurrences() {
        let automaton = Automaton::new(&["abc", "bc", "", "ABC", "c"], true);
        let mut all = Vec::new();
        automaton.overlapping("xABCx", |p, s, e| {
            all.push((p, s, e));
            true
        });
        all.sort_unstable();
        assert_eq!(all, [(0, 1, 4), (1, 2, 4), (4, 3, 4)]);
        assert_eq!(automaton.non_overlapping("abcabc"), [(0, 0, 3), (0, 3, 6)]);
        let mut first = 0;
        automaton.overlapping("abcabc", |_, _, _| {
            first += 1;
            false
        });
        assert_eq!(first, 1);
        let exact = Automaton::new(&["Key"], false);
        assert!(exact.non_overlapping("key").is_empty());
        assert!(Automaton::new::<&str>(&[], false)
            .non_overlapping("x")
            .is_empty());
    }
}
