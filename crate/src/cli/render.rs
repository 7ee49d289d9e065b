//! The terminal rendering of a diagnosis: what a user reads when pasting an error in a shell.

use adf_troubleshooter::knowledge::{self, inline, Block};
use adf_troubleshooter::{Confidence, Diagnosis};
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
    /// Guidance text with its inline styles: code stays in backticks off a terminal.
    fn rich(&self, text: &str) -> String {
        inline::spans(text)
            .into_iter()
            .map(|span| match (span.style, self.on) {
                ("code", true) => self.paint("36", &span.text),
                ("code", false) => format!("`{}`", span.text),
                ("strong", _) => self.bold(&span.text),
                ("emphasis", _) => self.paint("3", &span.text),
                _ => span.text,
            })
            .collect()
    }
}

pub fn write_diagnosis(out: &mut impl Write, d: &Diagnosis, colour: bool) -> io::Result<()> {
    let style = Style { on: colour };
    let Some(best) = d.matches.first() else {
        writeln!(out, "No known match for this error.")?;
        write_facts(out, d, &style)?;
        return writeln!(
            out,
            "Try pasting the whole error (with its error code), or search Microsoft Learn for the code."
        );
    };
    let entry = knowledge::entry(&best.id).expect("matches come from the knowledge base");
    let (label, colour_code) = match best.confidence {
        Confidence::High => ("high confidence", "32"),
        Confidence::Medium => ("medium confidence", "33"),
        Confidence::Low => ("low confidence: a guess, check it", "31"),
    };
    writeln!(out, "{}", style.bold(&best.title))?;
    writeln!(out, "{}", style.paint(colour_code, label))?;
    if d.ambiguous {
        writeln!(
            out,
            "Several known problems fit this text about equally; see the alternatives below."
        )?;
    }
    write_facts(out, d, &style)?;
    writeln!(out, "\n{}", style.bold("What happened"))?;
    write_blocks(out, &entry.symptoms, &style)?;
    writeln!(out, "\n{}", style.bold("Likely cause"))?;
    write_blocks(out, &entry.cause, &style)?;
    writeln!(out, "\n{}", style.bold("How to fix it"))?;
    write_blocks(out, &entry.resolution, &style)?;
    writeln!(out, "\n{} {}", style.bold("Learn more:"), entry.source)?;
    if d.matches.len() > 1 {
        writeln!(out, "\n{}", style.bold("Also possible"))?;
        for m in &d.matches[1..] {
            writeln!(
                out,
                "  - {} ({:?}) {}",
                m.title,
                m.confidence,
                style.dim(&m.source)
            )?;
        }
    }
    Ok(())
}

fn write_facts(out: &mut impl Write, d: &Diagnosis, style: &Style) -> io::Result<()> {
    let f = &d.facts;
    let mut read = Vec::new();
    if !f.error_codes.is_empty() {
        read.push(format!("error code {}", f.error_codes.join(", ")));
    }
    if let Some(t) = &f.failure_type {
        read.push(format!("failure type {t}"));
    }
    if let Some(a) = &f.activity {
        read.push(format!("activity {a}"));
    }
    if let Some(side) = f.side {
        read.push(format!("{side:?} side").to_lowercase());
    }
    if let Some(ir) = &f.integration_runtime {
        read.push(format!("integration runtime {ir}"));
    }
    if !f.endpoints.is_empty() {
        read.push(format!("endpoint {}", f.endpoints.join(", ")));
    }
    if !f.http_status.is_empty() {
        let codes: Vec<String> = f.http_status.iter().map(u16::to_string).collect();
        read.push(format!("HTTP {}", codes.join(", ")));
    }
    if !read.is_empty() {
        writeln!(
            out,
            "{} {}",
            style.dim("Read from the error:"),
            read.join("; ")
        )?;
    }
    Ok(())
}

fn write_blocks(out: &mut impl Write, blocks: &[Block], style: &Style) -> io::Result<()> {
    let mut step = 0;
    for block in blocks {
        match block {
            Block::Text(t) => writeln!(out, "  {}", style.rich(t))?,
            Block::Step(t) => {
                step += 1;
                writeln!(out, "  {step}. {}", style.rich(t))?;
            }
            Block::Bullet(t) => writeln!(out, "  - {}", style.rich(t))?,
            Block::Code(code) => {
                for line in code.lines() {
                    writeln!(out, "       {}", style.paint("36", line))?;
                }
            }
        }
    }
    Ok(())
}
