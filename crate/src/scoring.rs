//! What evidence is worth: every weight, cap and threshold, and the confidence they earn.
//!
//! ```
//! use adf_troubleshooter::scoring::{weight, Confidence};
//! use adf_troubleshooter::matcher::{Placement, Signal};
//! let wrapper = Signal::Code { placement: Placement::Position, numeric: false, holders: 1, generic: true };
//! let own = Signal::Code { placement: Placement::Position, numeric: false, holders: 1, generic: false };
//! assert!(weight(&wrapper) < weight(&own));
//! assert!(Confidence::High > Confidence::Medium);
//! ```
//!
//! `high` means "a support engineer would give this answer": it needs evidence specific to the
//! entry (a distinctive code where errors put codes, a distinctive message found whole, or a
//! generic message together with the entry's own context) and no context that contradicts the
//! entry. Generic evidence (wrapper codes such as `2200` or `UserErrorOdbcOperationFailed`,
//! messages that many products print) supports but never decides. `medium` is a fair amount of
//! evidence without that certainty; `low` is a lead worth checking, including suggestions from
//! the words the text shares with an entry, which alone never reach `medium`.

use crate::facts::{Facts, Side};
use crate::fold::Folded;
use crate::hash::NumberMap;
use crate::knowledge::{Entries, Entry};
use crate::matcher::{Aspect, Found, Index, Located, Placement, Signal};
use crate::normalize::Normalized;
use crate::suggest::{Related, Suggestion};
use serde::Serialize;
use std::borrow::Cow;

/// How sure the engine is that a match is the problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

const CODE_IN_POSITION: f32 = 10.0;
const CODE_IN_TEXT: f32 = 6.0;
const CODE_NUMERIC_IN_POSITION: f32 = 3.0;
/// A numeric code only one entry documents, where errors put codes: a lead worth more than
/// shared words, still short of `medium` alone.
const CODE_NUMERIC_OWN_IN_POSITION: f32 = 5.0;
const CODE_NUMERIC_IN_TEXT: f32 = 1.0;
const CODE_GENERIC_IN_POSITION: f32 = 3.0;
const CODE_GENERIC_IN_TEXT: f32 = 1.5;
const MESSAGE_WHOLE: f32 = 14.0;
const MESSAGE_GENERIC: f32 = 5.0;
const MESSAGE_GENERIC_IN_CONTEXT: f32 = 10.0;
/// Messages after an entry's best one add little: they are usually the same story retold.
const MESSAGE_EXTRA: f32 = 3.0;
const MESSAGES_MAX: usize = 3;
/// A partly found message counts from this share and length (folded characters) on.
const PARTIAL_MIN_FRACTION: f32 = 0.34;
const PARTIAL_MIN_CHARS: usize = 20;
/// A message cut by the end of the text (or `...`) after this many characters counts as this
/// share of a whole one: long messages are clipped by panes, logs and tickets.
const TRUNCATED_MIN_CHARS: usize = 40;
const TRUNCATED_AS_FRACTION: f32 = 0.8;
/// A message cut sooner counts from this length on, at most this share.
const TRUNCATED_PARTIAL_MIN_CHARS: usize = 16;
const TRUNCATED_SHORT_SHARE: f32 = 0.5;
/// A message found only before a variable part counts at this share of what was found: what
/// comes before a name is often a noun phrase (`The Self-hosted Integration Runtime '*'`) whose
/// claim (`is offline`) comes after, though sometimes it is the telling part itself.
const BEFORE_PLACEHOLDER_SHARE: f32 = 0.5;
/// A message found to this share is found entirely (not merely as good as whole).
const FULLY_FOUND: f32 = 0.97;
/// From this share on a message counts as found whole.
const WHOLE_FRACTION: f32 = 0.8;
/// Bonus per nesting level for a whole message inside an error chain (the cause is inside).
const DEPTH_BONUS: f32 = 2.0;
/// A partial message needs one piece this long (folded): field labels a JSON output prints
/// anyway (`"StatusCode":..., "Message":` holds `status code`, `error message`) are shorter.
const PARTIAL_MIN_PIECE: usize = 16;
/// An unknown code of a known family (`DF-Executor-New`): enough to offer the family's entries
/// as leads, which the rest of the text then orders; never enough for `high`.
const FAMILY_IN_POSITION: f32 = 3.0;
const FAMILY_IN_TEXT: f32 = 2.5;
const KEYWORD: f32 = 1.5;
const KEYWORDS_MAX: f32 = 4.5;
const CONNECTOR: f32 = 2.0;
const CONTEXT_AGREES: f32 = 1.5;
const SIDE_DISAGREES: f32 = -3.0;
const RUNTIME_DISAGREES: f32 = -3.0;
const CONNECTOR_DISAGREES: f32 = -2.0;
/// An entry of another activity's articles (a data flow's error, a copy's error or complaint): its
/// message may be the same, its resolution is not.
const ACTIVITY_DISAGREES: f32 = -1.5;
/// Related text moves an entry by at most this much; it never counts towards confidence.
const RELATED_MAX: f32 = 4.0;
/// A complaint the entry answers in general (`the copy takes 9 hours`) is as good a lead as the
/// best shared words; it never counts towards confidence either.
const SYMPTOM: f32 = RELATED_MAX;
/// Related-text suggestions below this similarity (1.0: the best related entry) are dropped.
const RELATED_MIN_SIMILARITY: f32 = 0.55;
/// Related-text suggestions are only offered when the evidence offers fewer than this.
const SUGGESTIONS_UP_TO: usize = 3;

/// Evidence scores from which an entry is reported, `medium`, `high`.
const REPORT_MIN: f32 = 2.5;
const MEDIUM_MIN: f32 = 6.0;
const HIGH_MIN: f32 = 10.0;
/// A runner-up at the same confidence and within this share of the best is a tie.
pub const TIE_RATIO: f32 = 0.9;
pub const MAX_MATCHES: usize = 5;

/// One piece of evidence with what it is worth for the entry.
#[derive(Debug, Clone)]
pub struct Weighed {
    pub found: Found,
    pub weight: f32,
}

/// An entry with its confidence, its score and the evidence behind them.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub entry: &'static Entry,
    pub confidence: Confidence,
    /// Evidence score plus related-text support: the order within a confidence.
    pub score: f32,
    pub evidence: Vec<Weighed>,
}

/// The weight of one piece of evidence, before caps and cross-entry adjustments.
pub fn weight(signal: &Signal) -> f32 {
    match *signal {
        Signal::Code {
            placement,
            numeric,
            holders,
            generic,
        } => {
            let base = match (placement, numeric, generic) {
                // A wrapper's number (`2200`) is the service's, not the entry's, however few
                // entries list it.
                (Placement::Position, true, false) if holders == 1 => CODE_NUMERIC_OWN_IN_POSITION,
                (Placement::Position, true, _) => CODE_NUMERIC_IN_POSITION,
                (_, true, _) => CODE_NUMERIC_IN_TEXT,
                (Placement::Position, false, true) => CODE_GENERIC_IN_POSITION,
                (_, false, true) => CODE_GENERIC_IN_TEXT,
                (Placement::Position, false, false) => CODE_IN_POSITION,
                (_, false, false) => CODE_IN_TEXT,
            };
            shared(base, holders)
        }
        Signal::Message {
            generic, holders, ..
        } => {
            let whole = if generic {
                MESSAGE_GENERIC
            } else {
                MESSAGE_WHOLE
            };
            shared(whole * effective_share(signal), holders)
        }
        Signal::Family { placement, .. } => match placement {
            Placement::Position => FAMILY_IN_POSITION,
            _ => FAMILY_IN_TEXT,
        },
        Signal::Keyword { holders } => shared(KEYWORD, holders),
        Signal::Connector => CONNECTOR,
        Signal::Context { agrees: true, .. } => CONTEXT_AGREES,
        Signal::Context { aspect, .. } => match aspect {
            Aspect::Side => SIDE_DISAGREES,
            Aspect::Runtime => RUNTIME_DISAGREES,
            Aspect::Connector => CONNECTOR_DISAGREES,
            Aspect::Activity => ACTIVITY_DISAGREES,
            Aspect::Wrapper => 0.0,
        },
        Signal::Symptom => SYMPTOM,
        Signal::Related {
            similarity,
            support,
        } => RELATED_MAX * similarity * support,
    }
}

