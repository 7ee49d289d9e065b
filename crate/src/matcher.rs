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

use crate::automaton::CompactAutomaton;
use crate::facts::Facts;
use crate::fold::Folded;
use crate::hash::NumberMap;
use crate::index::{family_of, FoldedOwner, Message, WordOwner, WILDCARD_GAP};
use crate::normalize::Normalized;
use adf_scan::interner::Interner;
use adf_scan::words::Words;
use std::borrow::Cow;

pub use crate::index::Index;

/// Occurrences kept per literal: enough for evidence, bounded for hostile input.
const MAX_OCCURRENCES: usize = 32;
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
// A bit per marker in `nesting_markers`.
const _: () = assert!(NESTING_MARKERS.len() <= 8);

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
    /// `DF-` code) is explained by the data flow articles, a copy's error or complaint (its
    /// failing side, or a text that speaks of a copy) by the others.
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
        /// A wrapper (flagged by its entry) or widely used code: it supports, never decides.
        /// Numbers never decide either; a flagged one also weighs no more than a shared one.
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
    Keyword {
        /// Entries that list the keyword.
        holders: usize,
    },
    Connector,
    /// The text says where the error happened, and it agrees with the entry or not.
    Context {
        aspect: Aspect,
        agrees: bool,
    },
    /// The text makes a complaint (`slow`) the entry answers in general: a lead, like shared
    /// words, that never counts towards confidence.
    Symptom,
    /// Words the text shares with the entry's whole text (a related-text suggestion): how
    /// similar, relative to the best entry, and how many words support it (0 to 1).
    Related {
        similarity: f32,
        support: f32,
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
pub type Located = NumberMap<Vec<Found>>;

/// Byte ranges in the folded text where each folded literal occurs: sorted by literal, then by
/// position, at most [`MAX_OCCURRENCES`] per literal. Sorted lists, not a map: a long text has
/// thousands of occurrences, and only literals that occur take room.
struct Occurrences {
    literals: Vec<usize>,
    ranges: Vec<(usize, usize)>,
}

impl Occurrences {
    fn find(automaton: &CompactAutomaton, literal_count: usize, folded: &str) -> Occurrences {
        let mut counts = vec![0u8; literal_count];
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        automaton.overlapping(folded, |literal, start, end| {
            // The first occurrences in the text are kept (each literal's are reported in text order).
            if usize::from(counts[literal]) < MAX_OCCURRENCES {
                counts[literal] += 1;
                hits.push((literal, start, end));
            }
            true
        });
        crate::sort::sort(&mut hits);
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

impl Index {
    /// Every entry with any evidence in the text, with that evidence.
    pub fn locate(&self, text: &Normalized, folded: &Folded, facts: &Facts) -> Located {
        let haystack = text.text.as_str();
        let mut located = Located::default();
        self.find_codes(haystack, &folded.words, facts, &mut located);
        self.find_words(haystack, &mut located);
        let occurrences = Occurrences::find(&self.folded, self.folded_owners.len(), &folded.text);
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
            generic: self.generic_codes.contains(lower),
        }
    }

    fn find_codes(&self, haystack: &str, words: &Words, facts: &Facts, located: &mut Located) {
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
        // not looked up again. A code of one word has that word's number; one of several
        // (`DF-SYS-01`) is numbered apart, among the text's other such codes.
        let mut not_codes: Vec<bool> = vec![false; words.distinct];
        let mut joined = Interner::default();
        let mut joined_not_codes: Vec<bool> = Vec::new();
        for (start, end, single) in codes_of(words) {
            if end - start > 120 {
                continue;
            }
            let not_code = match single {
                Some(number) => &mut not_codes[number as usize],
                None => {
                    let (number, new) = joined.intern(&haystack.as_bytes()[start..end]);
                    if new {
                        joined_not_codes.push(false);
                    }
                    &mut joined_not_codes[number as usize]
                }
            };
            if *not_code {
                continue;
            }
            // Read as text only now: most of a log's words were already found to be no codes.
            let word = &haystack[start..end];
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
                    None => *not_code = true,
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
            self.folded_owners
                .get(l)
                .iter()
                .any(|&o| matches!(FoldedOwner::from(o), FoldedOwner::Code { .. }))
        });
        for literal in literals {
            let list = occurrences.get(literal);
            for &owner in self.folded_owners.get(literal) {
                let FoldedOwner::Code { code } = FoldedOwner::from(owner) else {
                    continue;
                };
                let code = &self.long_codes[code];
                let holders = &self.codes[&code.1];
                for &(s, e) in list {
                    let (start, end) = folded.cleaned_range(s, e);
                    let split = haystack[start..end].bytes().any(|b| b == b' ');
                    if split && (start == 0 || edge(start - 1)) && edge(end) {
                        let signal = self.code_signal(&code.1, Placement::Split, holders.len());
                        for &entry in holders {
                            add_code(located, entry, signal, &code.0, (start, end));
                        }
                    }
                }
            }
        }
    }

    fn find_words(&self, haystack: &str, located: &mut Located) {
        // Per literal: its first occurrence as a whole word, and as a whole word in the plural;
        // `slot` says where a literal's is in `first` (each literal's are reported in order).
        let mut slot = vec![u32::MAX; self.word_owners.len()];
        let mut first: Vec<(usize, FirstSeen)> = Vec::new();
        self.words.overlapping(haystack, |literal, start, end| {
            if let Some((at, plural)) = whole_word_or_plural(haystack, start, end) {
                if slot[literal] == u32::MAX {
                    slot[literal] = first.len() as u32;
                    first.push((literal, [None, None]));
                }
                first[slot[literal] as usize].1[usize::from(plural)].get_or_insert((start, at));
            }
            true
        });
        // In text order: evidence lists are read first-found-first (the connector a context
        // names).
        crate::sort::by_key(&mut first, |&(literal, [exact, plural])| {
            (exact.or(plural), literal)
        });
        for (literal, [exact, plural]) in first {
            let owners = || self.word_owners.get(literal).chunks(2).map(WordOwner::from);
            // One owner per entry: entry files and team rules refuse a keyword listed twice.
            let keyword_holders = owners()
                .filter(|owner| matches!(owner, WordOwner::Keyword { .. }))
                .count();
            for owner in owners() {
                // A keyword is a word users also write in the plural (`option sets`); a
                // connector is a name (`File` is no `files`).
                let (entry, signal, value, range) = match owner {
                    WordOwner::Keyword { entry, keyword } => (
                        entry,
                        Signal::Keyword {
                            holders: keyword_holders,
                        },
                        &self.entries[entry].keywords[keyword],
                        exact.or(plural),
                    ),
                    WordOwner::Connector { entry, connector } => (
                        entry,
                        Signal::Connector,
                        &self.entries[entry].context.connectors[connector],
                        exact,
                    ),
                };
                let Some(range) = range else {
                    continue;
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
            .flat_map(|literal| self.folded_owners.get(literal))
            .filter_map(|&owner| match FoldedOwner::from(owner) {
                FoldedOwner::Piece { message } => Some(message),
                FoldedOwner::Code { .. } => None,
            })
            .collect();
        crate::sort::sort(&mut touched);
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
                        self.piece_text(piece),
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
                value: Cow::Borrowed(self.entries[message.entry].messages[message.number].as_str()),
                range: Some((start, end)),
            });
        }
    }
}

/// Where the text opens a nested level of an error chain, in order, in one pass over the text
/// for every marker (none overlaps another).
fn nesting_markers(haystack: &str) -> Vec<usize> {
    // Per first byte, the markers that begin with it (a bit each): a log's capitals are
    // compared with those markers only, not with every marker.
    let mut first = [0u8; 256];
    for (bit, marker) in NESTING_MARKERS.iter().enumerate() {
        first[usize::from(marker.as_bytes()[0])] |= 1 << bit;
    }
    let bytes = haystack.as_bytes();
    let mut markers = Vec::new();
    for at in 0..bytes.len() {
        let candidates = first[usize::from(bytes[at])];
        if candidates != 0
            && NESTING_MARKERS
                .iter()
                .enumerate()
                .any(|(bit, m)| candidates & 1 << bit != 0 && bytes[at..].starts_with(m.as_bytes()))
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

/// A literal's first range as a whole word, and as a whole word in the plural.
type FirstSeen = [Option<(usize, usize)>; 2];

/// Where a keyword or connector found at `start..end` ends as a whole word, and whether it
/// is there in the plural (`option sets` for `Option Set`, `DIUs` for `DIU`).
fn whole_word_or_plural(text: &str, start: usize, end: usize) -> Option<(usize, bool)> {
    let bytes = text.as_bytes();
    if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
        return None;
    }
    let edge = |at: usize| bytes.get(at).is_none_or(|b| !b.is_ascii_alphanumeric());
    if edge(end) {
        return Some((end, false));
    }
    if !bytes[end - 1].is_ascii_alphabetic() {
        return None;
    }
    [&b"s"[..], b"es"]
        .into_iter()
        .find(|suffix| bytes[end..].starts_with(suffix) && edge(end + suffix.len()))
        .map(|suffix| (end + suffix.len(), true))
}

/// Words that can be codes: runs of ASCII letters, digits, `-` and `_`, without the separators
/// around them, as byte ranges; with the number of the text's word when the code is one word.
fn codes_of(words: &Words) -> impl Iterator<Item = (usize, usize, Option<u32>)> + '_ {
    let mut list = words.list.iter();
    std::iter::from_fn(move || {
        let first = list.next()?;
        let mut last = first;
        while last.joins_code {
            last = list.next()?;
        }
        let single = std::ptr::eq(first, last).then_some(first.number);
        Some((first.start as usize, last.end as usize, single))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge::Entry;

    #[test]
    fn keywords_are_found_in_the_plural_connectors_only_as_written() {
        // (text, start, end of the literal found) -> where it ends and whether in the plural
        type Case = (&'static str, usize, usize, Option<(usize, bool)>);
        let cases: &[Case] = &[
            ("the option set is empty", 4, 14, Some((14, false))),
            ("the option sets are empty", 4, 14, Some((15, true))),
            ("raise the DIUs", 10, 13, Some((14, true))),
            ("two matches", 4, 9, Some((11, true))),
            ("the settings", 4, 7, None),
            ("a subset", 3, 6, None),
            ("port 443s", 5, 8, None),
        ];
        for &(text, start, end, expected) in cases {
            assert_eq!(whole_word_or_plural(text, start, end), expected, "{text}");
        }
        let entry = |id: &str, keywords: &[&str], connectors: &[&str]| -> Entry {
            serde_json::from_value(serde_json::json!({
                "id": id, "guide": "g", "title": id, "products": ["adf"], "source": "s",
                "keywords": keywords, "context": {"connectors": connectors},
                "symptoms": [], "cause": [], "resolution": [],
            }))
            .unwrap()
        };
        let entries = vec![
            entry("labels", &["option set"], &[]),
            entry("files", &[], &["File"]),
        ];
        let index = Index::build(Box::leak(entries.into_boxed_slice()));
        let text = Normalized::new("the option sets of our files are missing");
        let folded = Folded::new(&text.text);
        let located = index.locate(&text, &folded, &Facts::default());
        assert!(located.get(&0).is_some_and(|f| f[0].range == Some((4, 15))));
        assert!(
            !located.contains_key(&1),
            "a connector's name is not read in the plural"
        );
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

    fn codes_in(text: &str) -> Vec<(usize, &str)> {
        codes_of(&adf_scan::words::words(text))
            .map(|(start, end, _)| (start, &text[start..end]))
            .collect()
    }

    #[test]
    fn nesting_markers_are_found_where_they_start() {
        let text =
            "ErrorCode=X,Message=a ErrorMessage: b Reason: c InnerException Caused by: d Message";
        let expected: Vec<usize> = (0..text.len())
            .filter(|&at| NESTING_MARKERS.iter().any(|m| text[at..].starts_with(m)))
            .collect();
        assert_eq!(expected.len(), 5);
        assert_eq!(nesting_markers(text), expected);
    }

    #[test]
    fn words_are_code_shaped_runs() {
        assert_eq!(
            codes_in("ErrorCode=DF-SYS-01,'x' -2200- a_b"),
            [
                (0, "ErrorCode"),
                (10, "DF-SYS-01"),
                (21, "x"),
                (25, "2200"),
                (31, "a_b")
            ]
        );
    }

    /// The words that can be codes as they were read before the text's words were shared:
    /// runs of letters, digits, `-` and `_`, trimmed of the separators around them.
    fn code_shaped_runs(text: &str) -> Vec<(usize, &str)> {
        let is_word = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_');
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let start = at;
            while at < bytes.len() && is_word(&bytes[at]) {
                at += 1;
            }
            let (mut first, mut end) = (start, at);
            while first < end && matches!(bytes[first], b'-' | b'_') {
                first += 1;
            }
            while end > first && matches!(bytes[end - 1], b'-' | b'_') {
                end -= 1;
            }
            // A run of separators alone is no code.
            if first < end {
                found.push((first, &text[first..end]));
            }
            at += 1;
        }
        found
    }

    proptest::proptest! {
        /// Codes read from the shared words are the code-shaped runs of the text, and a code
        /// of one word carries that word's number.
        #[test]
        fn codes_of_the_shared_words_are_the_code_shaped_runs(text in "[aB1 _,.'é-]{0,40}") {
            proptest::prop_assert_eq!(codes_in(&text), code_shaped_runs(&text));
            let words = adf_scan::words::words(&text);
            for (start, end, single) in codes_of(&words) {
                let word = words.list.iter().find(|w| w.start as usize == start).unwrap();
                proptest::prop_assert_eq!(single.is_some(), word.end as usize == end);
            }
        }
    }
}
