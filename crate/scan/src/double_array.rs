//! daachorse's bytewise double-array Aho-Corasick automaton, searched in the bytes it was
//! serialised to: the engine reads its embedded automata at every start, and daachorse's own
//! `deserialize` copies each of them state by state (and its prefilter's 64 KiB table byte by
//! byte), once per start, in V8's baseline code.
//!
//! ```
//! use adf_scan::double_array::DoubleArray;
//! use daachorse::DoubleArrayAhoCorasick;
//! let built = DoubleArrayAhoCorasick::<u32>::with_values([("key", 0), ("gatewaykey", 1)]).unwrap();
//! let search = DoubleArray::read(built.serialize()).unwrap();
//! let mut found = Vec::new();
//! search.overlapping(b"invalidgatewaykey", &mut |pattern, start, end| {
//!     found.push((pattern, start, end));
//!     true
//! });
//! assert_eq!(found, [(1, 7, 17), (0, 14, 17)]);
//! ```
//!
//! The layout (daachorse 5, little-endian): the states (a u32 count, then per state its base,
//! 0 for none; its failure state; its output position << 8 | its check byte), the leftmost
//! states and the failure table (empty for standard matching), the outputs (a count, then per
//! output its value, its length and its parent position, 0 for none), the match kind, the
//! number of states, then the prefilter if any (a flag byte; its window length; its table of
//! 65,536 bytes). Every read is checked: bytes that do not hold such an automaton are refused
//! or find nothing, never read out of bounds.

use std::ops::Range;

/// A state's bytes (base, failure state, output << 8 | check) and an output's (value, length,
/// parent): three u32 each.
const RECORD_BYTES: usize = 12;
type Record = [u8; RECORD_BYTES];
const ROOT: u32 = 0;
/// daachorse's match kinds: only standard matching reports overlapping matches.
const STANDARD: u8 = 0;
/// The prefilter's table: one byte per 2-gram.
const PREFILTER_TABLE: usize = 1 << 16;
const PREFILTER_WINDOWS: Range<u8> = 2..10;

/// A daachorse automaton (standard matching, `u32` values) in its serialised bytes.
pub struct DoubleArray {
    bytes: Vec<u8>,
    states: Range<usize>,
    outputs: Range<usize>,
    /// The root's transitions, precomputed as daachorse does, each with its child's last word
    /// (output and check): the root is by far the most frequent state.
    root: Box<[[u32; 2]; 256]>,
    prefilter: Option<Prefilter>,
}

/// daachorse's SOG prefilter: where a pattern may start, so that positions none can start at
/// are skipped while the automaton is at its root.
#[derive(Clone, Copy)]
struct Prefilter {
    /// Where its table starts in the bytes.
    table: usize,
    window_len: u8,
    hit_bit: u8,
}

impl DoubleArray {
    /// Reads what daachorse's `serialize` wrote for a standard-matching automaton with `u32`
    /// values; `None` for anything else.
    pub fn read(bytes: Vec<u8>) -> Option<DoubleArray> {
        let mut at = 0;
        let states = list(&bytes, &mut at, RECORD_BYTES)?;
        // Leftmost states and failure table: both empty for standard matching.
        let leftmost = list(&bytes, &mut at, 8)?;
        let fails = list(&bytes, &mut at, 4)?;
        let outputs = list(&bytes, &mut at, RECORD_BYTES)?;
        let match_kind = *bytes.get(at)?;
        at += 1 + 4; // the match kind, then the number of states
        if match_kind != STANDARD || !leftmost.is_empty() || !fails.is_empty() {
            return None;
        }
        let (prefilter, end) = match *bytes.get(at)? {
            0 => (None, at + 1),
            1 => {
                let window_len = *bytes.get(at + 1)?;
                if !PREFILTER_WINDOWS.contains(&window_len) {
                    return None;
                }
                let table = at + 2;
                let filter = Prefilter {
                    table,
                    window_len,
                    hit_bit: 1 << (window_len - 2),
                };
                (Some(filter), table + PREFILTER_TABLE)
            }
            _ => return None,
        };
        if end != bytes.len() || states.is_empty() {
            return None;
        }
        let mut search = DoubleArray {
            bytes,
            states,
            outputs,
            root: Box::new([[ROOT, 0]; 256]),
            prefilter,
        };
        let states = records(&search.bytes[search.states.clone()]);
        if let Some(root) = states.first() {
            for c in 0..=255u8 {
                if let Some(next) = child(states, word(root, 0), c) {
                    search.root[usize::from(c)] = next;
                }
            }
        }
        Some(search)
    }