/// What evidence worth `weight` to one entry is worth to each of the `holders` entries that
/// share it (codes, messages and keywords alike): the more share it, the less it tells.
fn shared(weight: f32, holders: usize) -> f32 {
    weight / (holders.max(1) as f32).sqrt()
}

/// The share of a message that counts: a cut message counts as mostly whole; too little of one
/// counts as nothing.
pub fn effective_share(signal: &Signal) -> f32 {
    match *signal {
        Signal::Message {
            fraction,
            chars,
            truncated,
            lacks_later_parts,
            pieces,
            longest,
            ..
        } => {
            if truncated {
                // A cut message is judged by what was seen, not by how much the cut hid.
                return if chars >= TRUNCATED_MIN_CHARS {
                    fraction.max(TRUNCATED_AS_FRACTION)
                } else if chars >= TRUNCATED_PARTIAL_MIN_CHARS {
                    TRUNCATED_SHORT_SHARE * chars as f32 / TRUNCATED_MIN_CHARS as f32
                } else {
                    0.0
                };
            }
            let fraction = match (lacks_later_parts, pieces) {
                // One phrase before a name, and nothing of what the message says about it.
                (true, 1) => return 0.0,
                (true, _) => fraction * BEFORE_PLACEHOLDER_SHARE,
                (false, _) => fraction,
            };
            if fraction < WHOLE_FRACTION
                && (fraction < PARTIAL_MIN_FRACTION
                    || chars < PARTIAL_MIN_CHARS
                    || longest < PARTIAL_MIN_PIECE)
            {
                return 0.0;
            }
            fraction
        }
        _ => 0.0,
    }
}

/// Whether a piece of evidence, on its own, identifies the entry.
fn is_distinctive(signal: &Signal) -> bool {
    match *signal {
        Signal::Code {
            placement,
            numeric: false,
            holders,
            generic: false,
        } => match placement {
            Placement::Position => holders <= 2,
            Placement::Text | Placement::Split => holders == 1,
        },
        Signal::Message { generic: false, .. } => effective_share(signal) >= WHOLE_FRACTION,
        _ => false,
    }
}

fn is_generic_whole_message(signal: &Signal) -> bool {
    matches!(signal, Signal::Message { generic: true, .. })
        && effective_share(signal) >= WHOLE_FRACTION
}

/// The confidence an entry's evidence earns.
pub fn confidence(evidence: &[Weighed]) -> Option<Confidence> {
    let score = evidence_score(evidence);
    let contradicted = has_contradiction(evidence.iter().map(|w| &w.found));
    let own_context = has_own_context(evidence.iter().map(|w| &w.found));
    let decisive = evidence.iter().any(|w| {
        is_distinctive(&w.found.signal)
            || (own_context && is_generic_whole_message(&w.found.signal))
    });
    let lead = evidence.iter().any(|w| match w.found.signal {
        Signal::Related { similarity, .. } => similarity >= RELATED_MIN_SIMILARITY,
        Signal::Symptom => true,
        _ => false,
    });
    if decisive && !contradicted && score >= HIGH_MIN {
        Some(Confidence::High)
    } else if score >= MEDIUM_MIN {
        Some(Confidence::Medium)
    } else if score >= REPORT_MIN || lead {
        Some(Confidence::Low)
    } else {
        None
    }
}

/// The entry's own context: where the error happened (failing side, runtime kind, or its
/// connector named in an error of the service's own shape), or the entry's wrapper code heading
/// an error chain (the documented pairing of a wrapper code with a common message). A connector
/// named in any text is not enough: a SQL Server message names SQL Server wherever it comes
/// from; nor is a generic code outside an error chain (`{"code": "BadRequest"}` is any ARM
/// error).
fn has_own_context<'a>(found: impl IntoIterator<Item = &'a Found>) -> bool {
    found
        .into_iter()
        .any(|f| matches!(f.signal, Signal::Context { agrees: true, .. }))
}

/// Whether the text says something of where the error happened that disagrees with the entry
/// (another side, runtime kind, connector or activity).
fn has_contradiction<'a>(found: impl IntoIterator<Item = &'a Found>) -> bool {
    found
        .into_iter()
        .any(|f| matches!(f.signal, Signal::Context { agrees: false, .. }))
}

/// The sum of the evidence weights, leads (related text, a complaint) aside.
fn evidence_score(evidence: &[Weighed]) -> f32 {
    evidence
        .iter()
        .filter(|w| !matches!(w.found.signal, Signal::Related { .. } | Signal::Symptom))
        .map(|w| w.weight)
        .sum()
}

/// Ranks the entries of `index` for a cleaned text: located evidence, weighed, with context and
/// related-text suggestions; best first, at most [`MAX_MATCHES`].
pub fn rank(index: &Index, related: &Related, text: &Normalized, facts: &Facts) -> Vec<Ranked> {
    rank_settling(index, related, text, facts, true).0
}

/// [`rank`], which with `settle` stops weighing entries found by words alone once they cannot
/// change the answers (without it, every entry is weighed: what the tests compare it to); with
/// how many entries were left unweighed.
fn rank_settling(
    index: &Index,
    related: &Related,
    text: &Normalized,
    facts: &Facts,
    settle: bool,
) -> (Vec<Ranked>, usize) {
    // Stack frames name code, not the problem: no evidence is read in them (`spark` in
    // `org.apache.spark...`), and a long trace leaves the rest of the text its weight.
    let blanked;
    let text = if facts.stack_frames.is_empty() {
        text
    } else {
        blanked = text.blank(&facts.stack_frames);
        &blanked
    };
    let folded = Folded::new(&text.text);
    let mut located = index.locate(text, &folded, facts);
    add_symptom(index, &mut located, facts);
    let place = Place::read(facts, &located);
    let related = related.similar_words(&text.text, &folded.words);
    let family = located
        .values()
        .flatten()
        .any(|f| matches!(f.signal, Signal::Family { .. }));
    // Entries found by words alone are set apart, to be weighed only if they can matter.
    let mut found_by_words = Vec::new();
    let mut weights = Vec::new();
    let mut weighed: NumberMap<Vec<Weighed>> = NumberMap::default();
    for (entry, mut found) in located {
        let suggestion = related.iter().find(|s| s.entry == entry);
        if suggestion.is_none() && by_words_alone(&found) {
            found_by_words.push((most_by_words(&found, &mut weights), entry, found));
            continue;
        }
        add_context(index.entries(), entry, &mut found, &place);
        found.extend(suggestion.map(related_evidence));
        weighed.insert(entry, weigh(found));
    }
    prefer_inner_messages(&mut weighed);
    prefer_longer_messages(index.entries(), &mut weighed);
    if facts.forms.contains(&"data-flow") {
        prefer_data_flow_readings(index.entries(), &mut weighed);
    }

    let mut ranked: Vec<Ranked> = weighed
        .into_iter()
        .filter(|(_, evidence)| !family || in_family_or_own(evidence))
        .filter_map(|(entry, evidence)| ranked_entry(index.entries(), entry, evidence))
        .collect();
    sort(&mut ranked);
    // With a family's code in the text, words alone make no answer (`in_family_or_own`).
    let unweighed = match family {
        true => found_by_words.len(),
        false => add_found_by_words(index.entries(), found_by_words, &place, &mut ranked, settle),
    };
    // Nothing beyond a lead: the words the text shares with the entries are as good a lead.
    let only_leads = ranked
        .first()
        .is_none_or(|r| r.confidence == Confidence::Low);
    // The code's family already names the leads: words alone would add unrelated articles.
    if !family && (ranked.len() < SUGGESTIONS_UP_TO || only_leads) {
        let data_flow = facts.forms.contains(&"data-flow");
        add_related(
            index.entries(),
            &related,
            &mut ranked,
            only_leads,
            data_flow,
        );
        sort(&mut ranked);
    }
    ranked.truncate(MAX_MATCHES);
    (ranked, unweighed)
}

