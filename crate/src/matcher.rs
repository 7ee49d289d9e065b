//! Finds where each knowledge entry's codes, messages and words occur in a text: indexing and
//! locating only; what the evidence is worth is [`crate::scoring`]'s business.
//!
//! ```
//! use adf_troubleshooter::{facts, fold::Folded, matcher::{Index, Signal}, normalize::Normalized};
//! let text = Normalized::new("ErrorCode=InvalidGatewayKey: Client IP address is not valid private ip");
//! let folded = Folded::new(&text.text);
//! let located = Index::shared().locate(&text, &folded, &facts::extract_cleaned(&text.text));
//! let (entry, found) = located.iter().find(|(_, f)| f.iter().any(|f| f.value == "InvalidGatewayKey")).unwrap();
//! assert!(found.iter().any(|f| matches!(f.signal, Signal::Message { fraction, .. } if fraction > 0.99)));
//! ```
//!
//! Codes are looked up word by word in a hash map. Keywords and connector names are found as
//! whole words by one Aho-Corasick automaton over the cleaned text; message pieces and long codes
//! by another over the [folded](crate::fold) text, where wrapping, punctuation and contractions
//! no longer matter. A query costs two passes over the text plus work proportional to what was
//! found, not to the number of entries.

use crate::automaton::Automaton;
use crate::facts::Facts;
use crate::fold::Folded;
use crate::hash::WordSet;
use crate::knowledge::{self, Entry};
use crate::normalize::Normalized;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Consecutive pieces of one sentence may be this many folded bytes apart (stray characters).
const PIECE_GAP: usize = 3;
/// A `*` or placeholder in a message stands for a name, path or number of at most this many
/// folded bytes.
const WILDCARD_GAP: usize = 400;
/// Occurrences kept per literal: enough for evidence, bounded for hostile input.
const MAX_OCCURRENCES: usize = 32;
/// A code or message held by this many entries says little about which one applies.
const FREQUENT: usize = 3;
/// Codes shorter than this (folded) are only looked up as whole words: short ones would be
/// found inside ordinary words once spaces are gone.
const MIN_SPLIT_CODE: usize = 10;
/// Markers that open a nested level of an error chain: the outer wrapper comes first, the
/// inner exception (the actual cause) after.
const NESTING_MARKERS: &[&str] = &[
    "Message=",
    "ErrorMessage:",
    "Reason:",
    "InnerException",
    "Caused by:",
];
const MAX_DEPTH: usize = 4;

/// Where a code was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Placement {
    /// Split by a space or a line break (a copy from a narrow pane).
    Split,
    /// Anywhere in the text as a word.
    Text,
    /// Where errors put codes: `ErrorCode=`, `"errorCode"`, the *Error code* field.
    Position,
}

/// An aspect of where an error happened that an entry may expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aspect {
    Side,
    Runtime,
    Connector,
    /// The kind of activity that failed: a data flow's error (`Job failed due to reason:`, a
    /// `DF-` code) is explained by the data flow articles.
    Activity,
    /// The service's own wrapper code of the entry (`ErrorCode=UserErrorOdbcOperationFailed`)
    /// heading an error chain: it names where a common inner message comes from.
    Wrapper,
}

/// What a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Signal {
    Code {
        placement: Placement,
        numeric: bool,
        /// Entries that share the code.
        holders: usize,
        /// A wrapper or widely used code: it supports, never decides.
        generic: bool,
    },
    Message {
        /// Share of the message's text found in order (1.0: whole).
        fraction: f32,
        /// Folded characters found.
        chars: usize,
        /// Nesting level in an error chain (0: outermost).
        depth: usize,
        /// The text ends (or shows `...`) where the message was cut.
        truncated: bool,
        /// Found only before a variable part: the rest of the message, which usually says what
        /// went wrong about the named thing, is missing.
        lacks_later_parts: bool,
        /// How many of the message's pieces were found in a row.
        pieces: usize,
        /// The longest of them (folded characters): labels such as `status code:` are short.
        longest: usize,
        generic: bool,
        holders: usize,
    },
    /// A code the knowledge base does not hold, of a family it does (`DF-Executor-New` beside
    /// `DF-Executor-OutOfMemoryError`): the entry is one of the family's, which one the rest of
    /// the text tells.
    Family {
        placement: Placement,
        /// Entries of the family.
        members: usize,
    },
    Keyword,
    Connector,
    /// The text says where the error happened, and it agrees with the entry or not.
    Context {
        aspect: Aspect,
        agrees: bool,
    },
    /// Words the text shares with the entry's whole text (a related-text suggestion).
    Related {
        similarity: f32,
    },
}