    /// The bytes it was read from.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Calls `found(pattern, start, end)` for every occurrence in `haystack`, overlapping ones
    /// included, in order of their end (at one end, the longest first), as daachorse's
    /// `find_overlapping_iter` finds them; stops when `found` returns `false`.
    pub fn overlapping(&self, haystack: &[u8], found: &mut dyn FnMut(usize, usize, usize) -> bool) {
        let states = records(&self.bytes[self.states.clone()]);
        let (mut state, mut pos) = (ROOT, 0);
        if let Some(filter) = self.prefilter {
            let mut gate = Gate::default();
            loop {
                if state == ROOT {
                    let candidate = self.next_candidate(filter, haystack, pos);
                    let worth_it = gate.worth_it(candidate - pos);
                    pos = candidate;
                    if !worth_it {
                        break;
                    }
                }
                let Some(&c) = haystack.get(pos) else { return };
                pos += 1;
                match self.step(states, state, c, pos, found) {
                    Some(next) => state = next,
                    None => return,
                }
            }
        }
        // Without the prefilter (none, or dropped by the gate): the loop most bytes take.
        for (at, &c) in haystack.iter().enumerate().skip(pos) {
            match self.step(states, state, c, at + 1, found) {
                Some(next) => state = next,
                None => return,
            }
        }
    }

    /// The state after reading `c`, its outputs reported as ending at `end`; `None` when the
    /// search stops.
    #[inline(always)]
    fn step(
        &self,
        states: &[Record],
        state: u32,
        c: u8,
        end: usize,
        found: &mut dyn FnMut(usize, usize, usize) -> bool,
    ) -> Option<u32> {
        let [next, last] = self.next_state(states, state, c);
        (last >> 8 == 0 || self.report(last >> 8, end, found)).then_some(next)
    }

    /// Calls `found` for the output at `position` and its parents, all ending at `end`; `false`
    /// when the search stops. Apart from the scan loop, which most bytes leave without output.
    #[inline(never)]
    fn report(
        &self,
        mut position: u32,
        end: usize,
        found: &mut dyn FnMut(usize, usize, usize) -> bool,
    ) -> bool {
        while position != 0 {
            let Some((value, length, parent)) = self.output(position) else {
                return false;
            };
            let Some(start) = end.checked_sub(length as usize) else {
                return false;
            };
            if !found(value as usize, start, end) {
                return false;
            }
            position = parent;
        }
        true
    }

    /// The state after reading `c` in `state`, with that state's last word (its output and
    /// check), read once for both.
    #[inline(always)]
    fn next_state(&self, states: &[Record], mut state: u32, c: u8) -> [u32; 2] {
        loop {
            if state == ROOT {
                return self.root[usize::from(c)];
            }
            let Some(words) = states.get(state as usize) else {
                return [ROOT, 0];
            };
            if let Some(next) = child(states, word(words, 0), c) {
                return next;
            }
            state = word(words, 1);
        }
    }

    /// The output at `position` (1-based): its value, length and parent position.
    fn output(&self, position: u32) -> Option<(u32, u32, u32)> {
        let outputs = records(&self.bytes[self.outputs.clone()]);
        let output = outputs.get(position.checked_sub(1)? as usize)?;
        Some((word(output, 0), word(output, 1), word(output, 2)))
    }

    /// The first position from `pos` where a pattern may start (or the haystack's length): a
    /// shift-or over the 2-grams of a window of the shortest pattern's length.
    #[inline(never)]
    fn next_candidate(&self, filter: Prefilter, haystack: &[u8], pos: usize) -> usize {
        let table = &self.bytes[filter.table..filter.table + PREFILTER_TABLE];
        let Some(&(mut previous)) = haystack.get(pos) else {
            return haystack.len();
        };
        let mut bits = u8::MAX;
        for (at, &c) in haystack.iter().enumerate().skip(pos + 1) {
            bits = (bits << 1) | table[usize::from(previous) << 8 | usize::from(c)];
            if bits & filter.hit_bit == 0 {
                return at + 1 - usize::from(filter.window_len);
            }
            previous = c;
        }
        haystack.len()
    }
}

/// The child by `c` of the state whose base is `base` (0 for none), with the child's last word.
#[inline(always)]
fn child(states: &[Record], base: u32, c: u8) -> Option<[u32; 2]> {
    if base == 0 {
        return None;
    }
    let child = base ^ u32::from(c);
    let last = word(states.get(child as usize)?, 2);
    (last as u8 == c).then_some([child, last])
}

/// A list's records.
fn records(bytes: &[u8]) -> &[Record] {
    bytes.as_chunks().0
}

/// The `index`th word of a record.
#[inline(always)]
fn word(record: &Record, index: usize) -> u32 {
    u32_at(record, index * 4).unwrap_or(0)
}

#[inline(always)]
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// A list's bytes: a u32 count, then that many items of `item_bytes`.
fn list(bytes: &[u8], at: &mut usize, item_bytes: usize) -> Option<Range<usize>> {
    let count = u32_at(bytes, *at)? as usize;
    let start = *at + 4;
    let end = start.checked_add(count.checked_mul(item_bytes)?)?;
    if end > bytes.len() {
        return None;
    }
    *at = end;
    Some(start..end)
}

/// daachorse's gate: the prefilter is dropped for the rest of a haystack once 64 of its runs
/// have skipped fewer than 512 bytes in all, where it costs more than it saves.
#[derive(Default)]
struct Gate {
    runs: u32,
    skipped: usize,
}