/// Whether an entry was found by words alone (keywords, connector names, and messages too
/// little of which was found to count). Such an entry is weighed on its own: no other entry's
/// evidence changes its words, and its words change no other entry's (the cross-entry
/// preferences read messages that count). A large knowledge base shares its words among many
/// entries, so these are most of the entries found.
fn by_words_alone(found: &[Found]) -> bool {
    found.iter().all(|f| match f.signal {
        Signal::Keyword { .. } | Signal::Connector => true,
        Signal::Message { .. } => effective_share(&f.signal) == 0.0,
        _ => false,
    })
}

/// The most an entry found by words alone can score: its words' weights summed as [`weigh`]
/// orders them, largest first. Whatever `weigh` leaves out of that sum (words over the cap,
/// a connector's name counted once, context, which only takes away from such an entry), the
/// score it sums in the same order is no larger, as rounding a sum never lowers it for a
/// larger term.
/// `weights` is the caller's buffer, reused from entry to entry.
fn most_by_words(found: &[Found], weights: &mut Vec<f32>) -> f32 {
    weights.clear();
    for f in found {
        // An entry's few words, each put in its place as it comes.
        let weight = weight(&f.signal);
        let at = weights.partition_point(|&w| w.total_cmp(&weight).is_ge());
        weights.insert(at, weight);
    }
    weights.iter().sum()
}

/// Weighs and ranks the entries found by words alone (see [`by_words_alone`]; with the most
/// each can score) among `ranked` (sorted), as long as one could still be among the answers
/// shown: once five answers beat the most an entry can score, and the first is more than a
/// lead (so no related-text suggestion is added, which would count the ranked entries), the
/// entry cannot change them. The most promising are weighed first, so that the answers are
/// settled soonest. Returns how many were left unweighed.
fn add_found_by_words(
    entries: &'static Entries,
    mut found_by_words: Vec<(f32, usize, Vec<Found>)>,
    place: &Place,
    ranked: &mut Vec<Ranked>,
    settle: bool,
) -> usize {
    let all = found_by_words.len();
    // The answers the other evidence gives usually settle most of them already: those need
    // no sorting.
    found_by_words.retain(|&(most, entry, _)| !(settle && settled(entries, ranked, most, entry)));
    crate::sort::by(&mut found_by_words, |a, b| {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
    });
    let mut weighed = 0;
    for (most, entry, mut found) in found_by_words {
        if settle && settled(entries, ranked, most, entry) {
            continue;
        }
        weighed += 1;
        add_context(entries, entry, &mut found, place);
        if let Some(new) = ranked_entry(entries, entry, weigh(found)) {
            let at = ranked.partition_point(|r| order(r, &new) == std::cmp::Ordering::Less);
            ranked.insert(at, new);
        }
    }
    all - weighed
}

/// Whether the answers shown are settled for an entry found by words alone that scores at
/// most `most`: the first is more than a lead, and the last ranks before the entry even at its
/// best.
fn settled(entries: &'static Entries, ranked: &[Ranked], most: f32, entry: usize) -> bool {
    // Without a distinctive code or message an entry is never `high`.
    let best_confidence = if most >= MEDIUM_MIN {
        Confidence::Medium
    } else {
        Confidence::Low
    };
    let before_it = |shown: &Ranked| {
        shown
            .confidence
            .cmp(&best_confidence)
            .then_with(|| shown.score.total_cmp(&most))
            .then_with(|| entries[entry].id.cmp(&shown.entry.id))
            == std::cmp::Ordering::Greater
    };
    ranked
        .first()
        .is_some_and(|r| r.confidence > Confidence::Low)
        && ranked.get(MAX_MATCHES - 1).is_some_and(before_it)
}

/// The entries that answer the complaint the text makes, if any, as leads. An error code says
/// what failed: a run that failed after hours is explained by its error, not by its length.
fn add_symptom(index: &Index, located: &mut Located, facts: &Facts) {
    let Some(symptom) = facts.symptom.filter(|_| facts.error_codes.is_empty()) else {
        return;
    };
    for &entry in index.symptoms.get(symptom).into_iter().flatten() {
        located.entry(entry).or_default().push(Found {
            signal: Signal::Symptom,
            value: Cow::Borrowed(symptom),
            range: None,
        });
    }
}

/// With an unknown code of a known family in the text, only the family's entries and entries
/// with evidence of their own (a code, a message) are answers.
fn in_family_or_own(evidence: &[Weighed]) -> bool {
    evidence.iter().any(|w| match w.found.signal {
        Signal::Family { .. } | Signal::Code { .. } => true,
        Signal::Message { .. } => w.weight > 0.0,
        _ => false,
    })
}

fn related_evidence(suggestion: &Suggestion) -> Found {
    Found {
        signal: Signal::Related {
            similarity: suggestion.similarity,
            support: suggestion.support,
        },
        value: Cow::Owned(suggestion.shared_words.join(", ")),
        range: None,
    }
}

fn ranked_entry(entries: &'static Entries, entry: usize, evidence: Vec<Weighed>) -> Option<Ranked> {
    let confidence = confidence(&evidence)?;
    Some(Ranked {
        entry: &entries[entry],
        confidence,
        score: evidence.iter().map(|w| w.weight).sum(),
        evidence,
    })
}

fn sort(ranked: &mut [Ranked]) {
    crate::sort::by(ranked, order);
}

/// The answers' order: most confident first, then highest score, then by id.
fn order(a: &Ranked, b: &Ranked) -> std::cmp::Ordering {
    b.confidence
        .cmp(&a.confidence)
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.entry.id.cmp(&b.entry.id))
}

/// Entries the text's words point to, as `low` suggestions, when the evidence offers few.
fn add_related(
    entries: &'static Entries,
    related: &[Suggestion],
    ranked: &mut Vec<Ranked>,
    only_leads: bool,
    data_flow: bool,
) {
    let room = if only_leads {
        MAX_MATCHES * 2
    } else {
        SUGGESTIONS_UP_TO
    };
    for suggestion in related {
        if suggestion.similarity < RELATED_MIN_SIMILARITY {
            break;
        }
        let entry = &entries[suggestion.entry];
        // A data flow's error is explained by the data flow articles.
        if ranked.iter().any(|r| r.entry.id == entry.id) || (data_flow && !of_data_flows(entry)) {
            continue;
        }
        let found = related_evidence(suggestion);
        let weight = weight(&found.signal);
        ranked.push(Ranked {
            entry,
            confidence: Confidence::Low,
            score: weight,
            evidence: vec![Weighed { weight, found }],
        });
        if ranked.len() >= room {
            break;
        }
    }
}