/// One piece of evidence for an entry, located in the cleaned text (byte range) when it has a
/// place.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub signal: Signal,
    /// The knowledge value (borrowed) or the text's word (a code as written).
    pub value: Cow<'static, str>,
    pub range: Option<(usize, usize)>,
}

/// Evidence found per entry (index into [`Index::entries`]).
pub type Located = HashMap<usize, Vec<Found>>;

/// Byte ranges in the folded text where each folded literal occurs: sorted by literal, then by
/// position, at most [`MAX_OCCURRENCES`] per literal. Sorted lists, not a map: a long text has
/// thousands of occurrences, and only literals that occur take room.
struct Occurrences {
    literals: Vec<usize>,
    ranges: Vec<(usize, usize)>,
}

impl Occurrences {
    fn find(automaton: &Automaton, literal_count: usize, folded: &str) -> Occurrences {
        let mut counts = vec![0u8; literal_count];
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        automaton.overlapping(folded, |literal, start, end| {
            // The first occurrences in the text are kept (they are reported in order of end).
            if usize::from(counts[literal]) < MAX_OCCURRENCES {
                counts[literal] += 1;
                hits.push((literal, start, end));
            }
            true
        });
        hits.sort_unstable();
        Occurrences {
            literals: hits.iter().map(|h| h.0).collect(),
            ranges: hits.iter().map(|h| (h.1, h.2)).collect(),
        }
    }

    /// Where `literal` occurs, in text order.
    fn get(&self, literal: usize) -> &[(usize, usize)] {
        let from = self.literals.partition_point(|&l| l < literal);
        let to = self.literals.partition_point(|&l| l <= literal);
        &self.ranges[from..to]
    }

    /// The literals that occur, ascending.
    fn found(&self) -> impl Iterator<Item = usize> + '_ {
        let mut last = None;
        self.literals.iter().copied().filter(move |&l| {
            let new = last != Some(l);
            last = Some(l);
            new
        })
    }
}

#[derive(Clone, Copy)]
enum WordOwner {
    Keyword { entry: usize, keyword: usize },
    Connector { entry: usize, connector: usize },
}

#[derive(Clone, Copy)]
enum FoldedOwner {
    Piece { message: usize },
    Code { code: usize },
}

struct Piece {
    literal: usize,
    len: usize,
    /// Boilerplate: the piece is part of messages of several entries (`Please contact Microsoft
    /// support for further assistance.`), so finding it alone says nothing about which.
    common: bool,
    /// Largest gap allowed between the previous piece's end and this piece's start.
    max_gap: usize,
}

struct Message {
    entry: usize,
    text: &'static str,
    pieces: Vec<Piece>,
    total: usize,
    generic: bool,
    holders: usize,
}

/// A code long enough to be found split in the folded text.
struct LongCode {
    text: &'static str,
    lower: String,
}

/// The compiled knowledge base.
pub struct Index {
    entries: &'static [Entry],
    words: Automaton,
    word_owners: Vec<Vec<WordOwner>>,
    folded: Automaton,
    folded_literals: Vec<String>,
    folded_owners: Vec<Vec<FoldedOwner>>,
    messages: Vec<Message>,
    /// Lowercase code -> entries holding it.
    codes: HashMap<String, Vec<usize>>,
    long_codes: Vec<LongCode>,
    generic_codes: HashSet<String>,
    /// Lowercase code family (the code up to its last `-`, included) -> entries holding one.
    families: HashMap<String, Vec<usize>>,
}

/// Interns literals, each with the list of what owns it.
struct Literals<O> {
    texts: Vec<String>,
    ids: HashMap<String, usize>,
    owners: Vec<Vec<O>>,
}

impl<O> Literals<O> {
    fn new() -> Self {
        Literals {
            texts: Vec::new(),
            ids: HashMap::new(),
            owners: Vec::new(),
        }
    }

