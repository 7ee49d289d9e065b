//! The knowledge index: every literal the matcher looks for and what owns it, compiled from the
//! entries by `build.rs` and embedded as bytes, so nothing is built when the engine starts.
//!
//! ```
//! use adf_troubleshooter::{index::placeholders_to_wildcards, matcher::Index};
//! assert_eq!(placeholders_to_wildcards("Cannot find {0} in '%table;'"), "Cannot find * in '*'");
//! // The shared index is read from the bytes `build.rs` wrote, not built from the entries.
//! assert_eq!(Index::shared().entries().len(), adf_troubleshooter::knowledge::entries().len());
//! ```
//!
//! The build script includes this file, so it imports only what the build script has too:
//! the entry model, text cleaning and folding, and the automaton.

use crate::automaton::CompactAutomaton;
use crate::fold::Folded;
use crate::hash::{CodeMap, CodeSet};
use crate::knowledge::{Entries, Entry};
use crate::normalize::Normalized;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Consecutive pieces of one sentence may be this many folded bytes apart (stray characters).
pub(crate) const PIECE_GAP: usize = 3;
/// A `*` or placeholder in a message stands for a name, path or number of at most this many
/// folded bytes.
pub(crate) const WILDCARD_GAP: usize = 400;
/// A code or message held by this many entries says little about which one applies.
pub(crate) const FREQUENT: usize = 3;
/// Codes shorter than this (folded) are only looked up as whole words: short ones would be
/// found inside ordinary words once spaces are gone.
const MIN_SPLIT_CODE: usize = 10;

// The index is stored as tuples, the smallest reader serde derives (no field names to match),
// which matters in the extension's wasm.

/// What owns a keyword or connector literal; stored as two numbers in [`Owners`].
#[derive(Clone, Copy)]
pub(crate) enum WordOwner {
    Keyword { entry: usize, keyword: usize },
    Connector { entry: usize, connector: usize },
}

impl From<&[u32]> for WordOwner {
    /// The entry, then the keyword's or connector's number doubled, odd for a connector.
    fn from(stored: &[u32]) -> WordOwner {
        let (entry, n) = match stored {
            [entry, n, ..] => (*entry as usize, *n as usize),
            _ => (0, 0),
        };
        match n & 1 {
            0 => WordOwner::Keyword {
                entry,
                keyword: n >> 1,
            },
            _ => WordOwner::Connector {
                entry,
                connector: n >> 1,
            },
        }
    }
}

impl From<WordOwner> for [u32; 2] {
    fn from(owner: WordOwner) -> [u32; 2] {
        let (entry, n) = match owner {
            WordOwner::Keyword { entry, keyword } => (entry, keyword << 1),
            WordOwner::Connector { entry, connector } => (entry, connector << 1 | 1),
        };
        [entry as u32, n as u32]
    }
}

/// What owns a folded literal; stored as one number in [`Owners`].
#[derive(Clone, Copy)]
pub(crate) enum FoldedOwner {
    Piece { message: usize },
    Code { code: usize },
}

impl From<u32> for FoldedOwner {
    /// The message's or code's number doubled, odd for a code.
    fn from(stored: u32) -> FoldedOwner {
        let n = (stored >> 1) as usize;
        match stored & 1 {
            0 => FoldedOwner::Piece { message: n },
            _ => FoldedOwner::Code { code: n },
        }
    }
}

impl From<FoldedOwner> for u32 {
    fn from(owner: FoldedOwner) -> u32 {
        match owner {
            FoldedOwner::Piece { message } => (message << 1) as u32,
            FoldedOwner::Code { code } => (code << 1 | 1) as u32,
        }
    }
}

/// Each literal's owners as numbers, all in one list: read at every start in one piece rather
/// than as a list per literal.
#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "(Vec<u32>, Vec<u32>)", into = "(Vec<u32>, Vec<u32>)")]
pub(crate) struct Owners {
    numbers: Vec<u32>,
    /// Where each literal's numbers end in `numbers`.
    ends: Vec<u32>,
}

