//! Dictionary LZ packing of the knowledge entries' bytes: each entry packed alone (it is read
//! alone, on first use), its repeats found in itself and in one dictionary of the phrases most
//! entries share, which `build.rs` picks.
//!
//! ```
//! use adf_troubleshooter::lz::{dictionary, unpack_into, Packer};
//! let texts: [&[u8]; 2] = [b"the gateway key is not valid; regenerate the key", b"the gateway key expired"];
//! let dict = dictionary(&texts, 64);
//! let packed = Packer::new(&dict).pack(b"id: the gateway key is not valid", 4);
//! let mut out = b"id: ".to_vec();
//! unpack_into(&dict, &packed, &mut out).unwrap();
//! assert_eq!(out, b"id: the gateway key is not valid");
//! ```
//!
//! Every byte read from the extension's wasm costs cold-start time in the browser (about 7 ms per
//! MB), and the entries' prose is most of the knowledge: packed, it is half its size. There is no
//! entropy coding, so unpacking is a few copies per entry.
//!
//! The packed form: chunks of literal bytes (a varint count, then the bytes), each followed,
//! unless the input ends, by a copy (a varint length less [`MIN_COPY`], then a varint distance
//! back from the end of what is unpacked so far, reading the dictionary as if it came just
//! before it). A copy lies wholly in the dictionary or wholly in the unpacked bytes. The build
//! script includes this file.

use crate::varint::{push_varint, read_varint};
use std::collections::{BinaryHeap, HashMap, HashSet};

/// The shortest copy the packed form can express: its length is stored less this.
pub const MIN_COPY: usize = 4;
/// Shorter repeats are left as literals, for the store zip's deflate, which finds them across
/// entries too: copies from 5 bytes on made the wasm 81 KB smaller still, but the zip 21 KB
/// larger (996 KB, at its 1 MB budget).
const MIN_USED: usize = 12;
/// Phrases are compared by their runs of this many bytes.
const GRAM: usize = 8;
/// The dictionary is made of pieces of the texts this long.
const PIECE: usize = 48;
/// Candidate copies tried per position when packing.
const TRIES: usize = 64;

/// Unpacks what [`pack`] packed with the same dictionary, after what `out` already holds (the
/// bytes `pack` was told are there); `None` for bytes it did not write.
pub fn unpack_into(dict: &[u8], mut packed: &[u8], out: &mut Vec<u8>) -> Option<()> {
    loop {
        let literal = read_varint(&mut packed)?;
        out.extend_from_slice(packed.get(..literal)?);
        packed = &packed[literal..];
        if packed.is_empty() {
            return Some(());
        }
        let len = read_varint(&mut packed)? + MIN_COPY;
        let distance = read_varint(&mut packed)?;
        match distance.checked_sub(out.len()) {
            // In the unpacked bytes: byte by byte, as a copy may overlap its own output.
            None | Some(0) => {
                let from = out.len().checked_sub(distance)?;
                for at in from..from + len {
                    out.push(*out.get(at)?);
                }
            }
            Some(back) => {
                let from = dict.len().checked_sub(back)?;
                out.extend_from_slice(dict.get(from..from + len)?);
            }
        }
    }
}

/// Packs entries against one dictionary, whose runs of bytes are looked up once.
pub struct Packer<'d> {
    dict: &'d [u8],
    /// Where each run of [`MIN_COPY`] bytes is in the dictionary, latest last.
    seen: HashMap<&'d [u8], Vec<usize>>,
}

