//! The engine's automaton scans and the other loops run over every byte or word of a text, in a
//! crate of their own so that the extension's wasm can compile them for speed while the engine
//! stays size-optimised (`Cargo.toml`'s `[profile.wasm.package.adf-scan]`): daachorse's search
//! loop is generic, so it is compiled in the crate that calls it, and these functions are where
//! it is called.
//!
//! ```
//! use daachorse::DoubleArrayAhoCorasick;
//! let search = DoubleArrayAhoCorasick::<u32>::with_values([("key", 0), ("gatewaykey", 1)]).unwrap();
//! let mut found = Vec::new();
//! adf_scan::overlapping(&search, b"invalidgatewaykey", &mut |pattern, start, end| {
//!     found.push((pattern, start, end));
//!     true
//! });
//! assert_eq!(found, [(1, 7, 17), (0, 14, 17)]);
//! ```

use daachorse::DoubleArrayAhoCorasick;

pub mod fold;
pub mod interner;
pub mod postings;
pub mod sorted;
pub mod varint;
pub mod words;

/// The text with ASCII letters lowercased, byte offsets unchanged: what case-insensitive
/// automata scan.
pub fn lowercase(text: &str) -> String {
    text.to_ascii_lowercase()
}

/// Calls `found(pattern, start, end)` for every occurrence in `haystack`, overlapping ones
/// included, in order of their end; stops when `found` returns `false`.
pub fn overlapping(
    search: &DoubleArrayAhoCorasick<u32>,
    haystack: &[u8],
    found: &mut dyn FnMut(usize, usize, usize) -> bool,
) {
    for m in search.find_overlapping_iter(haystack) {
        if !found(m.value() as usize, m.start(), m.end()) {
            return;
        }
    }
}
