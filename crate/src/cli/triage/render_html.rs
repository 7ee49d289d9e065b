//! The self-contained HTML report: inline CSS and SVG chart, no script, every value escaped.

// The file is mailed around and opened anywhere: a Content-Security-Policy forbids loading
// anything, so even a value that escaped escaping could not fetch or run.

use super::grouping::{Occurrences, Report};
use super::series::{self, Chart};
use super::time;
use std::fmt::Write;

/// Text as HTML text or attribute value.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

const COLOURS: [&str; 8] = [
    "#2563eb", "#d97706", "#059669", "#db2777", "#7c3aed", "#0891b2", "#64748b", "#b91c1c",
];
/// Cards shown in full.
const CARDS: usize = 6;

const STYLE: &str = "
:root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1100px; margin: 0 auto; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.summary { color: var(--muted); margin: 0 0 8px; }
.stats { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.stat { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 130px; }
.stat b { display: block; font-size: 22px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
td code { overflow-wrap: anywhere; }
td.when, th { white-space: nowrap; }
details summary { color: var(--muted); cursor: pointer; font-size: 12px; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; padding: 0; margin: 10px 0 0; }
.legend span { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 14px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 4px solid #2563eb; border-radius: 8px; padding: 14px 16px; }
.card h3 { font-size: 15px; margin: 0 0 6px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #eef2ff; margin-right: 6px; }
.badge.high { background: #dcfce7; } .badge.medium { background: #fef3c7; }
dl { display: grid; grid-template-columns: 110px 1fr; gap: 2px 10px; margin: 10px 0; }
dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; font-size: 12px; max-height: 160px; overflow: auto; }
.steps p { margin: 4px 0; }
code { font-size: 12px; }
.muted { color: var(--muted); }
footer { color: var(--muted); margin-top: 32px; font-size: 12px; }
";

pub fn render(report: &Report, top: usize) -> String {
    let mut h = String::with_capacity(64 * 1024);
    let t = &report.totals;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>ADF activity failures: triage</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
    );
    let _ = writeln!(h, "<h1>ADF activity failures: triage</h1>");
    let span = match (t.first_seen, t.last_seen) {
        (Some(f), Some(l)) => format!("From {} to {} UTC. ", time::hour(f), time::hour(l)),
        _ => String::new(),
    };
    let _ = writeln!(
        h,
        "<p class=\"summary\">{}{} file(s) read: {} records, {} other runs skipped, {} malformed{}.</p>",
        esc(&span),
        report.files.len(),
        t.records,
        t.skipped,
        t.malformed,
        t.outside_filters()
    );
    let _ = writeln!(h, "<div class=\"stats\">");
    for (value, label) in [
        (t.failures, "failed activity runs"),
        (report.groups.len() as u64, "known problems"),
        (t.explained, "failures explained"),
        (t.unexplained, "not explained"),
        (report.unexplained.len() as u64, "new message templates"),
    ] {
        let _ = writeln!(h, "<div class=\"stat\"><b>{value}</b>{}</div>", esc(label));
    }
    let _ = writeln!(h, "</div>");

    if let Some(chart) = series::chart(report, top) {
        let _ = writeln!(
            h,
            "<h2>Failures per {} and problem</h2>\n<div class=\"panel\">",
            chart.unit()
        );
        svg(&mut h, &chart);
        let _ = writeln!(h, "<ul class=\"legend\">");
        for (i, s) in chart.series.iter().enumerate() {
            let _ = writeln!(
                h,
                "<li><span style=\"background:{}\"></span>{} ({})</li>",
                COLOURS[i % COLOURS.len()],
                esc(&s.name),
                s.counts.iter().sum::<u64>()
            );
        }
        let _ = writeln!(h, "</ul>\n</div>");
    }

    if !report.groups.is_empty() {
        let _ = writeln!(h, "<h2>Known problems</h2>\n<table id=\"known\">");
        let _ = writeln!(h, "<tr><th class=\"num\">#</th><th class=\"num\">Failures</th><th>Problem</th><th>Pipelines</th><th>Integration runtimes</th><th>First seen</th><th>Last seen</th></tr>");
        for (i, g) in report.groups.iter().take(top).enumerate() {
            let _ = writeln!(
                h,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td><a href=\"#problem-{}\">{}</a></td><td>{}</td><td>{}</td><td class=\"when\">{}</td><td class=\"when\">{}</td></tr>",
                i + 1,
                g.seen.count,
                i + 1,
                esc(&g.title),
                esc(&g.seen.pipelines.summary(3)),
                esc(&g.seen.integration_runtimes.summary(2)),
                esc(&when(g.seen.first_seen)),
                esc(&when(g.seen.last_seen))
            );
        }
        let _ = writeln!(h, "</table>");
    }

    if !report.unexplained.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Not explained by the knowledge, by message template</h2>\n<table id=\"unexplained\">"
        );
        let _ = writeln!(h, "<tr><th class=\"num\">#</th><th class=\"num\">Failures</th><th>Template</th><th>Pipelines</th><th>Example run</th><th>Last seen</th></tr>");
        for (i, c) in report.unexplained.iter().take(top).enumerate() {
            let example = c
                .seen
                .examples
                .first()
                .map(|e| e.activity_run_id.as_str())
                .unwrap_or_default();
            let _ = writeln!(
                h,
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td><code>{}</code><details><summary>Example message</summary><pre>{}</pre></details></td><td>{}</td><td><code>{}</code></td><td class=\"when\">{}</td></tr>",
                i + 1,
                c.seen.count,
                esc(&c.template),
                esc(&c.seen.example_message.chars().take(2000).collect::<String>()),
                esc(&c.seen.pipelines.summary(3)),
                esc(example),
                esc(&when(c.seen.last_seen))
            );
        }
        let _ = writeln!(h, "</table>");
    }

    if !report.groups.is_empty() {
        let _ = writeln!(
            h,
            "<h2>Top problems and their fix</h2>\n<div class=\"cards\">"
        );
        for (i, g) in report.groups.iter().take(top.min(CARDS)).enumerate() {
            let level = match (g.high, g.medium) {
                (_, 0) => "high",
                (0, _) => "medium",
                _ => "mixed",
            };
            let _ = writeln!(
                h,
                "<article class=\"card\" id=\"problem-{}\" style=\"border-left-color:{}\">\n<h3>{}</h3>\n<span class=\"badge\">{} failures</span><span class=\"badge {level}\">{level} confidence</span>",
                i + 1,
                COLOURS[i.min(COLOURS.len() - 1)],
                esc(&g.title),
                g.seen.count
            );
            occurrences(&mut h, &g.seen);
            if !g.cause.is_empty() {
                let _ = writeln!(h, "<h4>Likely cause</h4>");
                for p in &g.cause {
                    let _ = writeln!(h, "<p>{}</p>", esc(p));
                }
            }
            let _ = writeln!(h, "<h4>How to fix it</h4>\n<div class=\"steps\">");
            for step in &g.steps {
                let _ = writeln!(h, "<p>{}</p>", esc(step));
            }
            let _ = writeln!(
                h,
                "</div>\n<p><a href=\"{}\" rel=\"noreferrer\">Microsoft Learn: the section this comes from</a></p>\n</article>",
                esc(&g.source)
            );
        }
        let _ = writeln!(h, "</div>");
    }

    let _ = writeln!(h, "<h2>Files</h2>\n<table id=\"files\">");
    let _ = writeln!(h, "<tr><th>File</th><th>Format</th><th class=\"num\">Records</th><th class=\"num\">Failures</th><th class=\"num\">Skipped</th><th class=\"num\">Malformed</th></tr>");
    for f in &report.files {
        let format = match (&f.error, f.format) {
            (Some(error), _) => format!("not read: {error}"),
            (None, Some(format)) => format.to_string(),
            (None, None) => "empty".to_string(),
        };
        let _ = writeln!(
            h,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&f.file),
            esc(&format),
            f.records,
            f.failures,
            f.skipped,
            f.malformed
        );
    }
    let _ = writeln!(h, "</table>");
    if t.malformed > 0 {
        let _ = writeln!(
            h,
            "<h2>Malformed records ({})</h2>\n<ul id=\"malformed\">",
            t.malformed
        );
        for m in report.malformed.iter().take(50) {
            let _ = writeln!(
                h,
                "<li><code>{}:{}</code> {}</li>",
                esc(&m.file),
                m.line,
                esc(&m.reason)
            );
        }
        let _ = writeln!(h, "</ul>");
    }
    let _ = writeln!(
        h,
        "<footer>Made by adf-troubleshooter triage {}, offline. Secrets quoted in error messages are shown as ****.</footer>\n</main>\n</body>\n</html>",
        esc(env!("CARGO_PKG_VERSION"))
    );
    h
}