    fn add(&mut self, text: String, owner: O) -> usize {
        let id = match self.ids.get(&text) {
            Some(&id) => id,
            None => {
                self.texts.push(text.clone());
                self.owners.push(Vec::new());
                self.ids.insert(text, self.texts.len() - 1);
                self.texts.len() - 1
            }
        };
        self.owners[id].push(owner);
        id
    }
}

impl Index {
    /// The index of the embedded knowledge base, built on first use.
    pub fn shared() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::build(knowledge::entries()))
    }

    pub fn entries(&self) -> &'static [Entry] {
        self.entries
    }

    pub fn build(entries: &'static [Entry]) -> Index {
        let mut words = Literals::new();
        let mut folded = Literals::new();
        let mut codes: HashMap<String, Vec<usize>> = HashMap::new();
        let mut generic_codes = HashSet::new();
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
        let mut families: HashMap<String, Vec<usize>> = HashMap::new();
        for (entry_index, entry) in entries.iter().enumerate() {
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
                    && !long_codes.iter().any(|c: &LongCode| c.lower == lower)
                {
                    folded.add(
                        folded_code,
                        FoldedOwner::Code {
                            code: long_codes.len(),
                        },
                    );
                    long_codes.push(LongCode { text: code, lower });
                }
            }
            for text in &entry.messages {
                let message_index = messages.len();
                let pieces: Vec<Piece> = message_pieces(text)
                    .into_iter()
                    .map(|(piece, max_gap)| Piece {
                        len: piece.len(),
                        common: false,
                        literal: folded.add(
                            piece,
                            FoldedOwner::Piece {
                                message: message_index,
                            },
                        ),
                        max_gap,
                    })
                    .collect();
                message_keys.push(fold_message(text));
                messages.push(Message {
                    entry: entry_index,
                    text,
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
                words.add(Normalized::new(text).text.to_ascii_lowercase(), owner);
            }
            for (connector, text) in entry.context.connectors.iter().enumerate() {
                let owner = WordOwner::Connector {
                    entry: entry_index,
                    connector,
                };
                words.add(Normalized::new(text).text.to_ascii_lowercase(), owner);
            }
        }
        let mut message_holders: HashMap<&str, HashSet<usize>> = HashMap::new();
        for (message, key) in messages.iter().zip(&message_keys) {
            message_holders
                .entry(key)
                .or_default()
                .insert(message.entry);
        }
        for (message, key) in messages.iter_mut().zip(&message_keys) {
            message.holders = message_holders[key.as_str()].len();
            message.generic = message.holders >= FREQUENT || generic_messages.contains(key);
        }
        let folded_automaton = Automaton::new(&folded.texts, false);
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
        for message in &mut messages {
            for piece in &mut message.pieces {
                piece.common = common[piece.literal];
            }
        }
        for (code, holders) in &codes {
            if holders.len() >= FREQUENT {
                generic_codes.insert(code.clone());
            }
        }
        Index {
            entries,
            words: Automaton::new(&words.texts, true),
            word_owners: words.owners,
            folded: folded_automaton,
            folded_literals: folded.texts,
            folded_owners: folded.owners,
            messages,
            codes,
            long_codes,
            generic_codes,
            families,
        }
    }

    /// Every entry with any evidence in the text, with that evidence.
    pub fn locate(&self, text: &Normalized, folded: &Folded, facts: &Facts) -> Located {
        let haystack = text.text.as_str();
        let mut located = Located::new();
        self.find_codes(haystack, facts, &mut located);
        self.find_words(haystack, &mut located);
        let occurrences = Occurrences::find(&self.folded, self.folded_literals.len(), &folded.text);
        self.find_split_codes(haystack, folded, &occurrences, &mut located);
        self.find_messages(haystack, folded, &occurrences, &mut located);
        located
    }

    fn code_signal(&self, lower: &str, placement: Placement, holders: usize) -> Signal {
        let numeric = lower.bytes().all(|b| b.is_ascii_digit());
        Signal::Code {
            placement,
            numeric,
            holders,
            generic: numeric || self.generic_codes.contains(lower),
        }
    }

    fn find_codes(&self, haystack: &str, facts: &Facts, located: &mut Located) {
        let in_position: Vec<String> = facts
            .error_codes
            .iter()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let mut lower = String::new();
        // Families of the codes found, and codes of a known family the knowledge base lacks.
        let mut known_families: Vec<String> = Vec::new();
        let mut unknown: Vec<(Placement, String, &str, usize)> = Vec::new();
        // A log repeats its words: a word found to be neither a code nor of a known family is
        // not looked up again.
        let mut not_codes = WordSet::default();
        for (start, word) in words(haystack) {
            if word.len() > 120 || not_codes.contains(word) {
                continue;
            }
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            let placement = if in_position.contains(&lower) {
                Placement::Position
            } else {
                Placement::Text
            };
            let family = match word.as_bytes().contains(&b'-') {
                true => family_of(&lower).filter(|f| self.families.contains_key(*f)),
                false => None,
            };
            let Some(holders) = self.codes.get(&lower) else {
                match family {
                    Some(family) => unknown.push((placement, family.to_string(), word, start)),
                    None => {
                        not_codes.insert(word);
                    }
                }
                continue;
            };
            known_families.extend(family.map(str::to_string));
            let signal = self.code_signal(&lower, placement, holders.len());
            for &entry in holders {
                add_code(located, entry, signal, word, (start, start + word.len()));
            }
        }
        // An exact code wins over its family; the best-placed unknown code speaks for it
        // (codes in position first, then in text order).
        unknown.retain(|(_, family, ..)| !known_families.contains(family));
        for in_position in [true, false] {
            for (placement, family, word, start) in &unknown {
                if (*placement == Placement::Position) != in_position {
                    continue;
                }
                let members = &self.families[family];
                let signal = Signal::Family {
                    placement: *placement,
                    members: members.len(),
                };
                for &entry in members {
                    let list = located.entry(entry).or_default();
                    if !list
                        .iter()
                        .any(|f| matches!(f.signal, Signal::Family { .. }))
                    {
                        list.push(Found {
                            signal,
                            value: Cow::Owned(word.to_string()),
                            range: Some((*start, start + word.len())),
                        });
                    }
                }
            }
        }
    }

    /// Long codes broken by a space or a line break (`User ErrorInvalid...`): found in the folded
    /// text, starting and ending on word edges of the cleaned text.
    fn find_split_codes(
        &self,
        haystack: &str,
        folded: &Folded,
        occurrences: &Occurrences,
        located: &mut Located,
    ) {
        let bytes = haystack.as_bytes();
        let edge = |at: usize| bytes.get(at).is_none_or(|b| !b.is_ascii_alphanumeric());
        // Code literals only, in a fixed order.
        let literals = occurrences.found().filter(|&l| {
            self.folded_owners[l]
                .iter()
                .any(|o| matches!(o, FoldedOwner::Code { .. }))
        });
        for literal in literals {
            let list = occurrences.get(literal);
            for owner in &self.folded_owners[literal] {
                let FoldedOwner::Code { code } = *owner else {
                    continue;
                };
                let code = &self.long_codes[code];
                let holders = &self.codes[&code.lower];
                for &(s, e) in list {
                    let (start, end) = folded.cleaned_range(s, e);
                    let split = haystack[start..end].bytes().any(|b| b == b' ');
                    if split && (start == 0 || edge(start - 1)) && edge(end) {
                        let signal = self.code_signal(&code.lower, Placement::Split, holders.len());
                        for &entry in holders {
                            add_code(located, entry, signal, code.text, (start, end));
                        }
                    }
                }
            }
        }
    }

    fn find_words(&self, haystack: &str, located: &mut Located) {
        // The first whole-word occurrence of each literal.
        let mut seen = vec![false; self.word_owners.len()];
        let mut first: Vec<(usize, (usize, usize))> = Vec::new();
        self.words.overlapping(haystack, |literal, start, end| {
            if !seen[literal] && is_whole_word(haystack, start, end) {
                seen[literal] = true;
                first.push((literal, (start, end)));
            }
            true
        });
        // In text order: evidence lists are read first-found-first (the connector a context
        // names).
        first.sort_unstable_by_key(|&(literal, range)| (range, literal));
        for (literal, range) in first {
            for owner in &self.word_owners[literal] {
                let (entry, signal, value) = match *owner {
                    WordOwner::Keyword { entry, keyword } => (
                        entry,
                        Signal::Keyword,
                        &self.entries[entry].keywords[keyword],
                    ),
                    WordOwner::Connector { entry, connector } => (
                        entry,
                        Signal::Connector,
                        &self.entries[entry].context.connectors[connector],
                    ),
                };
                located.entry(entry).or_default().push(Found {
                    signal,
                    value: Cow::Borrowed(value.as_str()),
                    range: Some(range),
                });
            }
        }
    }

    fn find_messages(
        &self,
        haystack: &str,
        folded: &Folded,
        occurrences: &Occurrences,
        located: &mut Located,
    ) {
        let mut touched: Vec<usize> = occurrences
            .found()
            .flat_map(|literal| &self.folded_owners[literal])
            .filter_map(|owner| match owner {
                FoldedOwner::Piece { message } => Some(*message),
                FoldedOwner::Code { .. } => None,
            })
            .collect();
        touched.sort_unstable();
        touched.dedup();
        // Read when a message is found, which most texts' messages never are.
        let mut markers: Option<Vec<usize>> = None;
        for message_index in touched {
            let message = &self.messages[message_index];
            let Some(chain) = best_chain(message, occurrences) else {
                continue;
            };
            let (start, mut end) = folded.cleaned_range(chain.start, chain.end);
            // A message cut short covers the text up to the cut, its last word included.
            let cut = chain
                .next_piece
                .filter(|_| chain.from_first)
                .and_then(|next| {
                    let piece = &message.pieces[next];
                    cut_within(
                        haystack,
                        folded,
                        (chain.end, end),
                        &self.folded_literals[piece.literal],
                        piece.max_gap == WILDCARD_GAP,
                    )
                });
            // Boilerplate alone (a sentence several entries' messages end with) is no evidence,
            // unless the message is whole or the text was cut inside a telling piece.
            let whole = chain.from_first && chain.next_piece.is_none();
            let cut_telling = cut.is_some()
                && chain
                    .next_piece
                    .is_some_and(|next| !message.pieces[next].common);
            if !whole && !chain.telling && !cut_telling {
                continue;
            }
            let mut matched = chain.matched;
            if let Some((at, begun)) = cut {
                end = at;
                matched += begun;
            }
            located.entry(message.entry).or_default().push(Found {
                signal: Signal::Message {
                    fraction: matched as f32 / message.total as f32,
                    chars: matched,
                    depth: markers
                        .get_or_insert_with(|| nesting_markers(haystack))
                        .partition_point(|&m| m < start)
                        .min(MAX_DEPTH),
                    truncated: cut.is_some(),
                    lacks_later_parts: chain.lacks_later_parts,
                    pieces: chain.pieces,
                    longest: chain.longest,
                    generic: message.generic,
                    holders: message.holders,
                },
                value: Cow::Borrowed(message.text),
                range: Some((start, end)),
            });
        }
    }
}