impl Owners {
    fn new(lists: &[Vec<u32>]) -> Owners {
        let mut owners = Owners {
            numbers: Vec::new(),
            ends: Vec::new(),
        };
        for list in lists {
            owners.numbers.extend_from_slice(list);
            owners.ends.push(owners.numbers.len() as u32);
        }
        owners
    }

    /// How many literals there are.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The numbers of the owners of `literal`.
    pub(crate) fn get(&self, literal: usize) -> &[u32] {
        let start = literal
            .checked_sub(1)
            .and_then(|at| self.ends.get(at))
            .map_or(0, |&end| end);
        let end = self.ends.get(literal).copied().unwrap_or(start);
        self.numbers
            .get(start as usize..end as usize)
            .unwrap_or_default()
    }
}

impl From<(Vec<u32>, Vec<u32>)> for Owners {
    fn from((numbers, ends): (Vec<u32>, Vec<u32>)) -> Owners {
        Owners { numbers, ends }
    }
}

impl From<Owners> for (Vec<u32>, Vec<u32>) {
    fn from(owners: Owners) -> (Vec<u32>, Vec<u32>) {
        (owners.numbers, owners.ends)
    }
}

type PieceParts = (usize, usize, usize, bool, usize);

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(from = "PieceParts", into = "PieceParts")]
pub(crate) struct Piece {
    pub(crate) literal: usize,
    /// Where the literal is in the folded automaton's text ([`Index::piece_text`]).
    pub(crate) at: usize,
    pub(crate) len: usize,
    /// Boilerplate: the piece is part of messages of several entries (`Please contact Microsoft
    /// support for further assistance.`), so finding it alone says nothing about which.
    pub(crate) common: bool,
    /// Largest gap allowed between the previous piece's end and this piece's start.
    pub(crate) max_gap: usize,
}

impl From<PieceParts> for Piece {
    fn from((literal, at, len, common, max_gap): PieceParts) -> Piece {
        Piece {
            literal,
            at,
            len,
            common,
            max_gap,
        }
    }
}

impl From<Piece> for PieceParts {
    fn from(p: Piece) -> PieceParts {
        (p.literal, p.at, p.len, p.common, p.max_gap)
    }
}

type MessageParts = (usize, usize, Vec<Piece>, usize, bool, usize);

#[derive(Clone, Serialize, Deserialize)]
#[serde(from = "MessageParts", into = "MessageParts")]
pub(crate) struct Message {
    pub(crate) entry: usize,
    /// Which of the entry's messages.
    pub(crate) number: usize,
    pub(crate) pieces: Vec<Piece>,
    pub(crate) total: usize,
    pub(crate) generic: bool,
    pub(crate) holders: usize,
}

impl From<MessageParts> for Message {
    fn from((entry, number, pieces, total, generic, holders): MessageParts) -> Message {
        Message {
            entry,
            number,
            pieces,
            total,
            generic,
            holders,
        }
    }
}

impl From<Message> for MessageParts {
    fn from(m: Message) -> MessageParts {
        (m.entry, m.number, m.pieces, m.total, m.generic, m.holders)
    }
}

/// A code long enough to be found split in the folded text: as written, and in lowercase.
#[derive(Serialize, Deserialize)]
pub(crate) struct LongCode(pub(crate) String, pub(crate) String);

type Codes = CodeMap<Vec<usize>>;

/// The index as stored: every field but the entries, which are stored apart and attached when
/// the index is read back; maps and sets in key order, so the same knowledge always gives the
/// same bytes.
///
/// The tables with thousands of items are each read [`Apart`].
type IndexParts = (
    CompactAutomaton,
    Apart<Owners>,
    CompactAutomaton,
    Apart<Owners>,
    Apart<Vec<Message>>,
    Apart<Codes>,
    Vec<LongCode>,
    CodeSet,
    Apart<Codes>,
    Codes,
);