fn when(at: Option<time::Millis>) -> String {
    at.map(time::hour).unwrap_or_default()
}

fn occurrences(h: &mut String, seen: &Occurrences) {
    let _ = writeln!(h, "<dl>");
    for (label, tally) in [
        ("Pipelines", &seen.pipelines),
        ("Activities", &seen.activities),
        ("Runtimes", &seen.integration_runtimes),
        ("Error codes", &seen.error_codes),
    ] {
        if tally.len() > 0 {
            let _ = writeln!(h, "<dt>{label}</dt><dd>{}</dd>", esc(&tally.summary(5)));
        }
    }
    if let (Some(f), Some(l)) = (seen.first_seen, seen.last_seen) {
        let _ = writeln!(
            h,
            "<dt>Seen</dt><dd>{} to {} UTC</dd>",
            esc(&time::hour(f)),
            esc(&time::hour(l))
        );
    }
    let ids: Vec<String> = seen
        .examples
        .iter()
        .filter(|e| !e.activity_run_id.is_empty())
        .map(|e| format!("<code>{}</code>", esc(&e.activity_run_id)))
        .collect();
    if !ids.is_empty() {
        let _ = writeln!(h, "<dt>Example runs</dt><dd>{}</dd>", ids.join("<br>"));
    }
    let _ = writeln!(h, "</dl>");
    if !seen.example_message.is_empty() {
        let message: String = seen.example_message.chars().take(2000).collect();
        let _ = writeln!(h, "<pre>{}</pre>", esc(&message));
    }
}

