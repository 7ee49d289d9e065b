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
//! stored as flat arrays, so `build.rs` compiles the knowledge's automata and the engine
//! searches them in those bytes instead of building them ([`Automaton::to_bytes`],
//! [`adf_scan::double_array`]): daachorse itself builds, and only at build time and for team
//! rules.

use crate::varint::read_varint;
use adf_scan::double_array::DoubleArray;
use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind};

/// A compiled set of literals. Patterns are identified by their index in the list given to
/// [`Automaton::new`].
pub struct Automaton {
    /// `None` when no pattern can match (an empty set). Searched in daachorse's serialised
    /// bytes ([`DoubleArray`]): an embedded automaton is unpacked and its bytes are moved past
    /// the case flag in one copy, then read as they are, state by state only when searched.
    search: Option<DoubleArray>,
    /// Patterns and texts are compared in ASCII lowercase.
    ascii_case_insensitive: bool,
}

impl Automaton {
    /// Compiles `patterns`; empty patterns never match, and a repeated pattern is reported under
    /// its first index.
    pub fn new<S: AsRef<str>>(patterns: &[S], ascii_case_insensitive: bool) -> Automaton {
        let unique = unique_patterns(patterns, ascii_case_insensitive);
        let search = (!unique.is_empty()).then(|| {
            let built = DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build_with_values(unique)
                // Not `expect`: formatting the error would keep its Debug code in the wasm.
                .unwrap_or_else(|_| unreachable!("unique non-empty literals form an automaton"));
            DoubleArray::read(built.serialize())
                .unwrap_or_else(|| unreachable!("daachorse's own bytes read back"))
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
            bytes.extend_from_slice(search.bytes());
        }
        bytes
    }

    /// Reads back what [`Automaton::to_bytes`] wrote; `None` for bytes it did not write.
    pub fn from_bytes(bytes: &[u8]) -> Option<Automaton> {
        let (&case, rest) = bytes.split_first()?;
        let search = match rest {
            [] => None,
            rest => Some(DoubleArray::read(rest.to_vec())?),
        };
        Some(Automaton {
            search,
            ascii_case_insensitive: case == 1,
        })
    }

    /// Calls `found(pattern, start, end)` for every occurrence, overlapping ones included, in
    /// order of their end; stops when `found` returns `false`.
    pub fn overlapping(&self, haystack: &str, mut found: impl FnMut(usize, usize, usize) -> bool) {
        self.each_overlapping(haystack, &mut found);
    }

    /// The search loop, compiled once (and for speed, in `adf_scan`): the callers' closures are
    /// called through a pointer rather than each getting a copy of the automaton's scan in the
    /// wasm.
    fn each_overlapping(&self, haystack: &str, found: &mut dyn FnMut(usize, usize, usize) -> bool) {
        let Some(search) = &self.search else { return };
        search.overlapping(self.comparable(haystack).as_bytes(), found);
    }

    /// The text as patterns are compared with it; lowercasing ASCII keeps every byte offset.
    fn comparable<'t>(&self, haystack: &'t str) -> std::borrow::Cow<'t, str> {
        if self.ascii_case_insensitive {
            std::borrow::Cow::Owned(adf_scan::lowercase(haystack))
        } else {
            std::borrow::Cow::Borrowed(haystack)
        }
    }
}

/// Patterns at most this long go into a [`CompactAutomaton`] whole; longer ones by their first
/// bytes. Most of a double array's states are the tails of long patterns, which rarely share
/// anything, so cutting them makes the knowledge's automata several times smaller.
const PREFIX_LEN: usize = 8;
/// At most this many patterns share a prefix (unless they are whole): prefixes that more patterns
/// begin with are lengthened, so that a hit's checks do not grow with the knowledge base.
const MAX_SHARING: usize = 4;

/// The patterns as compared (lowercase when case is ignored), each with its first index; empty
/// and repeated ones left out.
fn unique_patterns<S: AsRef<str>>(
    patterns: &[S],
    ascii_case_insensitive: bool,
) -> Vec<(String, u32)> {
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
    unique
}