/// Where the text opens a nested level of an error chain, in order, in one pass over the text
/// for every marker (none overlaps another).
fn nesting_markers(haystack: &str) -> Vec<usize> {
    let mut first = [false; 256];
    for marker in NESTING_MARKERS {
        first[usize::from(marker.as_bytes()[0])] = true;
    }
    let bytes = haystack.as_bytes();
    let mut markers = Vec::new();
    for at in 0..bytes.len() {
        if first[usize::from(bytes[at])]
            && NESTING_MARKERS
                .iter()
                .any(|m| bytes[at..].starts_with(m.as_bytes()))
        {
            markers.push(at);
        }
    }
    markers
}

/// Each code counts once per entry: its best-placed occurrence.
fn add_code(
    located: &mut Located,
    entry: usize,
    signal: Signal,
    word: &str,
    range: (usize, usize),
) {
    let placement = |s: &Signal| match s {
        Signal::Code { placement, .. } => Some(*placement),
        _ => None,
    };
    let list = located.entry(entry).or_default();
    let evidence = Found {
        signal,
        value: Cow::Owned(word.to_string()),
        range: Some(range),
    };
    let same_code =
        |f: &&mut Found| placement(&f.signal).is_some() && f.value.eq_ignore_ascii_case(word);
    match list.iter_mut().find(same_code) {
        Some(existing) if placement(&existing.signal) >= placement(&signal) => {}
        Some(existing) => *existing = evidence,
        None => list.push(evidence),
    }
}