/// A stacked bar per bucket with failures (`g.bar`), on a continuous time axis.
fn svg(h: &mut String, chart: &Chart) {
    let (width, height) = (1000.0, 260.0);
    let (left, right, top, bottom) = (44.0, 10.0, 10.0, 34.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let n = chart.starts.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.8).max(1.0);
    let max = (0..chart.starts.len())
        .map(|i| chart.total(i))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let _ = writeln!(
        h,
        "<svg id=\"chart\" viewBox=\"0 0 {width} {height}\" width=\"100%\" role=\"img\" aria-label=\"Failures per {} and problem\" xmlns=\"http://www.w3.org/2000/svg\">",
        chart.unit()
    );
    // Horizontal grid lines with their counts.
    for k in 0..=4 {
        let value = (max * k as f64 / 4.0).round();
        let y = top + plot_h - plot_h * value / max;
        let _ = writeln!(
            h,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#e5e7eb\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#6b7280\">{value}</text>",
            width - right,
            left - 6.0,
            y + 4.0
        );
    }
    for (i, &start) in chart.starts.iter().enumerate() {
        let total = chart.total(i);
        if total == 0 {
            continue;
        }
        let x = left + slot * i as f64 + (slot - bar_w) / 2.0;
        let _ = writeln!(
            h,
            "<g class=\"bar\" data-start=\"{}\" data-total=\"{total}\"><title>{}: {total} failures</title>",
            esc(&time::iso(start)),
            esc(&chart.label(start))
        );
        let mut y = top + plot_h;
        for (s, series) in chart.series.iter().enumerate() {
            let count = series.counts[i];
            if count == 0 {
                continue;
            }
            let bar_h = plot_h * count as f64 / max;
            y -= bar_h;
            let _ = writeln!(
                h,
                "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{bar_w:.2}\" height=\"{bar_h:.2}\" fill=\"{}\"><title>{}: {count}</title></rect>",
                COLOURS[s % COLOURS.len()],
                esc(&series.name)
            );
        }
        let _ = writeln!(h, "</g>");
    }
    // About eight labels along the time axis.
    let every = (chart.starts.len() / 8).max(1);
    for (i, &start) in chart.starts.iter().enumerate().step_by(every) {
        let x = left + slot * (i as f64 + 0.5);
        let _ = writeln!(
            h,
            "<text x=\"{x:.1}\" y=\"{}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6b7280\">{}</text>",
            height - 12.0,
            esc(&chart.label(start))
        );
    }
    let _ = writeln!(h, "</svg>");
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn markup_in_values_stays_text() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }
}
