//! The engine's automaton scans and the other loops run over every byte or word of a text, in a
//! crate of their own so that the extension's wasm can compile them for speed while the engine
//! stays size-optimised (`Cargo.toml`'s `[profile.wasm.package.adf-scan]`).
//!
//! ```
//! use adf_scan::double_array::DoubleArray;
//! use daachorse::DoubleArrayAhoCorasick;
//! let built = DoubleArrayAhoCorasick::<u32>::with_values([("key", 0), ("gatewaykey", 1)]).unwrap();
//! let mut found = Vec::new();
//! DoubleArray::read(built.serialize()).unwrap().overlapping(b"invalidgatewaykey", &mut |pattern, start, end| {
//!     found.push((pattern, start, end));
//!     true
//! });
//! assert_eq!(found, [(1, 7, 17), (0, 14, 17)]);
//! ```

pub mod double_array;
pub mod fold;
pub mod interner;
pub mod postings;
pub mod runs;
pub mod sorted;
pub mod varint;
pub mod words;

/// The text with ASCII letters lowercased, byte offsets unchanged: what case-insensitive
/// automata scan.
pub fn lowercase(text: &str) -> String {
    text.to_ascii_lowercase()
}
