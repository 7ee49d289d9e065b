//! The resolution card's content, built once in Rust so the extension's cards, the popup and
//! the terminal all say the same thing.
//!
//! ```
//! let text = "ErrorCode=InvalidGatewayKey, Client IP address isn't valid private ip";
//! let card = adf_troubleshooter::card::Card::for_text(text).unwrap();
//! assert_eq!(card.confidence, adf_troubleshooter::Confidence::High);
//! assert!(card.markdown().contains(&card.source));
//! assert!(card.steps.len() >= 2);
//! ```

use crate::diagnosis::{explain, Confidence, Diagnosis, Match};
use crate::knowledge::{self, Block, BlockKind, Style};
use crate::secrets;
use serde::Serialize;
use std::borrow::Cow;
use std::fmt::Write;

/// Everything a card shows. Text only: renderers insert it with DOM text APIs.
#[derive(Debug, Clone, Serialize)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub confidence: Confidence,
    /// The confidence in words, including a plain warning for guesses.
    pub confidence_label: &'static str,
    pub ambiguous: bool,
    /// "What we read": labelled facts from the error text, secrets masked.
    pub read: Vec<Fact>,
    pub symptoms: Vec<Paragraph>,
    pub cause: Vec<Paragraph>,
    /// The resolution: numbered steps, with notes and code attached where they appear.
    pub steps: Vec<Paragraph>,
    pub source: String,
    /// The answer is a team rule (the source is then the team's own page).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub team: bool,
    /// When several entries fit about equally well (the best included): the answer is one of
    /// these. Empty otherwise.
    pub one_of: Vec<Alternative>,
    pub alternatives: Vec<Alternative>,
    /// Ranges of the input that were evidence, in UTF-16 units for the browser.
    pub highlights: Vec<Highlight>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// One block of guidance: `text`, `step`, `bullet` or `code`.
#[derive(Debug, Clone, Serialize)]
pub struct Paragraph {
    pub kind: BlockKind,
    pub spans: Vec<Span>,
}

/// A run of text with one style. Renderers put `text` into the page as text, never as markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub style: Style,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alternative {
    pub id: String,
    pub title: String,
    pub source: String,
    pub confidence: Confidence,
}

impl Alternative {
    fn of(m: &Match) -> Alternative {
        Alternative {
            id: m.id.clone(),
            title: m.title.clone(),
            source: m.source.clone(),
            confidence: m.confidence,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Highlight {
    pub signal: &'static str,
    pub start: usize,
    pub end: usize,
}

impl Card {
    /// Diagnoses `text` and builds the card of its best match, if any.
    pub fn for_text(text: &str) -> Option<Card> {
        Card::from_diagnosis(&explain(text), text)
    }

    /// Builds the card of the best match of a diagnosis of `text`.
    pub fn from_diagnosis(diagnosis: &Diagnosis, text: &str) -> Option<Card> {
        Card::from_diagnosis_with(diagnosis, text, &knowledge::entry)
    }

    /// The same, finding entries with `entry` (a knowledge base with team rules).
    pub fn from_diagnosis_with(
        diagnosis: &Diagnosis,
        text: &str,
        entry: &dyn Fn(&str) -> Option<&'static knowledge::Entry>,
    ) -> Option<Card> {
        let best = diagnosis.matches.first()?;
        let entry = entry(&best.id)?;
        let confidence_label = match best.confidence {
            Confidence::High => "High confidence",
            Confidence::Medium => "Medium confidence",
            Confidence::Low => "Low confidence: this is a guess, check it against the error",
        };
        Some(Card {
            id: entry.id.clone(),
            title: entry.title.clone(),
            confidence: best.confidence,
            confidence_label,
            ambiguous: diagnosis.ambiguous,
            read: read_facts(diagnosis),
            symptoms: paragraphs(&entry.symptoms),
            cause: paragraphs(&entry.cause),
            steps: paragraphs(&entry.resolution),
            source: entry.source.clone(),
            team: entry.id.starts_with(crate::team::ID_PREFIX),
            one_of: match diagnosis.tied_with_best() {
                tied @ [_, _, ..] => tied.iter().map(Alternative::of).collect(),
                _ => Vec::new(),
            },
            alternatives: diagnosis.matches[1..].iter().map(Alternative::of).collect(),
            highlights: highlights(diagnosis, text),
        })
    }

    /// The card as plain text, for a ticket or a chat.
    pub fn plain_text(&self) -> String {
        self.render_copy(false)
    }

    /// The card as Markdown, for a ticket or a chat.
    pub fn markdown(&self) -> String {
        self.render_copy(true)
    }

    /// Built when asked for (a copy button), not with every card: most cards are read, not
    /// copied, and the two renditions were about a sixth of an answer's time in the wasm.
    pub fn render_copy(&self, markdown: bool) -> String {
        // Writing into a String cannot fail: the results of `write!` are ignored.
        let (title_mark, strong) = if markdown { ("### ", "**") } else { ("", "") };
        let mut out = String::new();
        let _ = writeln!(out, "{title_mark}{}\n{}", self.title, self.confidence_label);
        if self.team {
            let _ = writeln!(out, "Team rule");
        }
        let heading = |out: &mut String, title: &str| {
            let _ = writeln!(out, "\n{strong}{title}{strong}");
        };
        if !self.one_of.is_empty() {
            heading(&mut out, "One of these fits about equally well");
            for alt in &self.one_of {
                let _ = writeln!(out, "- {} ({})", alt.title, alt.source);
            }
        }
        if !self.read.is_empty() {
            heading(&mut out, "What we read");
            for fact in &self.read {
                let value = if markdown {
                    Cow::Owned(markdown_literal(&fact.value))
                } else {
                    Cow::Borrowed(fact.value.as_str())
                };
                let _ = writeln!(out, "- {}: {value}", fact.label);
            }
        }
        for (title, blocks) in [
            ("What happened", &self.symptoms),
            ("Likely cause", &self.cause),
            ("How to fix it", &self.steps),
        ] {
            heading(&mut out, title);
            let mut number = 0;
            for p in blocks {
                let text = flatten(&p.spans, markdown);
                let _ = match p.kind {
                    BlockKind::Step => {
                        number += 1;
                        writeln!(out, "{number}. {text}")
                    }
                    BlockKind::Bullet => writeln!(out, "- {text}"),
                    BlockKind::Code if markdown => writeln!(out, "```\n{text}\n```"),
                    BlockKind::Code => writeln!(out, "    {}", text.replace('\n', "\n    ")),
                    BlockKind::Text => writeln!(out, "{text}"),
                };
            }
        }
        let _ = writeln!(out, "\nSource: {}", self.source);
        out
    }
}

fn flatten(spans: &[Span], markdown: bool) -> String {
    let mut out = String::new();
    for span in spans {
        let mark = match (span.style, markdown) {
            (Style::Code, true) => "`",
            (Style::Strong, true) => "**",
            (Style::Emphasis, true) => "*",
            _ => "",
        };
        out.push_str(mark);
        out.push_str(&span.text);
        out.push_str(mark);
    }
    out
}

/// Text read from an error, as Markdown that shows it as it is: `[x](https://...)` or `**x**`
/// in an activity name must not become a link or bold text in a ticket. The value follows
/// `- Label: ` on one line, so only inline markup needs escaping; line breaks become spaces.
fn markdown_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
        ) {
            out.push('\\');
        }
        out.push(if ch.is_control() { ' ' } else { ch });
    }
    out
}