/// Where the text stops inside the rest of a message: at its end, or at `...`/`…`, with only a
/// beginning of the next piece in between (after the variable part, when the next piece follows
/// one). Returns the cleaned offset of the cut and how much of the next piece was begun.
fn cut_within(
    haystack: &str,
    folded: &Folded,
    (folded_end, cleaned_end): (usize, usize),
    next_piece: &str,
    after_wildcard: bool,
) -> Option<(usize, usize)> {
    let tail = &haystack[cleaned_end..];
    let marker = ["...", "\u{2026}"]
        .iter()
        .filter_map(|marker| tail.find(marker))
        .min()
        .filter(|&at| at <= next_piece.len() * 2 + 8);
    let (rest, cut) = match marker {
        Some(at) => (Folded::new(&tail[..at]).text, cleaned_end + at),
        // Text that simply ends after a whole piece was not cut inside the message.
        None if folded_end == folded.len() => return None,
        None => (folded.text[folded_end..].to_string(), haystack.len()),
    };
    let begun = if next_piece.starts_with(&rest) {
        rest.len()
    } else if after_wildcard && rest.len() <= WILDCARD_GAP + next_piece.len() {
        // `Column 'Prop_0' doesn't exist...`: the value, then the start of what follows it.
        (MIN_BEGUN..=rest.len().min(next_piece.len()))
            .rev()
            .find(|&k| rest.ends_with(&next_piece[..k]))?
    } else {
        return None;
    };
    Some((
        cleaned_end + haystack[cleaned_end..cut].trim_end().len(),
        begun,
    ))
}