/// How many bytes of each pattern the prefix automaton holds: [`PREFIX_LEN`], lengthened by as
/// much again for the patterns of any prefix more than [`MAX_SHARING`] patterns begin with.
/// Returns the lengths, the patterns' order by prefix and the runs of that order that share one.
fn prefixes(patterns: &[(String, u32)]) -> (Vec<usize>, Vec<usize>, Vec<(u32, u32)>) {
    let mut lengths: Vec<usize> = patterns
        .iter()
        .map(|(p, _)| p.floor_char_boundary(PREFIX_LEN))
        .collect();
    loop {
        let prefix = |at: usize| &patterns[at].0[..lengths[at]];
        let mut order: Vec<usize> = (0..patterns.len()).collect();
        crate::sort::by(&mut order, |&a, &b| {
            prefix(a)
                .cmp(prefix(b))
                .then(patterns[a].1.cmp(&patterns[b].1))
        });
        let mut runs: Vec<(u32, u32)> = Vec::new();
        for (at, &which) in order.iter().enumerate() {
            match runs.last_mut() {
                Some(run) if prefix(order[run.0 as usize]) == prefix(which) => {
                    run.1 = at as u32 + 1
                }
                _ => runs.push((at as u32, at as u32 + 1)),
            }
        }
        let mut lengthened = false;
        for &(first, last) in runs.iter().filter(|(f, l)| (l - f) as usize > MAX_SHARING) {
            for &at in &order[first as usize..last as usize] {
                let pattern = &patterns[at].0;
                if lengths[at] < pattern.len() {
                    lengths[at] = pattern.floor_char_boundary(lengths[at] + PREFIX_LEN);
                    lengthened = true;
                }
            }
        }
        if !lengthened {
            return (lengths, order, runs);
        }
    }
}

/// An automaton of the patterns' first bytes, each hit checked against the whole patterns that
/// begin so. It finds exactly what an [`Automaton`] of the whole patterns finds, in a fraction
/// of the space: the matcher's automata over thousands of knowledge literals are stored in the
/// engine and read at every start.
pub struct CompactAutomaton {
    /// Case-sensitive, over prefixes already lowercased when case is ignored.
    prefixes: Automaton,
    ascii_case_insensitive: bool,
    /// The patterns as compared (lowercase when case is ignored), joined.
    text: String,
    /// Per pattern, grouped by prefix: its range in `text` and its index in the caller's list.
    patterns: Vec<(u32, u32, u32)>,
    /// Per distinct prefix (the value of the prefix automaton): its patterns' range.
    groups: Vec<(u32, u32)>,
}

impl CompactAutomaton {
    /// Compiles `patterns` like [`Automaton::new`]: empty patterns never match, and a repeated
    /// pattern is reported under its first index.
    pub fn new<S: AsRef<str>>(patterns: &[S], ascii_case_insensitive: bool) -> CompactAutomaton {
        let unique = unique_patterns(patterns, ascii_case_insensitive);
        let (lengths, order, groups) = prefixes(&unique);
        let mut text = String::new();
        let mut patterns = Vec::with_capacity(unique.len());
        for &which in &order {
            let (pattern, index) = &unique[which];
            let start = text.len() as u32;
            text.push_str(pattern);
            patterns.push((start, text.len() as u32, *index));
        }
        let group_prefixes: Vec<&str> = groups
            .iter()
            .map(|&(first, _)| {
                let which = order[first as usize];
                &unique[which].0[..lengths[which]]
            })
            .collect();
        CompactAutomaton {
            prefixes: Automaton::new(&group_prefixes, false),
            ascii_case_insensitive,
            text,
            patterns,
            groups,
        }
    }

    /// The patterns as compared, one after another.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each pattern starts in [`CompactAutomaton::text`], by its index in the list given
    /// to [`CompactAutomaton::new`] (0 for an empty or repeated one).
    pub fn starts(&self) -> Vec<usize> {
        let count = self.patterns.iter().map(|p| p.2 as usize + 1).max();
        let mut starts = vec![0; count.unwrap_or(0)];
        for &(from, _, index) in &self.patterns {
            starts[index as usize] = from as usize;
        }
        starts
    }

