//! The entries an index refers to by number: a slice (team rules, tests), or the compiled
//! knowledge's, each read from its bytes on first use.
//!
//! An answer weighs the few entries the text has evidence for, so the engine's first answer
//! reads those and not the whole knowledge base. The build script includes this file, so it
//! imports only what the build script has too.

use crate::knowledge::model::Entry;
use std::sync::OnceLock;

/// Entries by number, as [`crate::index::Index`] and the scoring see them.
pub struct Entries(Held);

enum Held {
    Slice(&'static [Entry]),
    /// Each entry's bytes (its id as written, then the rest packed) and the entry once read;
    /// the dictionary they are packed with; the entries' numbers in id order.
    Compiled(
        Vec<(&'static [u8], OnceLock<Entry>)>,
        &'static [u8],
        Vec<u32>,
    ),
}

impl Entries {
    /// No entries (an index before its entries are attached).
    pub const EMPTY: Entries = Entries(Held::Slice(&[]));

    /// Entries already in memory.
    pub fn slice(entries: &'static [Entry]) -> Entries {
        Entries(Held::Slice(entries))
    }

    /// Entries as [`crate::knowledge::compiled::compile`] wrote them, one byte string each,
    /// with the dictionary they are packed with and their numbers in the order of their ids.
    pub fn compiled(
        each: Vec<&'static [u8]>,
        dictionary: &'static [u8],
        by_id: Vec<u32>,
    ) -> Entries {
        Entries(Held::Compiled(
            each.into_iter()
                .map(|bytes| (bytes, OnceLock::new()))
                .collect(),
            dictionary,
            by_id,
        ))
    }

    pub fn len(&self) -> usize {
        match &self.0 {
            Held::Slice(entries) => entries.len(),
            Held::Compiled(cells, ..) => cells.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, number: usize) -> Option<&Entry> {
        match &self.0 {
            Held::Slice(entries) => entries.get(number),
            Held::Compiled(cells, dictionary, _) => {
                let (bytes, entry) = cells.get(number)?;
                Some(entry.get_or_init(|| {
                    // Written by our own build script from validated entries by the same type.
                    unpacked(bytes, dictionary)
                        .and_then(|bytes| postcard::from_bytes(&bytes).ok())
                        .unwrap_or_else(|| unreachable!("a compiled entry reads back"))
                }))
            }
        }
    }

    /// The entry with this id, reading no other: a compiled entry's bytes open with its id.
    pub fn find(&self, id: &str) -> Option<&Entry> {
        match &self.0 {
            Held::Slice(entries) => entries.iter().find(|e| e.id == id),
            Held::Compiled(cells, _, by_id) => {
                // Each probe reads only the id at the front of an entry's bytes.
                let id_of = |number: u32| {
                    let bytes = cells.get(number as usize).map_or(&[][..], |c| c.0);
                    postcard::take_from_bytes::<&str>(bytes).map_or("", |(id, _)| id)
                };
                let at = by_id
                    .binary_search_by(|&number| id_of(number).cmp(id))
                    .ok()?;
                self.get(by_id[at] as usize)
            }
        }
    }

    /// Every entry, in order (reading each compiled one that was not read yet).
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            entries: self,
            numbers: 0..self.len(),
        }
    }
}

/// An entry's postcard bytes: its id as written, then the rest unpacked after it.
fn unpacked(bytes: &[u8], dictionary: &[u8]) -> Option<Vec<u8>> {
    let rest = postcard::take_from_bytes::<&str>(bytes).ok()?.1;
    let mut out = bytes[..bytes.len() - rest.len()].to_vec();
    crate::lz::unpack_into(dictionary, rest, &mut out)?;
    Some(out)
}

impl std::ops::Index<usize> for Entries {
    type Output = Entry;

    fn index(&self, number: usize) -> &Entry {
        self.get(number)
            .unwrap_or_else(|| panic!("entry {number} of {}", self.len()))
    }
}

impl<'a> IntoIterator for &'a Entries {
    type Item = &'a Entry;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The iterator of [`Entries::iter`].
pub struct Iter<'a> {
    entries: &'a Entries,
    numbers: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Entry;

    fn next(&mut self) -> Option<&'a Entry> {
        self.entries.get(self.numbers.next()?)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.numbers.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.entries.get(self.numbers.next_back()?)
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use crate::knowledge::entries;

    #[test]
    fn an_entry_is_found_by_id_without_reading_the_others() {
        let all = entries();
        let last = &all[all.len() - 1];
        let fresh = crate::knowledge::compiled::sections(super::super::COMPILED)
            .unwrap()
            .entries();
        assert_eq!(fresh.find(&last.id), Some(last));
        let super::Held::Compiled(cells, ..) = &fresh.0 else {
            panic!("the embedded entries are compiled")
        };
        assert_eq!(cells.iter().filter(|(_, e)| e.get().is_some()).count(), 1);
        assert_eq!(fresh.find("no-such-entry"), None);
    }
}