/// The least of a piece that counts as its beginning after a variable part.
const MIN_BEGUN: usize = 4;

struct Chain {
    matched: usize,
    start: usize,
    end: usize,
    from_first: bool,
    /// The first piece not found (index into the message's pieces), if the chain stopped before
    /// the end.
    next_piece: Option<usize>,
    lacks_later_parts: bool,
    pieces: usize,
    longest: usize,
    /// Some piece found is not boilerplate.
    telling: bool,
}

/// The longest run of consecutive pieces found in order with allowed gaps, in the folded text.
fn best_chain(message: &Message, occurrences: &Occurrences) -> Option<Chain> {
    let mut best: Option<Chain> = None;
    for (first, piece) in message.pieces.iter().enumerate() {
        for &(start, end) in occurrences.get(piece.literal) {
            let mut matched = piece.len;
            let mut telling = !piece.common;
            let mut pieces = 1;
            let mut longest = piece.len;
            let mut last_end = end;
            let mut next_piece = None;
            let mut lacks_later_parts = false;
            for (offset, next) in message.pieces[first + 1..].iter().enumerate() {
                let follow = occurrences
                    .get(next.literal)
                    .iter()
                    .find(|&&(s, _)| s >= last_end && s - last_end <= next.max_gap);
                match follow {
                    Some(&(_, e)) => {
                        matched += next.len;
                        telling |= !next.common;
                        pieces += 1;
                        longest = longest.max(next.len);
                        last_end = e;
                    }
                    None => {
                        next_piece = Some(first + 1 + offset);
                        lacks_later_parts = message.pieces[first + 1 + offset..]
                            .iter()
                            .any(|p| p.max_gap == WILDCARD_GAP);
                        break;
                    }
                }
            }
            if best.as_ref().is_none_or(|b| matched > b.matched) {
                best = Some(Chain {
                    matched,
                    start,
                    end: last_end,
                    from_first: first == 0,
                    next_piece,
                    lacks_later_parts,
                    pieces,
                    longest,
                    telling,
                });
            }
        }
    }
    best
}