/// Whether another answer fits about as well as the best: same confidence, nearly the same
/// score.
pub fn ties(best: Confidence, best_score: f32, other: Confidence, other_score: f32) -> bool {
    best == other && other_score >= best_score * TIE_RATIO
}

/// Weighs an entry's evidence, strongest first, with the caps on messages and keywords.
fn weigh(found: Vec<Found>) -> Vec<Weighed> {
    // Each weight once; strongest first, ties in text order, so the answer is the same on
    // every run.
    let mut found: Vec<(f32, Found)> = found.into_iter().map(|f| (weight(&f.signal), f)).collect();
    crate::sort::by(&mut found, |(wa, a), (wb, b)| {
        wb.total_cmp(wa)
            .then_with(|| a.range.cmp(&b.range))
            .then_with(|| a.value.cmp(&b.value))
    });
    let message_ranges: Vec<(usize, usize)> = found
        .iter()
        .filter(|(_, f)| {
            matches!(f.signal, Signal::Message { .. }) && effective_share(&f.signal) > 0.0
        })
        .filter_map(|(_, f)| f.range)
        .collect();
    let inside_a_message = |range: Option<(usize, usize)>| {
        range.is_some_and(|(s, e)| message_ranges.iter().any(|&(ms, me)| ms <= s && e <= me))
    };
    let connector_ranges: Vec<(usize, usize)> = found
        .iter()
        .filter(|(_, f)| f.signal == Signal::Connector)
        .filter_map(|(_, f)| f.range)
        .collect();
    let inside_a_connector = |range: Option<(usize, usize)>| {
        range.is_some_and(|(s, e)| connector_ranges.iter().any(|&(cs, ce)| cs <= s && e <= ce))
    };
    let in_context = has_own_context(found.iter().map(|(_, f)| f));
    let contradicted = has_contradiction(found.iter().map(|(_, f)| f));
    // Agreeing context supports evidence (a complaint the entry answers included: a slow copy
    // on the runtime the entry is about); on its own it says nothing about the entry.
    let has_own_evidence = found.iter().any(|(_, f)| {
        matches!(f.signal, Signal::Code { .. } | Signal::Symptom)
            || (matches!(f.signal, Signal::Message { .. }) && effective_share(&f.signal) > 0.0)
    });
    let mut messages = 0;
    let mut counted_messages: Vec<(usize, usize)> = Vec::new();
    let mut keywords = 0.0;
    let mut connector = false;
    let mut out = Vec::with_capacity(found.len());
    for (mut weight, f) in found {
        match f.signal {
            Signal::Message { generic, .. } => {
                // A common message where the entry's own context says this is the place for
                // it reads as the entry's message.
                if generic && in_context {
                    weight *= MESSAGE_GENERIC_IN_CONTEXT / MESSAGE_GENERIC;
                }
                // Two messages of an entry read in the same words count once.
                let overlaps = f.range.is_some_and(|(s, e)| {
                    counted_messages.iter().any(|&(cs, ce)| s < ce && cs < e)
                });
                if weight <= 0.0 || messages == MESSAGES_MAX || overlaps {
                    continue;
                }
                counted_messages.extend(f.range);
                messages += 1;
                if messages > 1 {
                    weight = weight.min(MESSAGE_EXTRA);
                }
            }
            Signal::Keyword { .. } => {
                // The words of a message or of the entry's connector already found say
                // nothing more (`SFTP` as a keyword and as the connector is one word).
                if keywords >= KEYWORDS_MAX
                    || inside_a_message(f.range)
                    || inside_a_connector(f.range)
                {
                    continue;
                }
                keywords += weight;
            }
            Signal::Connector => {
                if connector {
                    continue;
                }
                connector = true;
            }
            Signal::Context { agrees: true, .. } if !has_own_evidence => continue,
            // The entry answers the complaint for another place than the text's.
            Signal::Symptom if contradicted => continue,
            _ => {}
        }
        out.push(Weighed { found: f, weight });
    }
    out
}

/// What the text says of where its error happened, read once for every entry's context.
struct Place<'f> {
    facts: &'f Facts,
    service_shaped: bool,
    in_error_chain: bool,
    data_flow: bool,
    /// Some entry's connector is named in the text.
    names_a_connector: bool,
}

impl<'f> Place<'f> {
    fn read(facts: &'f Facts, located: &Located) -> Place<'f> {
        Place {
            facts,
            service_shaped: facts.forms.iter().any(|form| {
                matches!(
                    *form,
                    "activity-json" | "monitoring-pane" | "error-chain" | "shir-log"
                )
            }) || facts.side.is_some(),
            in_error_chain: facts.forms.contains(&"error-chain"),
            data_flow: facts.forms.contains(&"data-flow"),
            names_a_connector: located
                .values()
                .flatten()
                .any(|f| f.signal == Signal::Connector),
        }
    }
}

/// Context the text gives (failing side, runtime kind, connector) against what an entry with
/// evidence expects.
fn add_context(
    entries: &'static Entries,
    entry_index: usize,
    found: &mut Vec<Found>,
    place: &Place,
) {
    let Place {
        facts,
        service_shaped,
        in_error_chain,
        data_flow,
        names_a_connector: text_names_a_connector,
    } = *place;
    let context = &entries[entry_index].context;
    let side = facts
        .side
        .zip(context.side.as_deref())
        .map(|(side, wanted)| {
            let agrees = matches!(
                (side, wanted),
                (Side::Source, "source") | (Side::Sink, "sink")
            );
            (Aspect::Side, Cow::Borrowed(wanted), agrees)
        });
    let inside_own_message = |at: usize| {
        found.iter().any(|f| {
            matches!(f.signal, Signal::Message { .. })
                && f.range.is_some_and(|(s, e)| (s..e).contains(&at))
        })
    };
    let runtime = facts
        .ir_kind
        .filter(|_| !facts.ir_kind_at.is_some_and(inside_own_message))
        .zip(context.ir.as_deref())
        .map(|(kind, wanted)| (Aspect::Runtime, Cow::Borrowed(wanted), kind == wanted));
    let own_connector = found
        .iter()
        .find(|f| f.signal == Signal::Connector)
        .map(|f| f.value.clone());
    let connector = match own_connector {
        Some(name) if service_shaped => Some((Aspect::Connector, name, true)),
        Some(_) => None,
        None => (text_names_a_connector && !context.connectors.is_empty()).then(|| {
            (
                Aspect::Connector,
                Cow::Borrowed(context.connectors[0].as_str()),
                false,
            )
        }),
    };
    let wrapper = found
        .iter()
        .find(|f| {
            in_error_chain
                && matches!(
                    f.signal,
                    Signal::Code {
                        placement: Placement::Position,
                        numeric: false,
                        generic: true,
                        ..
                    }
                )
        })
        .map(|f| (Aspect::Wrapper, f.value.clone(), true));
    let entry = &entries[entry_index];
    // A data flow's error is explained by the data flow articles, a copy's by the others.
    let other_activity = if data_flow {
        !of_data_flows(entry)
    } else {
        facts.activity_kind == Some("copy") && of_data_flows(entry)
    };
    let activity =
        other_activity.then_some((Aspect::Activity, Cow::Borrowed(entry.guide.as_str()), false));
    for (aspect, value, agrees) in [side, runtime, connector, wrapper, activity]
        .into_iter()
        .flatten()
    {
        found.push(Found {
            signal: Signal::Context { aspect, agrees },
            value,
            range: None,
        });
    }
}

/// An entry of the data flow articles, or holding a data flow's `DF-` code.
fn of_data_flows(entry: &Entry) -> bool {
    entry.guide.starts_with("data-flow")
        || entry
            .codes
            .iter()
            .any(|c| c.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("DF-")))
}

