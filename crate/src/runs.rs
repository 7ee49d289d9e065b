//! Run-length packing of build-time tables whose bytes repeat: a daachorse automaton is often
//! mostly its prefilter's 64 KB table of `0xff`, which would otherwise ship as is in the wasm and
//! be read from the package at every cold start.
//!
//! ```
//! use adf_troubleshooter::runs::{pack, unpack};
//! let table = [[7, 8].as_slice(), &[0xff; 1000], &[1, 2, 3]].concat();
//! assert!(pack(&table).len() < 16);
//! assert_eq!(unpack(&pack(&table)).as_deref(), Some(table.as_slice()));
//! ```
//!
//! The packed form is a list of chunks: literal bytes (a varint count, then the bytes), then one
//! byte repeated (the byte, then a varint count). The build script includes this file.

use crate::varint::push_varint;

/// Runs shorter than this are kept as literals: a run costs at least three bytes.
const MIN_RUN: usize = 4;

pub fn pack(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut literal_from = 0;
    let mut at = 0;
    while at < bytes.len() {
        let run = bytes[at..].iter().take_while(|&&b| b == bytes[at]).count();
        if run >= MIN_RUN {
            push_varint(&mut out, at - literal_from);
            out.extend_from_slice(&bytes[literal_from..at]);
            out.push(bytes[at]);
            push_varint(&mut out, run);
            literal_from = at + run;
        }
        at += run;
    }
    push_varint(&mut out, bytes.len() - literal_from);
    out.extend_from_slice(&bytes[literal_from..]);
    out
}

/// What [`pack`] packed; `None` for bytes it did not write. Compiled for speed
/// (`adf_scan`): it runs at every start over each embedded automaton.
pub fn unpack(packed: &[u8]) -> Option<Vec<u8>> {
    adf_scan::runs::unpack(packed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_unpacks_runs_and_literals() {
        let cases: &[&[u8]] = &[
            &[],
            &[1],
            &[5, 5, 5],
            &[5, 5, 5, 5],
            &[0; 300],
            &[1, 2, 0, 0, 0, 0, 0, 3, 3, 3, 3, 4],
        ];
        for &case in cases {
            assert_eq!(unpack(&pack(case)).as_deref(), Some(case), "{case:?}");
        }
        assert_eq!(unpack(&[3, 1]), None);
    }

    /// The shape of a double array's states: little-endian numbers with zero high bytes, so
    /// literals and short runs of zeros alternate, and a long run like a prefilter's table.
    #[test]
    fn unpacks_many_short_runs() {
        let mut table = Vec::new();
        let mut seed = 7u32;
        for _ in 0..5000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let number = (seed >> 16) % 70_000;
            table.extend_from_slice(&number.to_le_bytes());
            table.extend_from_slice(&[(seed % 251) as u8, 0, 0, 0]);
        }
        table.extend_from_slice(&[0xff; 65536]);
        let packed = pack(&table);
        assert!(packed.len() < table.len() / 2);
        assert_eq!(unpack(&packed), Some(table));
        for cut in [1, 2, packed.len() / 2] {
            assert_eq!(unpack(&packed[..packed.len() - cut]), None, "cut {cut}");
        }
    }
}