/// The folded form of a whole message, placeholders included: the key that tells whether two
/// entries hold the same message.
fn fold_message(message: &str) -> String {
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
fn message_pieces(message: &str) -> Vec<(String, usize)> {
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
fn family_of(lower_code: &str) -> Option<&str> {
    let last = lower_code.rfind('-')?;
    let tail = &lower_code[last + 1..];
    let numeric = lower_code.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let segments = lower_code[..last].contains('-') && !lower_code.starts_with('-');
    (segments && !tail.is_empty() && !numeric).then(|| &lower_code[..=last])
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
    let after = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
    before && after
}

/// Words that can be codes: runs of ASCII letters, digits, `-` and `_`.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        while at < bytes.len() && !is_word(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let mut start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        // Separators around a word are not part of it.
        let mut end = at;
        while start < end && matches!(bytes[start], b'-' | b'_') {
            start += 1;
        }
        while end > start && matches!(bytes[end - 1], b'-' | b'_') {
            end -= 1;
        }
        Some((start, &text[start..end]))
    })
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

    /// A sentence that the messages of several entries end with is boilerplate: found alone it
    /// is no evidence, found with a telling part of the message it is.
    #[test]
    fn boilerplate_pieces_alone_are_no_evidence() {
        let tail =
            "If the issue persists, please contact Microsoft support for further assistance.";
        let entry = |id: &str, message: String| -> Entry {
            serde_json::from_value(serde_json::json!({
                "id": id, "guide": "g", "title": id, "products": ["adf"], "source": "s",
                "messages": [message], "symptoms": [], "cause": [], "resolution": [],
            }))
            .unwrap()
        };
        let entries: &'static [Entry] = Box::leak(Box::new([
            entry(
                "delta",
                format!("Failed to get the delta token from the SAP system. {tail}"),
            ),
            entry(
                "staging",
                format!("The staging linked service does not exist in the script. {tail}"),
            ),
            entry(
                "server",
                format!("Dataflow execution hit an internal server failure. {tail}"),
            ),
        ]));
        let index = Index::build(entries);
        let messages_found = |text: &str| -> Vec<&str> {
            let cleaned = Normalized::new(text);
            let folded = Folded::new(&cleaned.text);
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            let mut ids: Vec<&str> = index
                .locate(&cleaned, &folded, &facts)
                .into_iter()
                .filter(|(_, found)| {
                    found
                        .iter()
                        .any(|f| matches!(f.signal, Signal::Message { .. }))
                })
                .map(|(entry, _)| entries[entry].id.as_str())
                .collect();
            ids.sort_unstable();
            ids
        };
        assert!(messages_found(&format!("Something else broke. {tail}")).is_empty());
        assert_eq!(
            messages_found("Failed to get the delta token from the SAP system. Please retry."),
            ["delta"]
        );
        assert_eq!(
            messages_found(&format!(
                "Dataflow execution hit an internal server failure. {tail}"
            )),
            ["server"]
        );
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

    fn evidence_for(text: &str, id: &str) -> Vec<Found> {
        let index = Index::shared();
        let text = Normalized::new(text);
        let folded = Folded::new(&text.text);
        let facts = crate::facts::extract_cleaned(&text.text);
        let entry = index.entries().iter().position(|e| e.id == id).unwrap();
        index
            .locate(&text, &folded, &facts)
            .remove(&entry)
            .unwrap_or_default()
    }

    /// Templates with several variable parts match with each part filled, whatever its length.
    #[test]
    fn templates_match_with_their_variable_parts_filled() {
        let table = format!("dbo.{}", "Orders_".repeat(30));
        let cases = [
            "Column 'amount' does not exist in the table 'dbo.Sales', ServerName: 'sql-prod.database.windows.net', DatabaseName: 'dw'.".to_string(),
            format!("Copy failed: Column 'Order Id' does not exist in the table '{table}', ServerName: 'a', DatabaseName: 'b-c_d'."),
            "Column '' does not exist in the table '', ServerName: '', DatabaseName: ''.".to_string(),
        ];
        let holder = Index::shared()
            .entries()
            .iter()
            .find(|e| {
                e.messages.iter().any(|m| {
                    m.starts_with("Column '*' does not exist in the table '*', ServerName")
                })
            })
            .unwrap();
        for text in cases {
            let found = evidence_for(&text, &holder.id);
            assert!(
                found.iter().any(
                    |f| matches!(f.signal, Signal::Message { fraction, .. } if fraction > 0.99)
                ),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn words_are_code_shaped_runs() {
        let found: Vec<_> = words("ErrorCode=DF-SYS-01,'x' -2200- a_b").collect();
        assert_eq!(
            found,
            [
                (0, "ErrorCode"),
                (10, "DF-SYS-01"),
                (21, "x"),
                (25, "2200"),
                (31, "a_b")
            ]
        );
    }
}
