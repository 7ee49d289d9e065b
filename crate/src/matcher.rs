//! Ranks knowledge entries by the evidence found in one pass over the cleaned text.
//!
//! ```
//! use adf_troubleshooter::{facts, matcher::Index, normalize::Normalized};
//! let text = Normalized::new("ErrorCode=InvalidGatewayKey");
//! let ranked = Index::shared().rank(&text, &facts::extract_cleaned(&text.text));
//! assert_eq!(ranked[0].entry.codes, ["InvalidGatewayKey"]);
//! ```
//!
//! Every message fragment, keyword and connector name of every entry is compiled into a single
//! Aho-Corasick automaton, and codes into a hash map looked up per word, so a query costs one
//! pass over the text plus work proportional to what was found, not to the number of entries.
//!
//! Weights: a code in a code position or a whole message is strong evidence; a code shared by
//! several entries counts less the more entries share it; keywords, connectors, the failing
//! side and the integration runtime kind only support. Only strong evidence can make a match
//! `high`, so an unknown error that merely mentions familiar words never gets a confident answer.

use crate::facts::{Facts, Side};
use crate::knowledge::{self, Entry};
use crate::normalize::Normalized;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::HashMap;
use std::sync::OnceLock;

const CODE_NAMED_IN_POSITION: f32 = 10.0;
const CODE_NAMED_IN_TEXT: f32 = 7.0;
const CODE_NUMERIC_IN_POSITION: f32 = 4.0;
const CODE_NUMERIC_IN_TEXT: f32 = 1.0;
const MESSAGE_WHOLE: f32 = 14.0;
const MESSAGE_EXTRA: f32 = 3.0;
const MESSAGE_PARTIAL_MIN_FRACTION: f32 = 0.34;
const MESSAGE_PARTIAL_MIN_CHARS: usize = 24;
const KEYWORD: f32 = 1.5;
const KEYWORDS_MAX: f32 = 4.5;
const CONNECTOR: f32 = 2.0;
const CONTEXT_AGREES: f32 = 1.5;
const SIDE_DISAGREES: f32 = -3.0;
const IR_DISAGREES: f32 = -1.0;
/// A message fragment split at a sentence boundary must continue right after it.
const SENTENCE_GAP: usize = 4;
/// A `*` in a message stands for a name, path or number of at most this many bytes.
const WILDCARD_GAP: usize = 400;
/// Occurrences kept per literal: enough for evidence, bounded for hostile input.
const MAX_OCCURRENCES: usize = 32;

/// Byte ranges in the cleaned text where each knowledge literal occurs, by literal.
type Occurrences = HashMap<usize, Vec<(usize, usize)>>;

/// Which kind of signal produced a piece of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Code,
    Message,
    Keyword,
    Connector,
    Side,
    Runtime,
}

/// One piece of evidence, located in the cleaned text (byte range) when it has a place.
#[derive(Debug, Clone)]
pub struct Found {
    pub signal: Signal,
    pub value: String,
    pub weight: f32,
    pub range: Option<(usize, usize)>,
}

/// An entry with its score and the evidence behind it.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub entry: &'static Entry,
    pub score: f32,
    /// A code in code position, or (most of) a message: the only evidence that can be `high`.
    pub strong: bool,
    pub found: Vec<Found>,
}

#[derive(Clone, Copy)]
enum Owner {
    Piece { message: usize },
    Keyword { entry: usize, keyword: usize },
    Connector { entry: usize, connector: usize },
}

struct Piece {
    literal: usize,
    len: usize,
    /// Largest gap allowed between the previous piece's end and this piece's start.
    max_gap: usize,
}

struct Message {
    entry: usize,
    text: &'static str,
    pieces: Vec<Piece>,
    total: usize,
}

/// The compiled knowledge base.
pub struct Index {
    entries: &'static [Entry],
    automaton: AhoCorasick,
    owners: Vec<Vec<Owner>>,
    messages: Vec<Message>,
    codes: HashMap<String, Vec<usize>>,
}