fn paragraphs(blocks: &[Block]) -> Vec<Paragraph> {
    blocks
        .iter()
        .map(|block| Paragraph {
            kind: block.kind,
            spans: block
                .runs()
                .into_iter()
                .map(|(style, text)| Span {
                    style,
                    text: text.to_string(),
                })
                .collect(),
        })
        .collect()
}

/// The facts worth showing a user, labelled, in reading order, with any secret they quote
/// masked.
pub fn read_facts(d: &Diagnosis) -> Vec<Fact> {
    let f = &d.facts;
    let mut read = Vec::new();
    let mut add = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let value = secrets::mask(&value);
            read.push(Fact { label, value });
        }
    };
    add("Error code", Some(f.error_codes.join(", ")));
    add("Failure type", f.failure_type.clone());
    add("Activity", f.activity.clone());
    add("Side", f.side.map(|s| format!("{s:?}")));
    add("Integration runtime", f.integration_runtime.clone());
    add("Endpoint", Some(f.endpoints.join(", ")));
    add(
        "HTTP status",
        Some(
            f.http_status
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    );
    read
}

/// Evidence ranges of the best match, converted from characters to UTF-16 units.
fn highlights(d: &Diagnosis, text: &str) -> Vec<Highlight> {
    let Some(best) = d.matches.first() else {
        return Vec::new();
    };
    let mut ranges: Vec<(&'static str, usize, usize)> = best
        .evidence
        .iter()
        .filter_map(|e| Some((e.signal, e.start?, e.end?)))
        .collect();
    crate::sort::by_key(&mut ranges, |r| r.1);
    let mut wanted: Vec<usize> = ranges.iter().flat_map(|r| [r.1, r.2]).collect();
    crate::sort::sort(&mut wanted);
    wanted.dedup();
    // One walk over the text's bytes gives the UTF-16 offset of every wanted character
    // offset: a character is a byte that does not continue one, and those of four bytes are
    // two UTF-16 units. ASCII text needs no walk.
    let mut utf16 = Vec::with_capacity(wanted.len());
    if text.is_ascii() {
        utf16.extend(wanted.iter().map(|&offset| offset.min(text.len())));
    } else {
        let bytes = text.as_bytes();
        let (mut at, mut chars, mut units) = (0, 0, 0);
        for &offset in &wanted {
            while at < bytes.len() && (chars < offset || bytes[at] & 0xC0 == 0x80) {
                let b = bytes[at];
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    units += if b >= 0xF0 { 2 } else { 1 };
                }
                at += 1;
            }
            utf16.push(units);
        }
    }
    let units_at = |offset| wanted.binary_search(&offset).map(|i| utf16[i]).ok();
    ranges
        .into_iter()
        .filter_map(|(signal, s, e)| {
            Some(Highlight {
                signal,
                start: units_at(s)?,
                end: units_at(e)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_in_utf16_units() {
        let text = "😀 ErrorCode=InvalidGatewayKey";
        let card = Card::for_text(text).unwrap();
        let code = card.highlights.iter().find(|h| h.signal == "code").unwrap();
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[code.start..code.end]).unwrap(),
            "InvalidGatewayKey"
        );
    }

    #[test]
    fn copies_number_the_steps_and_cite_the_source() {
        let card = Card::for_text("The Authentication key is invalid or empty.").unwrap();
        assert!(card.plain_text().contains("\n1. "));
        assert!(card.markdown().starts_with("### "));
        assert!(card
            .plain_text()
            .ends_with(&format!("Source: {}\n", card.source)));
        assert!(Card::for_text("hello").is_none());
    }
}