impl Gate {
    fn worth_it(&mut self, skipped: usize) -> bool {
        self.runs += 1;
        self.skipped += skipped;
        if self.runs < 64 {
            return true;
        }
        let worth = self.skipped >= 512;
        (self.runs, self.skipped) = (0, 0);
        worth
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

    struct Random(u64);
    impl Random {
        fn next(&mut self, below: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize % below
        }
        fn text(&mut self, alphabet: &[u8], len: usize) -> Vec<u8> {
            (0..len)
                .map(|_| alphabet[self.next(alphabet.len())])
                .collect()
        }
    }

    type Found = Vec<(usize, usize, usize)>;

    /// What daachorse finds, what the bytes' search finds, and whether it had a prefilter.
    fn both(patterns: &[Vec<u8>], haystack: &[u8]) -> (Found, Found, bool) {
        let built: DoubleArrayAhoCorasick<u32> = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build_with_values(
                patterns
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.as_slice(), i as u32)),
            )
            .unwrap();
        let expected: Vec<_> = built
            .find_overlapping_iter(haystack)
            .map(|m| (m.value() as usize, m.start(), m.end()))
            .collect();
        let search = DoubleArray::read(built.serialize()).unwrap();
        let mut found = Vec::new();
        search.overlapping(haystack, &mut |p, s, e| {
            found.push((p, s, e));
            true
        });
        (expected, found, search.prefilter.is_some())
    }

    /// Random pattern sets (short ones, so many overlap and share suffixes; long ones, so that
    /// daachorse builds its prefilter) over small alphabets: every match, in daachorse's order.
    #[test]
    fn finds_what_daachorse_finds() {
        let mut random = Random(42);
        let mut with_prefilter = 0;
        for round in 0..300 {
            let alphabet: &[u8] = if round % 3 == 0 {
                b"ab"
            } else {
                b"abcdefghijklmnopqrstuvwxyz -_."
            };
            let (shortest, longest) = if round % 2 == 0 { (1, 6) } else { (5, 14) };
            let mut patterns: Vec<Vec<u8>> = Vec::new();
            for _ in 0..1 + random.next(60) {
                let len = shortest + random.next(longest - shortest + 1);
                let pattern = random.text(alphabet, len);
                if !patterns.contains(&pattern) {
                    patterns.push(pattern);
                }
            }
            let len = random.next(3000);
            let mut haystack = random.text(alphabet, len);
            // Some sure hits, the first at the very start, one at the very end.
            for (at, pattern) in patterns.iter().take(3).enumerate() {
                let cut = [0, haystack.len() / 2, haystack.len()][at];
                haystack.splice(cut..cut, pattern.iter().copied());
            }
            let (expected, found, filtered) = both(&patterns, &haystack);
            assert_eq!(found, expected, "round {round}");
            with_prefilter += usize::from(filtered);
        }
        assert!(
            with_prefilter > 30,
            "{with_prefilter} of the sets had a prefilter"
        );
    }

    /// A long haystack where the prefilter skips little, so that the gate drops it midway.
    #[test]
    fn finds_the_same_after_the_gate_drops_the_prefilter() {
        let patterns: Vec<Vec<u8>> = ["abcab", "bcabc", "cabca", "zzzzz"]
            .iter()
            .map(|p| p.as_bytes().to_vec())
            .collect();
        let haystack = b"abcabcabx".repeat(2000);
        let (expected, found, filtered) = both(&patterns, &haystack);
        assert!(filtered && !expected.is_empty());
        assert_eq!(found, expected);
    }

    /// States and outputs that name records past the last (a base, a failure state, an output
    /// position) are searched without a read out of bounds or a panic.
    #[test]
    fn searches_records_past_the_last_without_reading_them() {
        let built = DoubleArrayAhoCorasick::<u32>::with_values([("gate", 0), ("gateway", 1)])
            .unwrap()
            .serialize();
        let states = list(&built, &mut 0, RECORD_BYTES).unwrap();
        let count = (states.len() / RECORD_BYTES) as u32;
        let mut random = Random(7);
        for far in [count, count + 1, u32::MAX / 12 + 1, u32::MAX] {
            for _ in 0..50 {
                let mut bytes = built.clone();
                let at = states.start + 4 * random.next(states.len() / 4);
                bytes[at..at + 4].copy_from_slice(&far.to_le_bytes());
                let Some(search) = DoubleArray::read(bytes) else {
                    continue;
                };
                search.overlapping(b"the gateway's gate", &mut |_, start, end| start <= end);
            }
        }
    }

    #[test]
    fn refuses_what_is_not_such_an_automaton() {
        let built = DoubleArrayAhoCorasick::<u32>::with_values([("needle", 0)]).unwrap();
        let bytes = built.serialize();
        assert!(DoubleArray::read(bytes.clone()).is_some());
        for cut in [1, 2, bytes.len() / 2, bytes.len()] {
            assert!(
                DoubleArray::read(bytes[..bytes.len() - cut].to_vec()).is_none(),
                "cut {cut}"
            );
        }
        let leftmost = DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values([("needle", 0u32)])
            .unwrap();
        assert!(DoubleArray::read(leftmost.serialize()).is_none());
    }
}