impl Index {
    /// The index of the embedded knowledge base, built on first use.
    pub fn shared() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::build(knowledge::entries()))
    }

    pub fn build(entries: &'static [Entry]) -> Index {
        let mut literals: Vec<String> = Vec::new();
        let mut literal_ids: HashMap<String, usize> = HashMap::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut add_literal = |text: &str, owner: Owner, owners: &mut Vec<Vec<Owner>>| {
            let key = text.to_ascii_lowercase();
            let id = *literal_ids.entry(key.clone()).or_insert_with(|| {
                literals.push(key);
                owners.push(Vec::new());
                literals.len() - 1
            });
            owners[id].push(owner);
            id
        };
        let mut messages = Vec::new();
        let mut codes: HashMap<String, Vec<usize>> = HashMap::new();
        for (entry_index, entry) in entries.iter().enumerate() {
            for code in &entry.codes {
                let holders = codes.entry(code.to_ascii_lowercase()).or_default();
                if !holders.contains(&entry_index) {
                    holders.push(entry_index);
                }
            }
            for text in &entry.messages {
                let message_index = messages.len();
                let mut pieces = Vec::new();
                for (piece_text, max_gap) in message_pieces(text) {
                    let owner = Owner::Piece {
                        message: message_index,
                    };
                    let literal = add_literal(&piece_text, owner, &mut owners);
                    pieces.push(Piece {
                        literal,
                        len: piece_text.len(),
                        max_gap,
                    });
                }
                let total = pieces.iter().map(|p| p.len).sum();
                messages.push(Message {
                    entry: entry_index,
                    text,
                    pieces,
                    total,
                });
            }
            for (keyword, text) in entry.keywords.iter().enumerate() {
                let owner = Owner::Keyword {
                    entry: entry_index,
                    keyword,
                };
                add_literal(&Normalized::new(text).text, owner, &mut owners);
            }
            for (connector, text) in entry.context.connectors.iter().enumerate() {
                let owner = Owner::Connector {
                    entry: entry_index,
                    connector,
                };
                add_literal(&Normalized::new(text).text, owner, &mut owners);
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(&literals)
            .expect("knowledge literals form an automaton");
        Index {
            entries,
            automaton,
            owners,
            messages,
            codes,
        }
    }

    /// Ranks every entry with any evidence, best first.
    pub fn rank(&self, text: &Normalized, facts: &Facts) -> Vec<Ranked> {
        let haystack = text.text.as_str();
        // Only literals that occur get a list: a query's cost follows what the text holds, not
        // the size of the knowledge base.
        let mut occurrences: Occurrences = HashMap::new();
        for m in self.automaton.find_overlapping_iter(haystack) {
            let list = occurrences.entry(m.pattern().as_usize()).or_default();
            if list.len() < MAX_OCCURRENCES {
                list.push((m.start(), m.end()));
            }
        }
        let mut found: HashMap<usize, Vec<Found>> = HashMap::new();
        self.find_codes(haystack, facts, &mut found);
        self.find_messages(&occurrences, &mut found);
        self.find_words(haystack, &occurrences, &mut found);
        prefer_inner_messages(haystack, &mut found);

        let mut ranked: Vec<Ranked> = found
            .into_iter()
            .map(|(entry_index, found)| self.score(&self.entries[entry_index], found, facts))
            .filter(|r| r.score > 0.0)
            .collect();
        ranked.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        ranked
    }

    fn find_codes(&self, haystack: &str, facts: &Facts, found: &mut HashMap<usize, Vec<Found>>) {
        let in_position: Vec<String> = facts
            .error_codes
            .iter()
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let mut lower = String::new();
        for (start, word) in words(haystack) {
            if word.len() > 120 {
                continue;
            }
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            let Some(holders) = self.codes.get(&lower) else {
                continue;
            };
            let numeric = word.bytes().all(|b| b.is_ascii_digit());
            let positioned = in_position.contains(&lower);
            let weight = match (numeric, positioned) {
                (false, true) => CODE_NAMED_IN_POSITION,
                (false, false) => CODE_NAMED_IN_TEXT,
                (true, true) => CODE_NUMERIC_IN_POSITION,
                (true, false) => CODE_NUMERIC_IN_TEXT,
            } / (holders.len() as f32).sqrt();
            for &entry in holders {
                let evidence = Found {
                    signal: Signal::Code,
                    value: word.to_string(),
                    weight,
                    range: Some((start, start + word.len())),
                };
                // A code counts once per entry: its best-placed occurrence.
                let list = found.entry(entry).or_default();
                match list.iter_mut().find(|f| f.signal == Signal::Code) {
                    Some(existing) if existing.weight >= weight => {}
                    Some(existing) => *existing = evidence,
                    None => list.push(evidence),
                }
            }
        }
    }

    fn find_messages(&self, occurrences: &Occurrences, found: &mut HashMap<usize, Vec<Found>>) {
        let mut touched: Vec<usize> = Vec::new();
        for &literal in occurrences.keys() {
            for owner in &self.owners[literal] {
                if let Owner::Piece { message, .. } = owner {
                    if !touched.contains(message) {
                        touched.push(*message);
                    }
                }
            }
        }
        for message_index in touched {
            let message = &self.messages[message_index];
            if let Some((matched, range)) = best_chain(message, occurrences) {
                let fraction = matched as f32 / message.total as f32;
                let whole = fraction >= 0.999;
                if !whole
                    && (fraction < MESSAGE_PARTIAL_MIN_FRACTION
                        || matched < MESSAGE_PARTIAL_MIN_CHARS)
                {
                    continue;
                }
                found.entry(message.entry).or_default().push(Found {
                    signal: Signal::Message,
                    value: message.text.to_string(),
                    weight: MESSAGE_WHOLE * fraction,
                    range: Some(range),
                });
            }
        }
    }

    fn find_words(
        &self,
        haystack: &str,
        occurrences: &Occurrences,
        found: &mut HashMap<usize, Vec<Found>>,
    ) {
        for (&literal, list) in occurrences {
            let Some(&(start, end)) = list.iter().find(|&&(s, e)| is_whole_word(haystack, s, e))
            else {
                continue;
            };
            for owner in &self.owners[literal] {
                let (entry, signal, value, weight) = match *owner {
                    Owner::Keyword { entry, keyword } => (
                        entry,
                        Signal::Keyword,
                        &self.entries[entry].keywords[keyword],
                        KEYWORD,
                    ),
                    Owner::Connector { entry, connector } => (
                        entry,
                        Signal::Connector,
                        &self.entries[entry].context.connectors[connector],
                        CONNECTOR,
                    ),
                    Owner::Piece { .. } => continue,
                };
                found.entry(entry).or_default().push(Found {
                    signal,
                    value: value.clone(),
                    weight,
                    range: Some((start, end)),
                });
            }
        }
    }

    fn score(&self, entry: &'static Entry, mut found: Vec<Found>, facts: &Facts) -> Ranked {
        let mut score = 0.0;
        let mut strong = false;
        let mut messages = 0;
        let mut keywords = 0.0;
        let mut connector = false;
        // Strongest first; ties in text order, so the answer is the same on every run.
        found.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.range.cmp(&b.range))
                .then_with(|| a.value.cmp(&b.value))
        });
        found.retain_mut(|f| {
            match f.signal {
                Signal::Code => {
                    strong |= f.weight >= CODE_NAMED_IN_POSITION / 2.0;
                    score += f.weight;
                }
                Signal::Message => {
                    messages += 1;
                    strong |= f.weight >= MESSAGE_WHOLE * 0.8;
                    if messages > 1 {
                        f.weight = f.weight.min(MESSAGE_EXTRA);
                    }
                    if messages > 3 {
                        return false;
                    }
                    score += f.weight;
                }
                Signal::Keyword => {
                    if keywords >= KEYWORDS_MAX {
                        return false;
                    }
                    keywords += f.weight;
                    score += f.weight;
                }
                Signal::Connector => {
                    if connector {
                        return false;
                    }
                    connector = true;
                    score += f.weight;
                }
                Signal::Side | Signal::Runtime => score += f.weight,
            }
            true
        });
        // Context agreeing supports an entry; a different failing side is strong counter-evidence.
        let side = facts
            .side
            .zip(entry.context.side.as_deref())
            .map(|(side, wanted)| {
                let agrees = matches!(
                    (side, wanted),
                    (Side::Source, "source") | (Side::Sink, "sink")
                );
                (wanted, agrees)
            });
        let runtime = facts
            .ir_kind
            .zip(entry.context.ir.as_deref())
            .map(|(kind, wanted)| (wanted, kind == wanted));
        for (signal, context, disagrees) in [
            (Signal::Side, side, SIDE_DISAGREES),
            (Signal::Runtime, runtime, IR_DISAGREES),
        ] {
            let Some((wanted, agrees)) = context else {
                continue;
            };
            let weight = if agrees { CONTEXT_AGREES } else { disagrees };
            score += weight;
            found.push(Found {
                signal,
                value: wanted.to_string(),
                weight,
                range: None,
            });
        }
        Ranked {
            entry,
            score,
            strong,
            found,
        }
    }
}