/// When one entry's whole message contains another entry's whole message (`Error calling the
/// endpoint '*'` inside the longer documented text about localhost URLs), the longer one is
/// the more specific reading: the shorter gives way. A generic long message (a .NET text
/// with more words) is no more specific about the problem. An entry that holds the longer
/// message too is not less specific: its shorter reading is worth what the shared one is.
fn prefer_longer_messages(
    entries: &impl std::ops::Index<usize, Output = Entry>,
    weighed: &mut NumberMap<Vec<Weighed>>,
) {
    // (entry, range, message, weight) of each message found entirely.
    type Whole = (usize, (usize, usize), Cow<'static, str>, f32);
    let whole: Vec<Whole> = weighed
        .iter()
        .flat_map(|(&entry, list)| {
            list.iter()
                .filter(|w| {
                    matches!(w.found.signal, Signal::Message { generic: false, .. })
                        && effective_share(&w.found.signal) >= FULLY_FOUND
                })
                .filter_map(move |w| Some((entry, w.found.range?, w.found.value.clone(), w.weight)))
        })
        .collect();
    for (&entry, list) in weighed.iter_mut() {
        for w in list.iter_mut() {
            let Some((s, e)) = w.found.range else {
                continue;
            };
            if !matches!(w.found.signal, Signal::Message { .. }) {
                continue;
            }
            // Every longer message around this one is looked at, so that the map's order
            // decides nothing.
            let mut contained = false;
            let mut shared_weight: Option<f32> = None;
            for (other, (os, oe), longer, longer_weight) in &whole {
                if *other == entry || !(*os <= s && e <= *oe && (oe - os) * 5 > (e - s) * 6) {
                    continue;
                }
                contained = true;
                // The entry holds the longer message too (a shared message and a shorter
                // reading of it): it is worth what the shared one is worth.
                if entries[entry]
                    .messages
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(longer))
                {
                    shared_weight = Some(shared_weight.map_or(*longer_weight, |w| {
                        if *longer_weight > w {
                            *longer_weight
                        } else {
                            w
                        }
                    }));
                }
            }
            if !contained {
                continue;
            }
            w.weight = match shared_weight {
                Some(shared) if shared < w.weight => shared,
                Some(_) => w.weight,
                None => w.weight / 2.0,
            };
        }
    }
}

/// In a data flow's error, when a data flow entry reads the same words as a message (even in
/// part: the data flow articles often quote a longer form of it), that reading is the one
/// whose resolution applies: the other activity's entry's message there counts half.
fn prefer_data_flow_readings(
    entries: &impl std::ops::Index<usize, Output = Entry>,
    weighed: &mut NumberMap<Vec<Weighed>>,
) {
    let data_flow_ranges: Vec<(usize, usize)> = weighed
        .iter()
        .filter(|(&entry, _)| of_data_flows(&entries[entry]))
        .flat_map(|(_, list)| list.iter())
        .filter(|w| matches!(w.found.signal, Signal::Message { .. }) && w.weight > 0.0)
        .filter_map(|w| w.found.range)
        .collect();
    if data_flow_ranges.is_empty() {
        return;
    }
    for (&entry, list) in weighed.iter_mut() {
        if of_data_flows(&entries[entry]) {
            continue;
        }
        for w in list.iter_mut() {
            let overlaps = w
                .found
                .range
                .is_some_and(|(s, e)| data_flow_ranges.iter().any(|&(ds, de)| s < de && ds < e));
            if matches!(w.found.signal, Signal::Message { .. }) && overlaps {
                w.weight /= 2.0;
            }
        }
    }
}

