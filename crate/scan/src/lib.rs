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

/// A byte offset as the u32 the scans and tables hold; texts past 4 GiB saturate.
pub fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The text with ASCII letters lowercased, byte offsets unchanged: what case-insensitive
/// automata scan. Eight bytes at a time: the wasm has no vector instructions to do it faster.
pub fn lowercase(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    let mut chunks = bytes.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let eight = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        chunk.copy_from_slice(&lowercase_eight(eight).to_le_bytes());
    }
    chunks.into_remainder().make_ascii_lowercase();
    // Only ASCII capitals changed, to ASCII.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Eight bytes with each ASCII capital lowercased (its 0x20 bit set), every other byte as it is.
fn lowercase_eight(eight: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // Each byte's low seven bits, plus an amount that carries into its high bit from `A` on,
    // and another from past `Z`: no carry reaches the next byte.
    let low = eight & !HIGH;
    let from_a = low + ONES * u64::from(0x80 - b'A');
    let past_z = low + ONES * u64::from(0x80 - b'Z' - 1);
    let capitals = from_a & !past_z & !eight & HIGH;
    eight | capitals >> 2
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn lowercase_is_the_standard_librarys(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(super::lowercase(&text), text.to_ascii_lowercase());
        }
    }

    /// Every ASCII byte, at every place in a chunk of eight.
    #[test]
    fn lowercase_reads_every_ascii_byte() {
        for shift in 0..8 {
            let bytes: Vec<u8> = (0..shift).chain(0..=127).collect();
            let text = String::from_utf8(bytes).unwrap();
            assert_eq!(super::lowercase(&text), text.to_ascii_lowercase());
        }
    }
}