/// Markers that open a nested level of an error chain: the outer wrapper comes first, the
/// inner exception (the actual cause) after.
const NESTING_MARKERS: &[&str] = &["Message=", "ErrorMessage:", "Reason:", "InnerException"];
/// Bonus per nesting level for a whole message found inside an error chain.
const INNER_MESSAGE_BONUS: f32 = 2.0;

/// In an error chain the outer message is a wrapper (`A database operation failed`) and the
/// inner one says what actually went wrong. When entries match whole messages at different
/// depths, an outer-level entry gives way (its message counts half) unless its own code is
/// specific to it and the inner entry shares nothing with it (no common code or connector):
/// then the inner message is a different problem's wording met in passing. Whole messages gain
/// a little per level of nesting.
fn prefer_inner_messages(haystack: &str, found: &mut HashMap<usize, Vec<Found>>) {
    let mut markers: Vec<usize> = NESTING_MARKERS
        .iter()
        .flat_map(|m| haystack.match_indices(m).map(|(at, _)| at))
        .collect();
    if markers.is_empty() {
        return;
    }
    markers.sort_unstable();
    let depth_of = |list: &[Found]| {
        list.iter()
            .filter(|f| f.signal == Signal::Message && f.weight >= MESSAGE_WHOLE * 0.8)
            .filter_map(|f| {
                f.range
                    .map(|(start, _)| markers.partition_point(|&m| m < start).min(4))
            })
            .max()
    };
    let depths: HashMap<usize, usize> = found
        .iter()
        .filter_map(|(&entry, list)| Some((entry, depth_of(list)?)))
        .collect();
    let Some(&deepest) = depths.values().max() else {
        return;
    };
    let shared_values = |list: &[Found]| -> Vec<String> {
        list.iter()
            .filter(|f| matches!(f.signal, Signal::Code | Signal::Connector))
            .map(|f| f.value.to_ascii_lowercase())
            .collect()
    };
    let inner_values: Vec<String> = depths
        .iter()
        .filter(|&(_, &d)| d == deepest)
        .flat_map(|(entry, _)| shared_values(&found[entry]))
        .collect();
    for (entry, &depth) in &depths {
        let list = found.get_mut(entry).expect("depths come from found");
        let own_code = list
            .iter()
            .any(|f| f.signal == Signal::Code && f.weight >= CODE_NAMED_IN_POSITION);
        let related = shared_values(list).iter().any(|v| inner_values.contains(v));
        let gives_way = depth < deepest && (!own_code || related);
        for f in list.iter_mut().filter(|f| f.signal == Signal::Message) {
            if gives_way {
                f.weight /= 2.0;
            } else if f.weight >= MESSAGE_WHOLE * 0.8 {
                f.weight += INNER_MESSAGE_BONUS * depth.saturating_sub(1) as f32;
            }
        }
    }
}