/// A part of the index read by a function of its own, called [`apart`](crate::automaton::apart):
/// the loop over its items then makes V8 recompile that function with its optimising tier, not
/// all of the index's deserialisation (inlined, about 4 KB of code).
struct Apart<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Apart<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = crate::automaton::apart(T::deserialize::<D> as fn(D) -> Result<T, D::Error>);
        read(deserializer).map(Apart)
    }
}

/// The compiled knowledge base.
#[derive(Deserialize)]
#[serde(from = "IndexParts")]
pub struct Index {
    pub(crate) entries: &'static Entries,
    pub(crate) words: CompactAutomaton,
    /// Per word literal, its [`WordOwner`]s (two numbers each).
    pub(crate) word_owners: Owners,
    /// Message pieces and long codes; their texts are the automaton's own.
    pub(crate) folded: CompactAutomaton,
    /// Per folded literal, its [`FoldedOwner`]s.
    pub(crate) folded_owners: Owners,
    pub(crate) messages: Vec<Message>,
    /// Lowercase code -> entries holding it.
    pub(crate) codes: Codes,
    pub(crate) long_codes: Vec<LongCode>,
    pub(crate) generic_codes: CodeSet,
    /// Lowercase code family (the code up to its last `-`, included) -> entries holding one.
    pub(crate) families: Codes,
    /// Complaint (`slow`) -> entries that answer it in general.
    pub(crate) symptoms: Codes,
}

impl From<IndexParts> for Index {
    fn from(parts: IndexParts) -> Index {
        let (words, word_owners, folded, folded_owners, messages) =
            (parts.0, parts.1 .0, parts.2, parts.3 .0, parts.4 .0);
        let (codes, long_codes, generic_codes, families) =
            (parts.5 .0, parts.6, parts.7, parts.8 .0);
        let symptoms = parts.9;
        static NONE: Entries = Entries::EMPTY;
        Index {
            entries: &NONE,
            words,
            word_owners,
            folded,
            folded_owners,
            messages,
            codes,
            long_codes,
            generic_codes,
            families,
            symptoms,
        }
    }
}

impl Serialize for Index {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use std::collections::{BTreeMap, BTreeSet};
        fn sorted(codes: &Codes) -> BTreeMap<&String, &Vec<usize>> {
            codes.iter().collect()
        }
        (
            &self.words,
            &self.word_owners,
            &self.folded,
            &self.folded_owners,
            &self.messages,
            sorted(&self.codes),
            &self.long_codes,
            self.generic_codes.iter().collect::<BTreeSet<_>>(),
            sorted(&self.families),
            sorted(&self.symptoms),
        )
            .serialize(serializer)
    }
}

/// Interns literals, each with the list of what owns it.
struct Literals {
    texts: Vec<String>,
    ids: HashMap<String, usize>,
    /// Per literal, its owners' numbers ([`Owners`]).
    owners: Vec<Vec<u32>>,
}

impl Literals {
    fn new() -> Self {
        Literals {
            texts: Vec::new(),
            ids: HashMap::new(),
            owners: Vec::new(),
        }
    }

    fn add(&mut self, text: String, owner: &[u32]) -> usize {
        let id = match self.ids.get(&text) {
            Some(&id) => id,
            None => {
                self.texts.push(text.clone());
                self.owners.push(Vec::new());
                self.ids.insert(text, self.texts.len() - 1);
                self.texts.len() - 1
            }
        };
        self.owners[id].extend_from_slice(owner);
        id
    }
}

