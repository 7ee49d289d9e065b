//! The Markdown report, for a ticket or a wiki, with text from the logs escaped.

// Escaped so that a `|` or `[x](y)` in a message stays literal text in a table or a ticket.

use super::grouping::{Occurrences, Report};
use super::render_terminal::cut;
use super::time;
use std::io::{self, Write};

/// Text from the logs as literal Markdown on one line (table cells included).
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '#' | '!'
        ) {
            out.push('\\');
        }
        out.push(if ch.is_control() { ' ' } else { ch });
    }
    out
}

fn when(at: Option<time::Millis>) -> String {
    at.map(time::hour).unwrap_or_default()
}

pub fn write(out: &mut impl Write, report: &Report, top: usize) -> io::Result<()> {
    let t = &report.totals;
    writeln!(out, "## ADF activity failures: triage\n")?;
    writeln!(
        out,
        "**{}** failed activity runs in {} file(s): {} records read, {} other runs skipped, {} malformed{}.",
        t.failures,
        report.files.len(),
        t.records,
        t.skipped,
        t.malformed,
        t.outside_filters()
    )?;
    if let (Some(first), Some(last)) = (t.first_seen, t.last_seen) {
        writeln!(
            out,
            "From {} to {} UTC.",
            time::hour(first),
            time::hour(last)
        )?;
    }
    writeln!(
        out,
        "{} explained by {} known problem(s); {} not explained, in {} message template(s).",
        t.explained,
        report.groups.len(),
        t.unexplained,
        report.unexplained.len()
    )?;
    if !report.groups.is_empty() {
        writeln!(out, "\n### Known problems\n")?;
        writeln!(
            out,
            "| # | Failures | Problem | Pipelines | Integration runtimes | First seen | Last seen |"
        )?;
        writeln!(out, "|---:|---:|---|---|---|---|---|")?;
        for (i, g) in report.groups.iter().take(top).enumerate() {
            writeln!(
                out,
                "| {} | {} | [{}]({}) | {} | {} | {} | {} |",
                i + 1,
                g.seen.count,
                literal(&g.title),
                g.source,
                literal(&g.seen.pipelines.summary(3)),
                literal(&g.seen.integration_runtimes.summary(2)),
                when(g.seen.first_seen),
                when(g.seen.last_seen)
            )?;
        }
        if report.groups.len() > top {
            writeln!(out, "\n{} more known problems.", report.groups.len() - top)?;
        }
    }
    if !report.unexplained.is_empty() {
        writeln!(
            out,
            "\n### Not explained by the knowledge (by message template)\n"
        )?;
        writeln!(
            out,
            "| # | Failures | Template | Pipelines | First seen | Last seen |"
        )?;
        writeln!(out, "|---:|---:|---|---|---|---|")?;
        for (i, c) in report.unexplained.iter().take(top).enumerate() {
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                i + 1,
                c.seen.count,
                literal(&cut(&c.template, 200)),
                literal(&c.seen.pipelines.summary(3)),
                when(c.seen.first_seen),
                when(c.seen.last_seen)
            )?;
        }
        if report.unexplained.len() > top {
            writeln!(out, "\n{} more templates.", report.unexplained.len() - top)?;
        }
    }
    for (i, g) in report.groups.iter().take(top.min(5)).enumerate() {
        writeln!(
            out,
            "\n### {}. {} ({} failures)\n",
            i + 1,
            literal(&g.title),
            g.seen.count
        )?;
        details(out, &g.seen)?;
        if !g.cause.is_empty() {
            writeln!(out, "\n**Likely cause**\n")?;
            for paragraph in &g.cause {
                writeln!(out, "{}", literal(paragraph))?;
            }
        }
        writeln!(out, "\n**How to fix it**\n")?;
        for step in &g.steps {
            // The numbering is the knowledge's own: kept as text, escaped like the rest.
            writeln!(out, "{}  ", literal(step))?;
        }
        writeln!(out, "\nSource: {}", g.source)?;
    }
    if t.malformed > 0 {
        writeln!(out, "\n### Malformed records ({})\n", t.malformed)?;
        for m in report.malformed.iter().take(20) {
            writeln!(
                out,
                "- `{}:{}`: {}",
                m.file.replace('`', "'"),
                m.line,
                literal(&m.reason)
            )?;
        }
    }
    Ok(())
}

fn details(out: &mut impl Write, seen: &Occurrences) -> io::Result<()> {
    for (label, tally) in [
        ("Pipelines", &seen.pipelines),
        ("Activities", &seen.activities),
        ("Integration runtimes", &seen.integration_runtimes),
    ] {
        if tally.len() > 0 {
            writeln!(out, "- {label}: {}", literal(&tally.summary(5)))?;
        }
    }
    writeln!(
        out,
        "- Seen: {} to {} UTC",
        when(seen.first_seen),
        when(seen.last_seen)
    )?;
    let ids: Vec<String> = seen
        .examples
        .iter()
        .filter(|e| !e.activity_run_id.is_empty())
        .map(|e| format!("`{}`", e.activity_run_id.replace('`', "'")))
        .collect();
    if !ids.is_empty() {
        writeln!(out, "- Example activity runs: {}", ids.join(", "))?;
    }
    if !seen.example_message.is_empty() {
        writeln!(
            out,
            "- Message: {}",
            literal(&cut(&seen.example_message, 400))
        )?;
    }
    Ok(())
}