    /// The patterns as compared, each once.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.patterns
            .iter()
            .map(|&(from, to, _)| &self.text[from as usize..to as usize])
    }

    /// Calls `found(pattern, start, end)` for every occurrence, overlapping ones included, in
    /// order of where their first [`PREFIX_LEN`] bytes end (for one pattern: in text order);
    /// stops when `found` returns `false`.
    pub fn overlapping(&self, haystack: &str, mut found: impl FnMut(usize, usize, usize) -> bool) {
        let haystack = if self.ascii_case_insensitive {
            std::borrow::Cow::Owned(adf_scan::lowercase(haystack))
        } else {
            std::borrow::Cow::Borrowed(haystack)
        };
        let bytes = haystack.as_bytes();
        let mut going = true;
        self.prefixes.overlapping(&haystack, |group, start, end| {
            // `get`: the ranges were checked when read, and indexing is a call in the
            // size-optimised wasm, made for every hit.
            let (first, last) = self.groups.get(group).copied().unwrap_or_default();
            let patterns = self.patterns.get(first as usize..last as usize);
            // The group's patterns all begin with the prefix found at `start..end`: only the
            // rest of each is compared, none at all for a pattern held whole.
            let prefix = end - start;
            let after = bytes.get(end..).unwrap_or_default();
            for &(from, to, index) in patterns.unwrap_or_default() {
                let rest = self
                    .text
                    .as_bytes()
                    .get(from as usize + prefix..to as usize);
                let rest = rest.unwrap_or_default();
                if after.starts_with(rest) {
                    going = found(index as usize, start, end + rest.len());
                    if !going {
                        break;
                    }
                }
            }
            going
        });
    }
}

/// The layout [`CompactAutomaton`] is stored in: its tables, then the prefix automaton's bytes
/// ([`crate::runs`] packed).
/// The patterns and the groups are varints (three and two numbers each), read by functions of
/// their own (see [`apart`]).
type CompactParts<'a> = (bool, &'a str, &'a [u8], &'a [u8], &'a [u8]);

impl serde::Serialize for CompactAutomaton {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Packed: the prefix automaton's prefilter table is mostly one byte value, and these
        // bytes are shipped in the wasm and read by every cold start.
        let prefixes = crate::runs::pack(&self.prefixes.to_bytes());
        let mut patterns = Vec::new();
        for &(from, to, index) in &self.patterns {
            for number in [from, to, index] {
                crate::varint::push_varint(&mut patterns, number as usize);
            }
        }
        let mut groups = Vec::new();
        for &(first, last) in &self.groups {
            crate::varint::push_varint(&mut groups, first as usize);
            crate::varint::push_varint(&mut groups, last as usize);
        }
        let parts: CompactParts = (
            self.ascii_case_insensitive,
            &self.text,
            &patterns,
            &groups,
            &prefixes,
        );
        parts.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for CompactAutomaton {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let (ascii_case_insensitive, text, patterns, groups, prefixes): CompactParts =
            serde::Deserialize::deserialize(deserializer)?;
        let patterns = apart(read_triples as fn(&[u8]) -> Option<Vec<(u32, u32, u32)>>)(patterns);
        let groups = apart(read_pairs as fn(&[u8]) -> Option<Vec<(u32, u32)>>)(groups);
        let (Some(patterns), Some(groups)) = (patterns, groups) else {
            return Err(serde::de::Error::custom("not a compact automaton's bytes"));
        };
        let valid = apart(valid_ranges as fn(&str, &[(u32, u32, u32)], &[(u32, u32)]) -> bool)(
            text, &patterns, &groups,
        );
        let prefixes = crate::runs::unpack(prefixes)
            .and_then(|bytes| Automaton::from_bytes(&bytes))
            .filter(|_| valid)
            .ok_or_else(|| serde::de::Error::custom("not a compact automaton's bytes"))?;
        Ok(CompactAutomaton {
            prefixes,
            ascii_case_insensitive,
            text: text.to_string(),
            patterns,
            groups,
        })
    }
}

/// `f`, to be called through a pointer that no optimiser sees through, so that neither LLVM nor
/// wasm-opt inlines it into its caller. For the loops that read the knowledge at start: each
/// runs once per start, over thousands of items, which makes V8 recompile the function it is in
/// with its optimising tier, on the other core while the first answer is still being computed,
/// for code that is never called again. Apart, the recompiled function is the loop alone, a
/// few hundred bytes instead of kilobytes (`CompactAutomaton`'s deserialisation, `Bm25::read`).
pub(crate) fn apart<F>(f: F) -> F {
    std::hint::black_box(f)
}