impl Index {
    pub fn entries(&self) -> &'static Entries {
        self.entries
    }

    /// The folded literal a message piece is.
    pub(crate) fn piece_text(&self, piece: &Piece) -> &str {
        let text = self.folded.text();
        text.get(piece.at..piece.at + piece.len).unwrap_or_default()
    }

    /// The two literal automata, named, with whether they ignore ASCII case (for benchmarks).
    pub fn automata(&self) -> [(&'static str, &CompactAutomaton, bool); 2] {
        [
            ("words (keywords, connectors)", &self.words, true),
            ("folded (message pieces, long codes)", &self.folded, false),
        ]
    }

    pub fn build(entries: &'static [Entry]) -> Index {
        let mut words = Literals::new();
        let mut folded = Literals::new();
        let mut codes = Codes::default();
        let mut generic_codes = CodeSet::default();
        let mut generic_messages = HashSet::new();
        for entry in entries {
            for value in &entry.generic {
                generic_codes.insert(value.to_ascii_lowercase());
                generic_messages.insert(fold_message(value));
            }
        }
        let mut messages = Vec::new();
        // Each message's folded form: the key that tells whether entries hold the same message.
        let mut message_keys = Vec::new();
        let mut long_codes = Vec::new();
        let mut families = Codes::default();
        let mut symptoms = Codes::default();
        for (entry_index, entry) in entries.iter().enumerate() {
            if let Some(symptom) = &entry.context.symptom {
                symptoms
                    .entry(symptom.clone())
                    .or_default()
                    .push(entry_index);
            }
            for code in &entry.codes {
                let lower = code.to_ascii_lowercase();
                if let Some(family) = family_of(&lower) {
                    let members = families.entry(family.to_string()).or_default();
                    if !members.contains(&entry_index) {
                        members.push(entry_index);
                    }
                }
                let holders = codes.entry(lower.clone()).or_default();
                if !holders.contains(&entry_index) {
                    holders.push(entry_index);
                }
                let numeric = code.bytes().all(|b| b.is_ascii_digit());
                let folded_code = Folded::new(code).text;
                if !numeric
                    && folded_code.len() >= MIN_SPLIT_CODE
                    && !long_codes.iter().any(|c: &LongCode| c.1 == lower)
                {
                    let owner = FoldedOwner::Code {
                        code: long_codes.len(),
                    };
                    folded.add(folded_code, &[owner.into()]);
                    long_codes.push(LongCode(code.clone(), lower));
                }
            }
            for (number, text) in entry.messages.iter().enumerate() {
                let message_index = messages.len();
                let pieces: Vec<Piece> = message_pieces(text)
                    .into_iter()
                    .map(|(piece, max_gap)| Piece {
                        // Known once the automaton is built, below.
                        at: 0,
                        len: piece.len(),
                        common: false,
                        literal: folded.add(
                            piece,
                            &[FoldedOwner::Piece {
                                message: message_index,
                            }
                            .into()],
                        ),
                        max_gap,
                    })
                    .collect();
                message_keys.push(fold_message(text));
                messages.push(Message {
                    entry: entry_index,
                    number,
                    total: pieces.iter().map(|p| p.len).sum::<usize>().max(1),
                    pieces,
                    generic: false,
                    holders: 1,
                });
            }
            for (keyword, text) in entry.keywords.iter().enumerate() {
                let owner = WordOwner::Keyword {
                    entry: entry_index,
                    keyword,
                };
                words.add(
                    Normalized::new(text).text.to_ascii_lowercase(),
                    &<[u32; 2]>::from(owner),
                );
            }
            for (connector, text) in entry.context.connectors.iter().enumerate() {
                let owner = WordOwner::Connector {
                    entry: entry_index,
                    connector,
                };
                words.add(
                    Normalized::new(text).text.to_ascii_lowercase(),
                    &<[u32; 2]>::from(owner),
                );
            }
        }
        // The entries holding each message: sorted pairs, no map to instantiate in the wasm.
        let mut holders: Vec<(&str, usize)> = message_keys
            .iter()
            .map(String::as_str)
            .zip(messages.iter().map(|m| m.entry))
            .collect();
        crate::sort::sort(&mut holders);
        holders.dedup();
        for (message, key) in messages.iter_mut().zip(&message_keys) {
            let first = holders.partition_point(|&(k, _)| k < key.as_str());
            message.holders = holders[first..].partition_point(|&(k, _)| k == key.as_str());
            message.generic = message.holders >= FREQUENT || generic_messages.contains(key);
        }
        let folded_automaton = CompactAutomaton::new(&folded.texts, false);
        // A piece is boilerplate when the messages of several entries contain it, whether or
        // not they were cut into the same pieces.
        let mut piece_holders: Vec<Vec<usize>> = vec![Vec::new(); folded.texts.len()];
        for (message, key) in messages.iter().zip(&message_keys) {
            folded_automaton.overlapping(key, |literal, _, _| {
                let holders = &mut piece_holders[literal];
                if !holders.contains(&message.entry) {
                    holders.push(message.entry);
                }
                true
            });
        }
        let common: Vec<bool> = piece_holders
            .iter()
            .map(|holders| holders.len() >= FREQUENT)
            .collect();
        let starts = folded_automaton.starts();
        for message in &mut messages {
            for piece in &mut message.pieces {
                piece.common = common[piece.literal];
                piece.at = starts[piece.literal];
            }
        }
        for (code, holders) in &codes {
            if holders.len() >= FREQUENT {
                generic_codes.insert(code.clone());
            }
        }
        Index {
            // A small handle per index built, kept as long as the entries it points to are.
            entries: Box::leak(Box::new(Entries::slice(entries))),
            words: CompactAutomaton::new(&words.texts, true),
            word_owners: Owners::new(&words.owners),
            folded: folded_automaton,
            folded_owners: Owners::new(&folded.owners),
            messages,
            codes,
            long_codes,
            generic_codes,
            families,
            symptoms,
        }
    }
}