/// In an error chain the outer message is a wrapper (`A database operation failed`) and the
/// inner one says what actually went wrong. When entries match whole messages at different
/// depths, an outer-level entry gives way (its messages count half) unless its own code is
/// distinctive and the inner entry shares nothing with it (no common code or connector): then
/// the inner message is a different problem's wording met in passing. Whole messages gain a
/// little per level of nesting.
fn prefer_inner_messages(weighed: &mut NumberMap<Vec<Weighed>>) {
    let whole_depth = |list: &[Weighed]| {
        list.iter()
            .filter_map(|w| match w.found.signal {
                Signal::Message { depth, .. }
                    if effective_share(&w.found.signal) >= WHOLE_FRACTION =>
                {
                    Some(depth)
                }
                _ => None,
            })
            .max()
    };
    let depths: NumberMap<usize> = weighed
        .iter()
        .filter_map(|(&entry, list)| Some((entry, whole_depth(list)?)))
        .collect();
    let Some(&deepest) = depths.values().max() else {
        return;
    };
    if deepest == 0 {
        return;
    }
    let shared_values = |list: &[Weighed]| -> Vec<String> {
        list.iter()
            .filter(|w| matches!(w.found.signal, Signal::Code { .. } | Signal::Connector))
            .map(|w| w.found.value.to_ascii_lowercase())
            .collect()
    };
    let inner_values: Vec<String> = depths
        .iter()
        .filter(|&(_, &d)| d == deepest)
        .flat_map(|(entry, _)| shared_values(&weighed[entry]))
        .collect();
    for (entry, &depth) in &depths {
        let list = weighed.get_mut(entry).expect("depths come from weighed");
        let own_code = list.iter().any(|w| {
            matches!(
                w.found.signal,
                Signal::Code {
                    placement: Placement::Position,
                    ..
                }
            ) && is_distinctive(&w.found.signal)
        });
        let related = shared_values(list).iter().any(|v| inner_values.contains(v));
        let gives_way = depth < deepest && (!own_code || related);
        for w in list.iter_mut() {
            let message = matches!(w.found.signal, Signal::Message { .. });
            // An outer entry's words (`memory optimized` in a `Caused by:` below it) are the
            // inner story's too: they give way with its messages.
            if gives_way && (message || matches!(w.found.signal, Signal::Keyword { .. })) {
                w.weight /= 2.0;
            } else if message && effective_share(&w.found.signal) >= WHOLE_FRACTION {
                w.weight += DEPTH_BONUS * depth.saturating_sub(1) as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knowledge;

    fn code(placement: Placement, holders: usize, generic: bool) -> Signal {
        Signal::Code {
            placement,
            numeric: false,
            holders,
            generic,
        }
    }

    fn numeric_code(holders: usize) -> Signal {
        Signal::Code {
            placement: Placement::Position,
            numeric: true,
            holders,
            generic: false,
        }
    }

    /// A wrapper's number (`2200`), flagged generic by the one entry that lists it.
    fn numeric_wrapper() -> Signal {
        Signal::Code {
            placement: Placement::Position,
            numeric: true,
            holders: 1,
            generic: true,
        }
    }

    fn message(fraction: f32, chars: usize, truncated: bool, generic: bool) -> Signal {
        Signal::Message {
            fraction,
            chars,
            depth: 0,
            truncated,
            lacks_later_parts: false,
            pieces: 2,
            longest: chars / 2,
            generic,
            holders: 1,
        }
    }

    fn family(placement: Placement) -> Signal {
        Signal::Family {
            placement,
            members: 6,
        }
    }

    fn context(aspect: Aspect, agrees: bool) -> Signal {
        Signal::Context { aspect, agrees }
    }

    fn evidence(signals: &[Signal]) -> Vec<Weighed> {
        weigh(
            signals
                .iter()
                .map(|&signal| Found {
                    signal,
                    value: format!("{signal:?}").into(),
                    range: None,
                })
                .collect(),
        )
    }

    #[test]
    fn confidence_table() {
        use Confidence::*;
        use Placement::*;
        let cases: &[(&str, &[Signal], Option<Confidence>)] = &[
            (
                "own code in position",
                &[code(Position, 1, false)],
                Some(High),
            ),
            (
                "code shared by two entries",
                &[code(Position, 2, false)],
                Some(Medium),
            ),
            (
                "shared code with a keyword and a connector",
                &[
                    code(Position, 2, false),
                    Signal::Keyword { holders: 1 },
                    Signal::Connector,
                ],
                Some(High),
            ),
            ("wrapper code alone", &[code(Position, 1, true)], Some(Low)),
            (
                "numeric code only one entry documents, in position",
                &[numeric_code(1)],
                Some(Low),
            ),
            (
                "numeric code of one entry with a keyword",
                &[numeric_code(1), Signal::Keyword { holders: 1 }],
                Some(Medium),
            ),
            ("numeric code of many entries", &[numeric_code(12)], None),
            (
                "numeric wrapper code with a keyword",
                &[numeric_wrapper(), Signal::Keyword { holders: 1 }],
                Some(Low),
            ),
            (
                "shared code with keywords many entries list, and a connector",
                &[
                    code(Position, 2, false),
                    Signal::Keyword { holders: 40 },
                    Signal::Keyword { holders: 25 },
                    Signal::Connector,
                ],
                Some(Medium),
            ),
            (
                "wrapper code with keywords",
                &[
                    code(Position, 1, true),
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                ],
                Some(Medium),
            ),
            (
                "own code named in prose",
                &[
                    code(Text, 1, false),
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                ],
                Some(High),
            ),
            (
                "own code split by a line break",
                &[
                    code(Split, 1, false),
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                ],
                Some(High),
            ),
            (
                "whole distinctive message",
                &[message(1.0, 60, false, false)],
                Some(High),
            ),
            (
                "message cut at the end of the text",
                &[message(0.5, 80, true, false)],
                Some(High),
            ),
            (
                "half a message",
                &[message(0.5, 80, false, false)],
                Some(Medium),
            ),
            (
                "a short scrap of a message",
                &[message(0.3, 15, false, false)],
                None,
            ),
            (
                "generic message alone",
                &[message(1.0, 40, false, true)],
                Some(Low),
            ),
            (
                "generic message with the entry's connector and side",
                &[
                    message(1.0, 40, false, true),
                    Signal::Connector,
                    context(Aspect::Side, true),
                    Signal::Keyword { holders: 1 },
                ],
                Some(High),
            ),
            (
                "distinctive message, runtime contradicts",
                &[
                    message(1.0, 60, false, false),
                    context(Aspect::Runtime, false),
                ],
                Some(Medium),
            ),
            (
                "own code, another connector named",
                &[
                    code(Position, 1, false),
                    Signal::Keyword { holders: 1 },
                    context(Aspect::Connector, false),
                ],
                Some(Medium),
            ),
            (
                "keywords alone",
                &[
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                ],
                Some(Low),
            ),
            (
                "related words alone",
                &[Signal::Related {
                    similarity: 1.0,
                    support: 1.0,
                }],
                Some(Low),
            ),
            (
                "a keyword and related words few words support: still a lead",
                &[
                    Signal::Keyword { holders: 1 },
                    Signal::Related {
                        similarity: 1.0,
                        support: 0.4,
                    },
                ],
                Some(Low),
            ),
            (
                "a complaint the entry answers, on its runtime, with a keyword: a lead",
                &[
                    Signal::Symptom,
                    context(Aspect::Runtime, true),
                    Signal::Keyword { holders: 1 },
                ],
                Some(Low),
            ),
            (
                "faintly related words",
                &[Signal::Related {
                    similarity: 0.2,
                    support: 1.0,
                }],
                None,
            ),
            (
                "whole message of another activity's entry in a data flow error",
                &[
                    message(1.0, 60, false, false),
                    context(Aspect::Activity, false),
                ],
                Some(Medium),
            ),
            (
                "unknown code of a known family",
                &[family(Position)],
                Some(Low),
            ),
            (
                "unknown family code named in prose",
                &[family(Text)],
                Some(Low),
            ),
            (
                "family code with the entry's words",
                &[
                    family(Position),
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                ],
                Some(Medium),
            ),
            (
                "family code with every supporting signal",
                &[
                    family(Position),
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Keyword { holders: 1 },
                    Signal::Connector,
                    context(Aspect::Side, true),
                    Signal::Related {
                        similarity: 1.0,
                        support: 1.0,
                    },
                ],
                Some(Medium),
            ),
            (
                "family code with the entry's whole message",
                &[family(Position), message(1.0, 60, false, false)],
                Some(High),
            ),
            (
                "field labels a JSON output prints (`status code`, `error message`)",
                &[Signal::Message {
                    fraction: 0.45,
                    chars: 22,
                    depth: 0,
                    truncated: false,
                    lacks_later_parts: false,
                    pieces: 2,
                    longest: 12,
                    generic: false,
                    holders: 1,
                }],
                None,
            ),
        ];
        for (name, signals, expected) in cases {
            assert_eq!(confidence(&evidence(signals)), *expected, "{name}");
        }
    }

    /// Data flow codes of a family the knowledge base knows, in the shapes they come in.
    #[test]
    fn family_codes_table() {
        let family_of = |id: &str| {
            Index::shared()
                .entries()
                .iter()
                .find(|e| e.id == id)
                .is_some_and(|e| e.codes.iter().any(|c| c.starts_with("DF-Executor-")))
        };
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "unknown code: only the family, never high",
                r#"{"StatusCode":"DF-Executor-UnknownThing","Message":"Job failed due to reason: at Sink 'sink1': something odd happened","Details":""}"#,
                None,
            ),
            (
                "unknown code in prose",
                "the data flow now fails with DF-Executor-BrandNewProblem since Monday, no details",
                None,
            ),
            (
                "an exact code wins over its family",
                r#"{"StatusCode":"DF-Executor-BroadcastTimeout","Message":"Job failed due to reason: DF-Executor-UserError at Join 'j1'","Details":""}"#,
                Some("dataflow-broadcast-join-timeout"),
            ),
            (
                "a wrapper of the family never decides alone: the message does",
                r#"{"StatusCode":"DF-Executor-UserError","Message":"Job failed due to reason: at Source 'src': Path /raw/in does not resolve to any file(s). Please make sure the file/folder exists and is not hidden.","Details":""}"#,
                Some("dataflow-path-does-not-resolve"),
            ),
        ];
        for (name, text, expected) in cases {
            let cleaned = Normalized::new(text);
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            let ranked = rank(Index::shared(), Related::shared(), &cleaned, &facts);
            match expected {
                Some(id) => {
                    assert_eq!(ranked[0].entry.id, *id, "{name}");
                    assert_eq!(ranked[0].confidence, Confidence::High, "{name}");
                }
                None => {
                    assert!(!ranked.is_empty(), "{name}: the family is offered");
                    for r in &ranked {
                        assert!(
                            family_of(&r.entry.id),
                            "{name}: {} is unrelated",
                            r.entry.id
                        );
                        assert!(r.confidence < Confidence::High, "{name}: {}", r.entry.id);
                    }
                }
            }
        }
    }

    #[test]
    fn stack_frames_and_caused_by_chains() {
        let frame =
            "\tat org.apache.spark.sql.execution.BroadcastExchangeExec.doExecute(Spark.scala:12)\n";
        let trace = |outer: &str, inner: &str| {
            format!(
                "Job failed due to reason: java.lang.RuntimeException: {outer}\n{}Caused by: java.lang.RuntimeException: {inner}\n{}\t... 12 more",
                frame.repeat(500),
                frame.repeat(500)
            )
        };
        let oom = "Cluster ran into out of memory issue during execution, please retry using an integration runtime with bigger core count and/or memory optimized compute type";
        let rpc = "Job aborted due to stage failure. Remote RPC client disassociated. Likely due to containers exceeding thresholds, or network issues.";
        // (outer message, inner message, expected first)
        let cases = [
            ("wrapped", oom, "dataflow-cluster-out-of-memory"),
            (rpc, oom, "dataflow-cluster-out-of-memory"),
            ("wrapped", rpc, "dataflow-remote-rpc-client-disassociated"),
        ];
        for (outer, inner, first) in cases {
            let cleaned = Normalized::new(&trace(outer, inner));
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            let ranked = rank(Index::shared(), Related::shared(), &cleaned, &facts);
            assert_eq!(ranked[0].entry.id, first, "{outer} / {inner}");
            assert!(!ties(
                ranked[0].confidence,
                ranked[0].score,
                ranked[1].confidence,
                ranked[1].score
            ));
            // `spark` in `org.apache.spark...` is no keyword of the Spark entries.
            for w in ranked.iter().flat_map(|r| &r.evidence) {
                if let Some((start, _)) = w.found.range {
                    let inside = facts
                        .stack_frames
                        .iter()
                        .any(|&(s, e)| (s..e).contains(&start));
                    assert!(!inside, "{outer} / {inner}: {:?}", w.found);
                }
            }
        }
    }

    /// A complaint of slowness puts the copy performance sections among the first answers, the
    /// one for the runtime kind the text names first; they stay leads.
    #[test]
    fn a_slow_copy_is_answered_by_the_performance_sections() {
        let ranks = |text: &str| {
            let cleaned = Normalized::new(text);
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            rank(Index::shared(), Related::shared(), &cleaned, &facts)
        };
        let ids = |ranked: &[Ranked]| -> Vec<&str> {
            ranked.iter().map(|r| r.entry.id.as_str()).collect()
        };
        let (azure, shir) = ("copy-slow-on-azure-ir", "copy-slow-on-self-hosted-ir");
        // No runtime named: both, as one of these.
        let unnamed = ranks("Our daily export of 30 tables to the data lake now takes about 8 hours, last month it finished in one");
        assert!(ids(&unnamed[..3]).contains(&azure), "{:?}", ids(&unnamed));
        assert!(ids(&unnamed[..3]).contains(&shir), "{:?}", ids(&unnamed));
        assert!(unnamed.iter().all(|r| r.confidence == Confidence::Low));
        // A runtime named: its own section first; the other's is contradicted, and what is left
        // of it is its shared words.
        let named = ranks(
            "The copy through our self-hosted integration runtime is really slow since Monday",
        );
        assert_eq!(named[0].entry.id, shir, "{:?}", ids(&named));
        let contradicted = named.iter().find(|r| r.entry.id == azure);
        assert!(contradicted
            .is_none_or(|r| r.evidence.iter().all(|w| w.found.signal != Signal::Symptom)));
        // Another runtime kind altogether: neither copy section.
        let ssis = ranks("SSIS packages run slower on the Azure-SSIS IR than they did on premises");
        assert!(
            !ids(&ssis).contains(&azure) && !ids(&ssis).contains(&shir),
            "{:?}",
            ids(&ssis)
        );
        // An error is explained by its code, however long the run took.
        let error = ranks("ErrorCode=UserErrorSomethingNew after the copy ran for 3 hours: the upload failed at path 'raw/x.csv'.");
        assert!(
            !ids(&error).contains(&azure) && !ids(&error).contains(&shir),
            "{:?}",
            ids(&error)
        );
    }

    /// A copy's error or complaint is not the data flow articles' business: their entries that
    /// share its message or words are contradicted.
    #[test]
    fn a_copy_is_not_explained_by_the_data_flow_articles() {
        for text in [
            "Operation on target Copy_orders failed: Failure happened on 'Source' side. ErrorCode=SqlFailedToConnect,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Cannot connect to SQL Database. Please contact SQL server team for further support. Server: 'contoso.database.windows.net', Database: 'sales', User: 'etl'. Check the linked service configuration is correct, and make sure the SQL Database firewall allows the integration runtime to access.,Source=Microsoft.DataTransfer.ClientLibrary,'",
            "The copy of two tables into the storage account runs for hours and writes nothing",
        ] {
            let cleaned = Normalized::new(text);
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            assert_eq!(facts.activity_kind, Some("copy"), "{text}");
            let ranked = rank(Index::shared(), Related::shared(), &cleaned, &facts);
            for r in ranked.iter().filter(|r| of_data_flows(r.entry)) {
                let contradicted = r.evidence.iter().any(|w| {
                    w.found.signal
                        == Signal::Context {
                            aspect: Aspect::Activity,
                            agrees: false,
                        }
                });
                let words_only = r
                    .evidence
                    .iter()
                    .all(|w| matches!(w.found.signal, Signal::Related { .. }));
                assert!(contradicted || words_only, "{text}: {}", r.entry.id);
                assert!(r.confidence < Confidence::Medium, "{text}: {}", r.entry.id);
            }
        }
    }

    /// Words alone point a data flow's error to the data flow articles only.
    #[test]
    fn data_flow_errors_get_data_flow_suggestions() {
        for text in [
            r#"{"errorCode":"DFExecutorUserError","message":"Job failed due to reason: at Window 'rank': org.apache.spark.sql.AnalysisException: cannot resolve window frame","failureType":"UserError"}"#,
            "Job failed due to reason: Operation failed: 'This request is not authorized to perform this operation using this permission.', 403, PUT",
        ] {
            let cleaned = Normalized::new(text);
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            let ranked = rank(Index::shared(), Related::shared(), &cleaned, &facts);
            assert!(!ranked.is_empty(), "{text}");
            for r in ranked.iter().filter(|r| {
                r.evidence
                    .iter()
                    .all(|w| matches!(w.found.signal, Signal::Related { .. }))
            }) {
                assert!(of_data_flows(r.entry), "{text}: {}", r.entry.id);
            }
        }
    }

    /// A message inside another entry's longer one gives way, unless the entry holds the longer
    /// one too: then it is worth what the shared message is worth, for both alike.
    #[test]
    fn shorter_readings_of_messages() {
        let entry = |id: &str, messages: &[&str]| -> Entry {
            serde_json::from_value(serde_json::json!({
                "id": id, "guide": "g", "title": id, "products": ["adf"], "source": "s",
                "messages": messages, "symptoms": [], "cause": [], "resolution": [],
            }))
            .unwrap()
        };
        let long = "Only one of the auth methods can be specified.";
        let short = "Only one of the auth methods";
        let found = |value: &str, range: (usize, usize), weight: f32| Weighed {
            found: Found {
                signal: message(1.0, range.1 - range.0, false, false),
                value: value.to_string().into(),
                range: Some(range),
            },
            weight,
        };
        // (messages of the second entry, weight its shorter message keeps)
        for (own, kept) in [(&[long, short][..], 9.9), (&[short][..], 7.0)] {
            let entries = [entry("a", &[long]), entry("b", own)];
            let mut weighed = NumberMap::from_iter([
                (0, vec![found(long, (0, 46), 9.9)]),
                (1, vec![found(short, (0, 28), 14.0)]),
            ]);
            prefer_longer_messages(&entries, &mut weighed);
            assert_eq!(weighed[&1][0].weight, kept, "{own:?}");
            assert_eq!(weighed[&0][0].weight, 9.9);
        }
        // Two other entries' longer messages hold the short one, and the entry holds one of
        // them: it keeps that one's worth whichever entry comes first.
        let longer = "Only one of the auth methods can be specified for a linked service.";
        for (holder, other) in [(0, 1), (1, 0)] {
            let mut entries = [entry("a", &[long]), entry("b", &[long]), entry("c", &[])];
            entries[other] = entry("other", &[longer]);
            entries[2] = entry("c", &[short, long]);
            let mut weighed = NumberMap::from_iter([
                (holder, vec![found(long, (0, 46), 9.9)]),
                (other, vec![found(longer, (0, 67), 20.0)]),
                (2, vec![found(short, (0, 28), 14.0)]),
            ]);
            prefer_longer_messages(&entries, &mut weighed);
            assert_eq!(weighed[&2][0].weight, 9.9, "holder {holder}");
        }
    }

    /// In a data flow's error, another activity's entry gives way where a data flow entry
    /// reads the same words, and only there.
    #[test]
    fn data_flow_readings_come_first_in_data_flow_errors() {
        let entry = |id: &str, guide: &str| -> Entry {
            serde_json::from_value(serde_json::json!({
                "id": id, "guide": guide, "title": id, "products": ["adf"], "source": "s",
                "symptoms": [], "cause": [], "resolution": [],
            }))
            .unwrap()
        };
        let entries = [
            entry("copy", "connector-troubleshoot-azure-data-lake"),
            entry("flow", "data-flow-troubleshoot-guide"),
            entry("elsewhere", "connector-troubleshoot-azure-data-lake"),
        ];
        let found = |range: (usize, usize), weight: f32| Weighed {
            found: Found {
                signal: message(1.0, range.1 - range.0, false, false),
                value: "m".into(),
                range: Some(range),
            },
            weight,
        };
        let mut weighed = NumberMap::from_iter([
            (0, vec![found((10, 70), 14.0)]),
            (1, vec![found((10, 50), 4.0)]),
            (2, vec![found((80, 120), 14.0)]),
        ]);
        prefer_data_flow_readings(&entries, &mut weighed);
        assert_eq!(weighed[&0][0].weight, 7.0);
        assert_eq!(weighed[&1][0].weight, 4.0);
        assert_eq!(weighed[&2][0].weight, 14.0, "no data flow reading there");
    }

    /// A keyword that is the entry's connector name, where the connector was read, is the same
    /// word: it counts once, as the connector.
    #[test]
    fn a_keyword_read_as_the_connector_counts_once() {
        let at = |signal: Signal, value: &str, range: (usize, usize)| Found {
            signal,
            value: value.to_string().into(),
            range: Some(range),
        };
        let weighed = weigh(vec![
            at(Signal::Connector, "SFTP", (10, 14)),
            at(Signal::Keyword { holders: 1 }, "SFTP", (10, 14)),
            at(Signal::Keyword { holders: 1 }, "host key", (30, 38)),
        ]);
        let values: Vec<&str> = weighed.iter().map(|w| w.found.value.as_ref()).collect();
        assert_eq!(values, ["SFTP", "host key"]);
        assert_eq!(evidence_score(&weighed), CONNECTOR + KEYWORD);
    }

    /// Entries found by words alone are weighed, and related-text candidates read, only until
    /// they cannot change the answers: the answers and suggestions are those of reading every
    /// entry, to the bit, also where many entries share their words (the knowledge twice over,
    /// the copies' ids sorting after the originals', as in a knowledge base grown by similar
    /// sections).
    #[test]
    fn settled_answers_are_those_of_reading_every_entry() {
        let copies = knowledge::entries().iter().map(|entry| Entry {
            id: format!("{}-copy", entry.id),
            codes: entry.codes.iter().map(|c| format!("{c}Copy")).collect(),
            ..entry.clone()
        });
        let twice: &'static [Entry] = Box::leak(
            knowledge::entries()
                .iter()
                .cloned()
                .chain(copies)
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        );
        let twice = (Index::build(twice), Related::build(twice));
        let bases = [(Index::shared(), Related::shared()), (&twice.0, &twice.1)];
        let texts = ["eval", "field", "foreign"]
            .map(|set| std::fs::read_to_string(format!("../tests/data/{set}.jsonl")).unwrap());
        let described = |ranked: &[Ranked]| -> Vec<String> {
            ranked
                .iter()
                .map(|r| {
                    let evidence: Vec<String> = r
                        .evidence
                        .iter()
                        .map(|w| format!("{:?} {}", w.found, w.weight.to_bits()))
                        .collect();
                    format!(
                        "{} {:?} {} {evidence:?}",
                        r.entry.id,
                        r.confidence,
                        r.score.to_bits()
                    )
                })
                .collect()
        };
        let (mut compared, mut unweighed) = (0, 0);
        for line in texts.iter().flat_map(|set| set.lines()) {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let cleaned = Normalized::new(case["text"].as_str().unwrap());
            let facts = crate::facts::extract_cleaned(&cleaned.text);
            for (index, related) in bases {
                let suggested = |leave_out| {
                    let found = related.similar_leaving_out(&cleaned.text, leave_out);
                    format!("{found:?}")
                };
                assert_eq!(suggested(true), suggested(false), "{}", cleaned.text);
                let (settled, skipped) = rank_settling(index, related, &cleaned, &facts, true);
                let (every, none) = rank_settling(index, related, &cleaned, &facts, false);
                assert_eq!(described(&settled), described(&every), "{}", cleaned.text);
                assert!(skipped >= none);
                compared += 1;
                unweighed += skipped - none;
            }
        }
        assert!(compared > 1000);
        // Many entries found by words alone were never weighed.
        assert!(unweighed > 5 * compared, "{unweighed} of {compared}");
    }

    #[test]
    fn caps_keep_supporting_evidence_supporting() {
        let many_keywords = evidence(&[Signal::Keyword { holders: 1 }; 10]);
        assert_eq!(evidence_score(&many_keywords), KEYWORDS_MAX);
        let messages = evidence(&[message(1.0, 60, false, false); 5]);
        assert_eq!(messages.len(), MESSAGES_MAX);
        assert_eq!(
            evidence_score(&messages),
            MESSAGE_WHOLE + MESSAGE_EXTRA * (MESSAGES_MAX - 1) as f32
        );
        assert!(
            weight(&Signal::Related {
                similarity: 1.0,
                support: 1.0
            }) < MEDIUM_MIN
        );
    }
}
