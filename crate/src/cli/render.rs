//! The terminal rendering of a diagnosis: the card's content, as text a shell shows well.

use adf_troubleshooter::card::{read_facts, Card, Fact, Paragraph};
use adf_troubleshooter::knowledge::inline::Span;
use adf_troubleshooter::Diagnosis;
use std::io::{self, Write};

struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    /// Inline styles: code stays in backticks off a terminal.
    fn spans(&self, spans: &[Span]) -> String {
        spans
            .iter()
            .map(|span| match (span.style, self.on) {
                ("code", true) => self.paint("36", &span.text),
                ("code", false) => format!("`{}`", span.text),
                ("strong", _) => self.bold(&span.text),
                ("emphasis", _) => self.paint("3", &span.text),
                _ => span.text.clone(),
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
    let Some(card) = Card::from_diagnosis(d, text) else {
        writeln!(out, "No known match for this error.")?;
        write_facts(out, &read_facts(d), &style)?;
        return writeln!(
            out,
            "Try pasting the whole error (with its error code), or search Microsoft Learn for the code."
        );
    };
    let colour_code = match card.confidence {
        adf_troubleshooter::Confidence::High => "32",
        adf_troubleshooter::Confidence::Medium => "33",
        adf_troubleshooter::Confidence::Low => "31",
    };
    writeln!(out, "{}", style.bold(&card.title))?;
    writeln!(
        out,
        "{}",
        style.paint(colour_code, &card.confidence_label.to_lowercase())
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
    writeln!(out, "\n{} {}", style.bold("Learn more:"), card.source)?;
    if !card.alternatives.is_empty() {
        writeln!(out, "\n{}", style.bold("Also possible"))?;
        for alt in &card.alternatives {
            writeln!(
                out,
                "  - {} ({:?}) {}",
                alt.title,
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
        .map(|f| format!("{} {}", f.label.to_lowercase(), f.value))
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
            "step" => {
                step += 1;
                writeln!(out, "  {step}. {}", style.spans(&p.spans))?;
            }
            "bullet" => writeln!(out, "  - {}", style.spans(&p.spans))?,
            "code" => {
                for span in &p.spans {
                    for line in span.text.lines() {
                        writeln!(out, "       {}", style.paint("36", line))?;
                    }
                }
            }
            _ => writeln!(out, "  {}", style.spans(&p.spans))?,
        }
    }
    Ok(())
}