/// The folded form of a whole message, placeholders included: the key that tells whether two
/// entries hold the same message.
pub(crate) fn fold_message(message: &str) -> String {
    Folded::new(&Normalized::new(&placeholders_to_wildcards(message)).text).text
}

/// Documented messages write their variable parts in several ways: `'%column;'`, `{0}`,
/// `<name>`, `XXXXXX`. All of them become `*`, a wildcard.
pub fn placeholders_to_wildcards(message: &str) -> String {
    let bytes = message.as_bytes();
    let mut out = String::with_capacity(message.len());
    let mut at = 0;
    while at < bytes.len() {
        let name_end = |from: usize, allowed: fn(u8) -> bool| {
            let mut end = from;
            while end < bytes.len() && allowed(bytes[end]) {
                end += 1;
            }
            end
        };
        let placeholder_end = match bytes[at] {
            b'%' => {
                let end = name_end(at + 1, |b| b.is_ascii_alphanumeric() || b == b'_');
                (end > at + 1 && bytes.get(end) == Some(&b';')).then_some(end + 1)
            }
            b'{' => {
                let end = name_end(at + 1, |b| b.is_ascii_alphanumeric() || b == b'_');
                (end > at + 1 && bytes.get(end) == Some(&b'}')).then_some(end + 1)
            }
            b'<' => {
                let end = name_end(at + 1, |b| {
                    b.is_ascii_alphanumeric() || matches!(b, b' ' | b'_' | b'-')
                });
                (end > at + 1 && bytes.get(end) == Some(&b'>')).then_some(end + 1)
            }
            b'X' if at == 0 || !bytes[at - 1].is_ascii_alphanumeric() => {
                let end = name_end(at, |b| b == b'X');
                (end - at >= 3 && bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric()))
                    .then_some(end)
            }
            _ => None,
        };
        match placeholder_end {
            Some(end) => {
                out.push('*');
                at = end;
            }
            None => {
                let ch = message[at..].chars().next().unwrap_or(' ');
                out.push(ch);
                at += ch.len_utf8();
            }
        }
    }
    out
}

