//! The knowledge as `build.rs` compiles it: the entries, the matcher's index and the
//! related-text tables, each as postcard bytes inside one embedded byte string.
//!
//! The engine reads each section on first use with a single deserialisation, and nothing is
//! built when it starts: the automata are daachorse's flat arrays, searched where they are
//! unpacked; each entry is unpacked and read only when an answer first weighs it
//! ([`Entries`]). Entries are packed ([`crate::lz`]) behind their ids, which stay as written so
//! that an id is found unread. The build script includes this
//! file, so it imports only what the build script has too.

use crate::index::Index;
use crate::knowledge::entries::Entries;
use crate::knowledge::model::Entry;
use crate::lz;
use crate::suggest::Related;
use serde::{Deserialize, Serialize};

/// Opens the embedded byte string. Only the build script writes it (the engine skips
/// [`HEADER`] bytes), so it occurs once in a built wasm, where size checks look for it.
pub const MAGIC: &[u8; 16] = b"ADF-KNOWLEDGE-1\n";
/// The entries' dictionary's size: larger ones were measured to pack the entries to less, but
/// not by as much as they add.
const DICTIONARY_BYTES: usize = 64 * 1024;

/// The magic and the length of what follows it (u32, little-endian).
pub const HEADER: usize = MAGIC.len() + 4;

/// The sections, each the postcard bytes of its value.
#[derive(Serialize, Deserialize)]
pub struct Sections<'a> {
    /// Each entry's postcard bytes, in the order the index numbers them: its id as written, the
    /// rest packed with [`Sections::dictionary`].
    #[serde(borrow)]
    pub entries: Vec<&'a [u8]>,
    /// The dictionary the entries are packed with.
    pub dictionary: &'a [u8],
    /// The entries' numbers in the order of their ids: an id is found by binary search, with
    /// nothing sorted when the engine starts.
    pub by_id: Vec<u32>,
    /// The [`Index`] of those entries, without the entries.
    pub index: &'a [u8],
    /// The [`Related`] tables of those entries, in their own layout ([`Related::to_bytes`]):
    /// read in place, not deserialised.
    pub related: &'a [u8],
    /// [`generic_values`] of those entries: a team rule is checked against them without every
    /// entry being unpacked and read.
    pub generic: Vec<&'a str>,
}

/// The entries' generic codes and messages, lowercase, sorted: those flagged, and those held as
/// often as the index counts as frequent ([`crate::index::FREQUENT`]).
pub fn generic_values(entries: &[Entry]) -> Vec<String> {
    let mut holders: std::collections::HashMap<String, usize> = Default::default();
    let mut generic = std::collections::BTreeSet::new();
    for entry in entries {
        generic.extend(entry.generic.iter().map(|g| g.to_ascii_lowercase()));
        for value in entry.codes.iter().chain(&entry.messages) {
            *holders.entry(value.to_ascii_lowercase()).or_default() += 1;
        }
    }
    generic.extend(
        holders
            .into_iter()
            .filter(|&(_, n)| n >= crate::index::FREQUENT)
            .map(|(v, _)| v),
    );
    generic.into_iter().collect()
}

/// Builds the index and the related-text tables of `entries` and writes everything as one byte
/// string: [`MAGIC`], the length, then the [`Sections`].
pub fn compile(entries: Vec<Entry>) -> Vec<u8> {
    let entries: &'static [Entry] = Box::leak(entries.into_boxed_slice());
    let index = Index::build(entries);
    let related = Related::build(entries);
    let each: Vec<Vec<u8>> = entries.iter().map(written).collect();
    let id_len = |entry: &Entry| written(&entry.id).len();
    let bodies: Vec<&[u8]> = each
        .iter()
        .zip(entries)
        .map(|(bytes, entry)| &bytes[id_len(entry)..])
        .collect();
    let dictionary = lz::dictionary(&bodies, DICTIONARY_BYTES);
    let packer = lz::Packer::new(&dictionary);
    let each: Vec<Vec<u8>> = each
        .iter()
        .zip(entries)
        .map(|(bytes, entry)| {
            let id = id_len(entry);
            [&bytes[..id], &packer.pack(bytes, id)].concat()
        })
        .collect();
    let generic = generic_values(entries);
    let mut by_id: Vec<u32> = (0..entries.len() as u32).collect();
    by_id.sort_by_key(|&number| &entries[number as usize].id);
    let body = written(&Sections {
        entries: each.iter().map(Vec::as_slice).collect(),
        dictionary: &dictionary,
        by_id,
        index: &written(&index),
        related: &related.to_bytes(),
        generic: generic.iter().map(String::as_str).collect(),
    });
    let mut out = MAGIC.to_vec();
    out.extend(u32::try_from(body.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend(body);
    out
}

/// Reads the sections of what [`compile`] wrote.
pub fn sections(compiled: &[u8]) -> Result<Sections<'_>, postcard::Error> {
    postcard::from_bytes(compiled.get(HEADER..).unwrap_or_default())
}

impl Sections<'static> {
    /// The entries, each read on first use.
    pub fn entries(&self) -> Entries {
        Entries::compiled(self.entries.clone(), self.dictionary, self.by_id.clone())
    }

    /// The index, over `entries` (what [`Sections::entries`] gave).
    pub fn index(&self, entries: &'static Entries) -> Option<Index> {
        let index: Index = postcard::from_bytes(self.index).ok()?;
        Some(Index { entries, ..index })
    }

    /// The related-text tables, read in place.
    pub fn related(&self) -> Option<Related> {
        Related::read(self.related)
    }
}

/// Everything the engine needs, read from what [`compile`] wrote, the way the engine reads its
/// embedded knowledge: for benchmarks and checks over other knowledge bases. The entries are
/// leaked, as the index borrows them for the program's life.
pub fn read(compiled: &'static [u8]) -> Option<(&'static Entries, Index, Related)> {
    let sections = sections(compiled).ok()?;
    let entries: &'static Entries = Box::leak(Box::new(sections.entries()));
    Some((entries, sections.index(entries)?, sections.related()?))
}

fn written<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    postcard::to_allocvec(value)
        .unwrap_or_else(|e| panic!("the knowledge could not be written: {e}"))
}
