//! Unsigned LEB128 varints, as the compiled knowledge's own tables write them (the engine's
//! `bm25` and `runs` modules); read here, compiled for speed, per posting of every query word.
//!
//! ```
//! use adf_scan::varint::{push_varint, read_varint};
//! let mut bytes = Vec::new();
//! push_varint(&mut bytes, 300);
//! assert_eq!(read_varint(&mut bytes.as_slice()), Some(300));
//! ```

pub fn push_varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads one varint off the front of `bytes`; `None` when they end first or it overflows.
/// Inlined with its one-byte case first: posting lists are mostly small numbers, read per
/// posting of every query word.
#[inline(always)]
pub fn read_varint(bytes: &mut &[u8]) -> Option<usize> {
    if let Some((&byte, rest)) = bytes.split_first() {
        if byte < 0x80 {
            *bytes = rest;
            return Some(usize::from(byte));
        }
    }
    read_long_varint(bytes)
}

#[inline(never)]
fn read_long_varint(bytes: &mut &[u8]) -> Option<usize> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return usize::try_from(value).ok();
        }
    }
    None
}