/// Splits a knowledge message into folded literal pieces: at wildcards, at sentence and clause
/// ends, and long clauses every few words, so a message cut short by a narrow UI column or a
/// truncated log line still earns partial credit.
pub(crate) fn message_pieces(message: &str) -> Vec<(String, usize)> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    let with_wildcards = placeholders_to_wildcards(message);
    for (part_index, part) in with_wildcards.split('*').enumerate() {
        let cleaned = Normalized::new(part).text;
        let mut gap = if part_index == 0 { 0 } else { WILDCARD_GAP };
        let mut current = String::new();
        let mut push = |text: &str, gap: &mut usize| {
            let folded = Folded::new(text).text;
            if folded.len() >= 4 {
                pieces.push((folded, *gap));
                *gap = PIECE_GAP;
            }
        };
        for clause in clauses(&cleaned) {
            current.push_str(clause);
            if current.trim().len() >= 24 {
                for chunk in word_chunks(current.trim()) {
                    push(chunk, &mut gap);
                }
                current.clear();
            }
        }
        push(current.trim(), &mut gap);
    }
    pieces
}

/// Clauses longer than this are cut at word boundaries into pieces of about this size.
const LONG_CLAUSE: usize = 48;

fn word_chunks(clause: &str) -> Vec<&str> {
    if clause.len() <= LONG_CLAUSE {
        return vec![clause];
    }
    let mut chunks = Vec::new();
    let mut start = 0;
    for (at, _) in clause.match_indices(' ') {
        if at - start >= LONG_CLAUSE / 2 && clause.len() - at > LONG_CLAUSE / 4 {
            chunks.push(&clause[start..at]);
            start = at + 1;
        }
    }
    chunks.push(&clause[start..]);
    chunks
}

/// Splits after each `. `, `, ` and `; `, keeping the separators.
fn clauses(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let bytes = rest.as_bytes();
        let cut = (1..bytes.len())
            .find(|&i| bytes[i] == b' ' && matches!(bytes[i - 1], b'.' | b',' | b';'))
            .map_or(rest.len(), |i| i + 1);
        let (clause, tail) = rest.split_at(cut);
        rest = tail;
        Some(clause)
    })
}

/// A code's family: the code up to its last `-`, that included (`df-executor-`). A single
/// segment (`df-` of `DF-CDM_005`) names a product, not a family of problems.
pub(crate) fn family_of(lower_code: &str) -> Option<&str> {
    let last = lower_code.rfind('-')?;
    let tail = &lower_code[last + 1..];
    let numeric = lower_code.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let segments = lower_code[..last].contains('-') && !lower_code.starts_with('-');
    (segments && !tail.is_empty() && !numeric).then(|| &lower_code[..=last])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_messages_at_wildcards_and_sentences() {
        let pieces = message_pieces(
            "Unable to create Azure Blob container. Endpoint: *, Container Name: *.",
        );
        let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            texts,
            [
                "unabletocreateazureblobcontainer",
                "endpoint",
                "containername"
            ]
        );
        assert_eq!(pieces[1].1, PIECE_GAP);
        assert_eq!(pieces[2].1, WILDCARD_GAP);
    }

    #[test]
    fn placeholders_of_every_style_are_wildcards() {
        for (template, expected) in [
            (
                "Column '%column;' does not exist in the table '%table;'",
                "Column '*' does not exist in the table '*'",
            ),
            ("Cannot find {0} in {1}.", "Cannot find * in *."),
            ("The file <file name> is empty", "The file * is empty"),
            ("Endpoint: XXXXXXX/, id XXX.", "Endpoint: */, id *."),
            (
                "XBOX and 100% sure {not closed",
                "XBOX and 100% sure {not closed",
            ),
        ] {
            assert_eq!(placeholders_to_wildcards(template), expected);
        }
    }

    #[test]
    fn code_families_are_prefixes_up_to_the_last_dash() {
        for (code, family) in [
            ("df-executor-outofmemoryerror", Some("df-executor-")),
            ("df-sys-01", Some("df-sys-")),
            ("df-delta-", None),
            ("df-cdm_005", None),
            ("-df-x", None),
            ("-x", None),
            ("2200", None),
            ("12-34", None),
            ("invalidgatewaykey", None),
        ] {
            assert_eq!(family_of(code), family, "{code}");
        }
    }
}