fn read_triples(mut bytes: &[u8]) -> Option<Vec<(u32, u32, u32)>> {
    let mut triples = Vec::with_capacity(bytes.len() / 3);
    while !bytes.is_empty() {
        let mut number = || read_varint(&mut bytes).and_then(|n| u32::try_from(n).ok());
        triples.push((number()?, number()?, number()?));
    }
    Some(triples)
}

fn read_pairs(mut bytes: &[u8]) -> Option<Vec<(u32, u32)>> {
    let mut pairs = Vec::with_capacity(bytes.len() / 2);
    while !bytes.is_empty() {
        let mut number = || read_varint(&mut bytes).and_then(|n| u32::try_from(n).ok());
        pairs.push((number()?, number()?));
    }
    Some(pairs)
}

/// Whether every pattern's range lies in `text` on character boundaries and every group's in
/// `patterns`.
fn valid_ranges(text: &str, patterns: &[(u32, u32, u32)], groups: &[(u32, u32)]) -> bool {
    patterns.iter().all(|&(from, to, _)| {
        from <= to && text.is_char_boundary(from as usize) && text.is_char_boundary(to as usize)
    }) && groups
        .iter()
        .all(|&(first, last)| first <= last && last as usize <= patterns.len())
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
        let mut first = 0;
        automaton.overlapping("abcabc", |_, _, _| {
            first += 1;
            false
        });
        assert_eq!(first, 1);
        let found_in = |automaton: &Automaton, text: &str| {
            let mut found = 0;
            automaton.overlapping(text, |_, _, _| {
                found += 1;
                true
            });
            found
        };
        let exact = Automaton::new(&["Key"], false);
        assert_eq!(found_in(&exact, "key"), 0);
        assert_eq!(found_in(&exact, "Key"), 1);
        assert_eq!(found_in(&Automaton::new::<&str>(&[], false), "x"), 0);
    }

    fn all(
        search: impl Fn(&str, &mut dyn FnMut(usize, usize, usize) -> bool),
        text: &str,
    ) -> Vec<(usize, usize, usize)> {
        let mut found = Vec::new();
        search(text, &mut |p, s, e| {
            found.push((p, s, e));
            true
        });
        found.sort_unstable();
        found
    }

    /// Short patterns, long ones sharing their first bytes, repeats and case: the compact
    /// automaton finds what the full one finds, and reads back from its bytes the same.
    #[test]
    fn compact_automaton_finds_what_the_full_one_finds() {
        let patterns = [
            "usererrorinvalidparameter",
            "usererrorinvalidcolumn",
            "usererror",
            "user",
            "",
            "UserErrorInvalidParameter",
            "invalid",
            "parametervalueisnotvalid",
        ];
        let text = "xxUserErrorInvalidParameterValueIsNotValid usererrorinvalidcolumnuser";
        for case in [false, true] {
            let full = Automaton::new(&patterns, case);
            let compact = CompactAutomaton::new(&patterns, case);
            let bytes = postcard::to_allocvec(&compact).unwrap();
            let read: CompactAutomaton = postcard::from_bytes(&bytes).unwrap();
            let expected = all(|t, f| full.overlapping(t, f), text);
            assert!(expected.len() >= if case { 7 } else { 4 }, "{expected:?}");
            assert_eq!(all(|t, f| compact.overlapping(t, f), text), expected);
            assert_eq!(all(|t, f| read.overlapping(t, f), text), expected);
        }
        let mut calls = 0;
        CompactAutomaton::new(&patterns, true).overlapping(text, |_, _, _| {
            calls += 1;
            false
        });
        assert_eq!(calls, 1);
    }

    proptest::proptest! {
        #[test]
        fn compact_and_full_automata_agree(
            patterns in proptest::collection::vec("[ab]{1,14}", 1..12),
            text in "[abAB]{0,60}",
            case: bool,
        ) {
            let full = Automaton::new(&patterns, case);
            let compact = CompactAutomaton::new(&patterns, case);
            proptest::prop_assert_eq!(
                all(|t, f| compact.overlapping(t, f), &text),
                all(|t, f| full.overlapping(t, f), &text)
            );
        }
    }
}
