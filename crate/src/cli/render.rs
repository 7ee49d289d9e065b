//! The terminal rendering of a diagnosis: the card's content, as text a shell shows well.
//!
//! Every piece of text goes through [`visible`], so nothing read from the error reaches the
//! terminal as a control character; colour is added only around it.

use super::safe::visible;
use adf_troubleshooter::card::{read_facts, Fact, Paragraph, Span};
use adf_troubleshooter::knowledge::{BlockKind, Style as Inline};
use adf_troubleshooter::{Confidence, Diagnosis};
use anstyle::{AnsiColor, Effects, Style as Paint};
use std::io::{self, Write};

const BOLD: Paint = Paint::new().effects(Effects::BOLD);
const DIM: Paint = Paint::new().effects(Effects::DIMMED);
const ITALIC: Paint = Paint::new().effects(Effects::ITALIC);
const CODE: Paint = AnsiColor::Cyan.on_default();

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, paint: Paint, text: &str) -> String {
        let text = visible(text);
        if self.on {
            format!("{paint}{text}{paint:#}")
        } else {
            text.into_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint(BOLD, text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint(DIM, text)
    }
    /// Inline styles: code stays in backticks off a terminal.
    fn spans(&self, spans: &[Span]) -> String {
        spans
            .iter()
            .map(|span| match (span.style, self.on) {
                (Inline::Code, true) => self.paint(CODE, &span.text),
                (Inline::Code, false) => format!("`{}`", visible(&span.text)),
                (Inline::Strong, _) => self.bold(&span.text),
                (Inline::Emphasis, _) => self.paint(ITALIC, &span.text),
                (Inline::Plain, _) => visible(&span.text).into_owned(),
            })
            .collect()
    }
}

pub fn write_diagnosis(
    out: &mut impl Write,
    d: &Diagnosis,
    text: &str,
    colour: bool,
) -> io::Result<()> {
    let style = Style { on: colour };
    let Some(card) = super::card_for(d, text) else {
        writeln!(out, "No known match for this error.")?;
        write_facts(out, &read_facts(d), &style)?;
        return writeln!(
            out,
            "Try pasting the whole error (with its error code), or search Microsoft Learn for the code."
        );
    };
    let confidence_colour = match card.confidence {
        Confidence::High => AnsiColor::Green,
        Confidence::Medium => AnsiColor::Yellow,
        Confidence::Low => AnsiColor::Red,
    };
    writeln!(out, "{}", style.bold(&card.title))?;
    writeln!(
        out,
        "{}",
        style.paint(
            confidence_colour.on_default(),
            &card.confidence_label.to_lowercase()
        )
    )?;
    if card.ambiguous {
        writeln!(
            out,
            "Several known problems fit this text about equally; see the alternatives below."
        )?;
    }
    write_facts(out, &card.read, &style)?;
    for (heading, paragraphs) in [
        ("What happened", &card.symptoms),
        ("Likely cause", &card.cause),
        ("How to fix it", &card.steps),
    ] {
        writeln!(out, "\n{}", style.bold(heading))?;
        write_paragraphs(out, paragraphs, &style)?;
    }
    writeln!(
        out,
        "\n{} {}",
        style.bold("Learn more:"),
        visible(&card.source)
    )?;
    if !card.alternatives.is_empty() {
        writeln!(out, "\n{}", style.bold("Also possible"))?;
        for alt in &card.alternatives {
            writeln!(
                out,
                "  - {} ({:?}) {}",
                visible(&alt.title),
                alt.confidence,
                style.dim(&alt.source)
            )?;
        }
    }
    Ok(())
}

fn write_facts(out: &mut impl Write, facts: &[Fact], style: &Style) -> io::Result<()> {
    if facts.is_empty() {
        return Ok(());
    }
    let read: Vec<String> = facts
        .iter()
        .map(|f| format!("{} {}", f.label.to_lowercase(), visible(&f.value)))
        .collect();
    writeln!(
        out,
        "{} {}",
        style.dim("Read from the error:"),
        read.join("; ")
    )
}

fn write_paragraphs(
    out: &mut impl Write,
    paragraphs: &[Paragraph],
    style: &Style,
) -> io::Result<()> {
    let mut step = 0;
    for p in paragraphs {
        match p.kind {
            BlockKind::Step => {
                step += 1;
                writeln!(out, "  {step}. {}", style.spans(&p.spans))?;
            }
            BlockKind::Bullet => writeln!(out, "  - {}", style.spans(&p.spans))?,
            BlockKind::Code => {
                for span in &p.spans {
                    for line in span.text.lines() {
                        writeln!(out, "       {}", style.paint(CODE, line))?;
                    }
                }
            }
            BlockKind::Text => writeln!(out, "  {}", style.spans(&p.spans))?,
        }
    }
    Ok(())
}
