//! Unpacking the run-length packed tables the engine reads at every start (the knowledge's
//! automata): the packed form is written by the engine's `runs::pack`.
//!
//! ```
//! // Literal bytes (count 2, then them), one byte repeated (0xff, 5 times), no more literals.
//! let packed = [2, 7, 8, 0xff, 5, 0];
//! assert_eq!(adf_scan::runs::unpack(&packed), Some(vec![7, 8, 0xff, 0xff, 0xff, 0xff, 0xff]));
//! assert_eq!(adf_scan::runs::unpack(&[3, 1]), None);
//! ```
//!
//! A double array packs into one chunk of literals and one short run of zeros per few states,
//! tens of thousands of chunks: it runs once, in V8's baseline code, so it is one tight loop
//! without calls that sizes the table first and then copies and fills it in place.

use crate::varint::read_varint;

/// What the engine's `runs::pack` packed; `None` for bytes it did not write.
pub fn unpack(packed: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0; unpacked_len(packed)?];
    let (mut packed, mut at) = (packed, 0);
    loop {
        let literal = read_varint(&mut packed)?;
        let (bytes, rest) = packed.split_at_checked(literal)?;
        out.get_mut(at..at + literal)?.copy_from_slice(bytes);
        at += literal;
        let Some((&byte, rest)) = rest.split_first() else {
            return Some(out);
        };
        packed = rest;
        let run = read_varint(&mut packed)?;
        out.get_mut(at..at + run)?.fill(byte);
        at += run;
    }
}

/// The length [`unpack`] gives, read from the chunks' counts alone.
fn unpacked_len(mut packed: &[u8]) -> Option<usize> {
    let mut len = 0usize;
    loop {
        let literal = read_varint(&mut packed)?;
        packed = packed.get(literal..)?;
        len = len.checked_add(literal)?;
        let Some((_, rest)) = packed.split_first() else {
            return Some(len);
        };
        packed = rest;
        len = len.checked_add(read_varint(&mut packed)?)?;
    }
}