impl<'d> Packer<'d> {
    pub fn new(dict: &'d [u8]) -> Packer<'d> {
        let mut seen: HashMap<&[u8], Vec<usize>> = HashMap::new();
        for (at, run) in dict.windows(MIN_COPY).enumerate() {
            seen.entry(run).or_default().push(at);
        }
        Packer { dict, seen }
    }

    /// Packs `bytes[from..]`; `bytes[..from]` is already unpacked when it is read (copies may
    /// come from there too).
    pub fn pack(&self, bytes: &[u8], from: usize) -> Vec<u8> {
        // Where each run of the entry's own bytes is, latest last.
        let mut own: HashMap<&[u8], Vec<usize>> = HashMap::new();
        fn note<'b>(own: &mut HashMap<&'b [u8], Vec<usize>>, bytes: &'b [u8], at: usize) {
            if let Some(run) = bytes.get(at..at + MIN_COPY) {
                own.entry(run).or_default().push(at);
            }
        }
        for at in 0..from {
            note(&mut own, bytes, at);
        }
        let mut out = Vec::new();
        let (mut literal_from, mut at) = (from, from);
        while at < bytes.len() {
            // The longest copy, as (length, distance back from `at` through the dictionary).
            let mut best = (0, 0);
            if let Some(run) = bytes.get(at..at + MIN_COPY) {
                for &start in own.get(run).into_iter().flatten().rev().take(TRIES) {
                    let len = common(&bytes[start..], &bytes[at..]);
                    if len > best.0 {
                        best = (len, at - start);
                    }
                }
                for &start in self.seen.get(run).into_iter().flatten().rev().take(TRIES) {
                    // A copy from the dictionary ends within it.
                    let len = common(&self.dict[start..], &bytes[at..]);
                    if len > best.0 {
                        best = (len, at + self.dict.len() - start);
                    }
                }
            }
            if best.0 >= MIN_USED {
                push_varint(&mut out, at - literal_from);
                out.extend_from_slice(&bytes[literal_from..at]);
                push_varint(&mut out, best.0 - MIN_COPY);
                push_varint(&mut out, best.1);
                for covered in at..at + best.0 {
                    note(&mut own, bytes, covered);
                }
                at += best.0;
                literal_from = at;
            } else {
                note(&mut own, bytes, at);
                at += 1;
            }
        }
        push_varint(&mut out, bytes.len() - literal_from);
        out.extend_from_slice(&bytes[literal_from..]);
        out
    }
}

/// How many bytes `a` and `b` begin with in common.
fn common(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A dictionary of at most about `size` bytes for `texts`: pieces of them whose runs of bytes
/// the most texts share, each run counted once; the most telling pieces last, nearest to the
/// packed bytes (the shortest distances).
pub fn dictionary(texts: &[&[u8]], size: usize) -> Vec<u8> {
    let mut holders: HashMap<&[u8], usize> = HashMap::new();
    for text in texts {
        let mut grams: Vec<&[u8]> = text.windows(GRAM).collect();
        grams.sort_unstable();
        grams.dedup();
        for gram in grams {
            *holders.entry(gram).or_default() += 1;
        }
    }
    let pieces: Vec<&[u8]> = texts
        .iter()
        .flat_map(|text| {
            (0..text.len().saturating_sub(PIECE) + 1)
                .step_by(PIECE / 2)
                .map(move |at| &text[at..(at + PIECE).min(text.len())])
        })
        .collect();
    let mut covered: HashSet<&[u8]> = HashSet::new();
    let worth = |piece: &[u8], covered: &HashSet<&[u8]>| -> usize {
        piece
            .windows(GRAM)
            .filter(|gram| !covered.contains(gram))
            .map(|gram| holders.get(gram).map_or(0, |n| n - 1))
            .sum()
    };
    // Lazy greedy: a piece's worth only falls as others are chosen, so a popped piece whose
    // worth is still what it was queued with is the best left.
    let mut queue: BinaryHeap<(usize, std::cmp::Reverse<usize>)> = pieces
        .iter()
        .enumerate()
        .map(|(at, piece)| (worth(piece, &covered), std::cmp::Reverse(at)))
        .collect();
    let mut chosen: Vec<&[u8]> = Vec::new();
    let mut total = 0;
    while let Some((queued, std::cmp::Reverse(at))) = queue.pop() {
        if total >= size || queued == 0 {
            break;
        }
        let now = worth(pieces[at], &covered);
        if now < queued {
            queue.push((now, std::cmp::Reverse(at)));
            continue;
        }
        chosen.push(pieces[at]);
        total += pieces[at].len();
        for gram in pieces[at].windows(GRAM) {
            covered.insert(gram);
        }
    }
    chosen.reverse();
    chosen.concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_what_was_packed() {
        let texts: Vec<Vec<u8>> = (0..20)
            .map(|n| format!("entry {n}: the copy activity failed; retry the copy {n} times, then check the copy activity's sink").into_bytes())
            .collect();
        let refs: Vec<&[u8]> = texts.iter().map(Vec::as_slice).collect();
        for dict in [Vec::new(), dictionary(&refs, 200)] {
            for text in &texts {
                for from in [0, 3] {
                    let packed = Packer::new(&dict).pack(text, from);
                    let mut out = text[..from].to_vec();
                    unpack_into(&dict, &packed, &mut out).unwrap();
                    assert_eq!(&out, text);
                }
            }
        }
        let dict = dictionary(&refs, 200);
        let packer = Packer::new(&dict);
        let packed: usize = texts.iter().map(|t| packer.pack(t, 0).len()).sum();
        assert!(packed * 2 < texts.iter().map(Vec::len).sum::<usize>());
        let mut out = Vec::new();
        assert_eq!(unpack_into(&dict, &[0, 0, 9], &mut out), None);
    }
}
