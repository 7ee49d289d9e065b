//! The terminal report: summary, tables of problems and templates, top fixes, bad records.

// Every text read from the logs goes through `visible`, so no control character reaches the
// terminal; colour is added only around it.

use super::grouping::{Group, Occurrences, Report};
use super::time;
use crate::cli::safe::visible;
use anstyle::{AnsiColor, Effects, Style};
use std::io::{self, Write};

const BOLD: Style = Style::new().effects(Effects::BOLD);
const DIM: Style = Style::new().effects(Effects::DIMMED);
/// Known problems shown in full, with their fix, below the tables.
const DETAILED: usize = 3;
/// Malformed records listed; the JSON report lists more.
const MALFORMED_SHOWN: usize = 10;

struct Paint {
    on: bool,
}

impl Paint {
    fn with(&self, style: Style, text: &str) -> String {
        let text = visible(text);
        if self.on {
            format!("{style}{text}{style:#}")
        } else {
            text.into_owned()
        }
    }
}

pub fn write(out: &mut impl Write, report: &Report, top: usize, colour: bool) -> io::Result<()> {
    let paint = Paint { on: colour };
    let t = &report.totals;
    writeln!(
        out,
        "{}",
        paint.with(
            BOLD,
            &format!(
                "Triage: {} failed activity runs in {} {} ({} records, {} other runs skipped, {} malformed{})",
                t.failures,
                report.files.len(),
                plural(report.files.len() as u64, "file", "files"),
                t.records,
                t.skipped,
                t.malformed,
                t.outside_filters()
            )
        )
    )?;
    let span = match (t.first_seen, t.last_seen) {
        (Some(first), Some(last)) => format!("{} to {} UTC · ", when(first), when(last)),
        _ => String::new(),
    };
    writeln!(
        out,
        "{span}{} explained by {} known {} · {} unexplained in {} {}",
        t.explained,
        report.groups.len(),
        plural(report.groups.len() as u64, "problem", "problems"),
        t.unexplained,
        report.unexplained.len(),
        plural(report.unexplained.len() as u64, "template", "templates"),
    )?;
    for file in report.files.iter().filter(|f| f.error.is_some()) {
        writeln!(
            out,
            "{} {}",
            paint.with(AnsiColor::Red.on_default(), "not read:"),
            visible(file.error.as_deref().unwrap_or_default())
        )?;
    }

    if !report.groups.is_empty() {
        writeln!(out, "\n{}", paint.with(BOLD, "Known problems"))?;
        writeln!(
            out,
            "{}",
            paint.with(
                DIM,
                "  #  Failures  Confidence  Pipelines  Last seen (UTC)   Problem"
            )
        )?;
        for (i, g) in report.groups.iter().take(top).enumerate() {
            writeln!(
                out,
                "{:>3}  {:>8}  {:<10}  {:>9}  {:<16}  {}",
                i + 1,
                g.seen.count,
                confidence(g),
                g.seen.pipelines.len(),
                g.seen.last_seen.map(when).unwrap_or_default(),
                visible(&cut(&g.title, 90))
            )?;
        }
        more(out, &paint, report.groups.len(), top, "known problems")?;
    }
    if !report.unexplained.is_empty() {
        writeln!(
            out,
            "\n{}",
            paint.with(BOLD, "Not explained by the knowledge (by message template)")
        )?;
        writeln!(
            out,
            "{}",
            paint.with(DIM, "  #  Failures  Pipelines  Last seen (UTC)   Template")
        )?;
        for (i, c) in report.unexplained.iter().take(top).enumerate() {
            writeln!(
                out,
                "{:>3}  {:>8}  {:>9}  {:<16}  {}",
                i + 1,
                c.seen.count,
                c.seen.pipelines.len(),
                c.seen.last_seen.map(when).unwrap_or_default(),
                visible(&cut(&c.template, 110))
            )?;
        }
        more(out, &paint, report.unexplained.len(), top, "templates")?;
    }
    for (i, g) in report.groups.iter().take(DETAILED.min(top)).enumerate() {
        writeln!(
            out,
            "\n{} {}",
            paint.with(BOLD, &format!("{}. {}", i + 1, g.title)),
            paint.with(
                DIM,
                &format!(
                    "({} {})",
                    g.seen.count,
                    plural(g.seen.count, "failure", "failures")
                )
            )
        )?;
        details(out, &paint, &g.seen)?;
        for (n, step) in g.steps.iter().enumerate() {
            let label = if n == 0 { "Fix:" } else { "" };
            writeln!(out, "   {:<12}{}", label, visible(step))?;
        }
        writeln!(out, "   {:<12}{}", "Learn more:", visible(&g.source))?;
    }
    if t.malformed > 0 {
        writeln!(
            out,
            "\n{}",
            paint.with(
                AnsiColor::Yellow.on_default(),
                &format!("Malformed records ({}), counted and left out:", t.malformed)
            )
        )?;
        for m in report.malformed.iter().take(MALFORMED_SHOWN) {
            writeln!(
                out,
                "  {}:{}: {}",
                visible(&m.file),
                m.line,
                visible(&m.reason)
            )?;
        }
        if t.malformed > MALFORMED_SHOWN as u64 {
            writeln!(
                out,
                "  ... and {} more (--json lists the first {})",
                t.malformed - MALFORMED_SHOWN as u64,
                super::grouping::MAX_MALFORMED_LISTED
            )?;
        }
    }
    Ok(())
}

fn details(out: &mut impl Write, paint: &Paint, seen: &Occurrences) -> io::Result<()> {
    for (label, tally) in [
        ("Pipelines:", &seen.pipelines),
        ("Activities:", &seen.activities),
        ("Runtimes:", &seen.integration_runtimes),
    ] {
        if tally.len() > 0 {
            writeln!(out, "   {:<12}{}", label, visible(&tally.summary(4)))?;
        }
    }
    if let (Some(first), Some(last)) = (seen.first_seen, seen.last_seen) {
        writeln!(
            out,
            "   {:<12}{} to {} UTC",
            "Seen:",
            when(first),
            when(last)
        )?;
    }
    let examples: Vec<String> = seen
        .examples
        .iter()
        .filter(|e| !e.activity_run_id.is_empty())
        .map(|e| e.activity_run_id.clone())
        .collect();
    if !examples.is_empty() {
        writeln!(
            out,
            "   {:<12}{}",
            "Run IDs:",
            visible(&examples.join(", "))
        )?;
    }
    if !seen.example_message.is_empty() {
        writeln!(
            out,
            "   {:<12}{}",
            "Message:",
            paint.with(DIM, &cut(&seen.example_message, 300))
        )?;
    }
    Ok(())
}

fn more(out: &mut impl Write, paint: &Paint, len: usize, top: usize, what: &str) -> io::Result<()> {
    if len > top {
        writeln!(
            out,
            "{}",
            paint.with(
                DIM,
                &format!(
                    "  ... {} more {what} (--top N shows more, --json lists all)",
                    len - top
                )
            )
        )?;
    }
    Ok(())
}

fn confidence(g: &Group) -> &'static str {
    match (g.high, g.medium) {
        (_, 0) => "high",
        (0, _) => "medium",
        _ => "mixed",
    }
}

fn when(at: time::Millis) -> String {
    time::hour(at)
}

fn plural(n: u64, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// At most `max` characters on one line, with an ellipsis when cut.
pub fn cut(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut short: String = line.chars().take(max - 1).collect();
    short.push('…');
    short
}