/// Splits a knowledge message into literal pieces: at `*` (a variable part), at sentence and
/// clause ends, and long clauses every few words, so a message cut short by a narrow UI
/// column or a truncated log line still earns partial credit.
fn message_pieces(message: &str) -> Vec<(String, usize)> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    for (part_index, part) in message.split('*').enumerate() {
        let cleaned = Normalized::new(part).text;
        let mut gap = if part_index == 0 { 0 } else { WILDCARD_GAP };
        let mut current = String::new();
        for clause in clauses(&cleaned) {
            current.push_str(clause);
            if current.trim().len() >= 24 {
                for chunk in word_chunks(current.trim().trim_end_matches('.')) {
                    pieces.push((chunk.to_string(), gap));
                    gap = SENTENCE_GAP;
                }
                current.clear();
            }
        }
        // A tail of punctuation (`'.`, `)`) carries no meaning of its own.
        let rest = current.trim().trim_end_matches('.');
        if rest.len() >= 4 {
            pieces.push((rest.to_string(), gap));
        }
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

/// The longest run of consecutive pieces found in order with allowed gaps: returns the matched
/// length and its byte range in the cleaned text.
fn best_chain(message: &Message, occurrences: &Occurrences) -> Option<(usize, (usize, usize))> {
    let mut best: Option<(usize, (usize, usize))> = None;
    for (first, piece) in message.pieces.iter().enumerate() {
        for &(start, end) in occurrences.get(&piece.literal).into_iter().flatten() {
            let mut matched = piece.len;
            let mut last_end = end;
            for next in &message.pieces[first + 1..] {
                let follow = occurrences
                    .get(&next.literal)
                    .into_iter()
                    .flatten()
                    .find(|&&(s, _)| s >= last_end && s - last_end <= next.max_gap);
                match follow {
                    Some(&(_, e)) => {
                        matched += next.len;
                        last_end = e;
                    }
                    None => break,
                }
            }
            if best.is_none_or(|(m, _)| matched > m) {
                best = Some((matched, (start, last_end)));
            }
        }
    }
    best
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
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        let word = text[start..at].trim_matches(['-', '_']);
        let lead = text[start..at].len() - text[start..at].trim_start_matches(['-', '_']).len();
        Some((start + lead, word))
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
                "Unable to create Azure Blob container",
                "Endpoint:",
                ", Container Name:"
            ]
        );
        assert_eq!(pieces[1].1, SENTENCE_GAP);
        assert_eq!(pieces[2].1, WILDCARD_GAP);
        let pieces = message_pieces("Cluster ran into out of memory issue during execution, please retry using an integration runtime with bigger core count");
        let texts: Vec<&str> = pieces.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Cluster ran into out of memory",
                "issue during execution,",
                "please retry using an integration",
                "runtime with bigger core count"
            ]
        );
        assert!(pieces.iter().skip(1).all(|(_, gap)| *gap == SENTENCE_GAP));
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
