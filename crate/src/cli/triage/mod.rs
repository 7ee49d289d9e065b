//! The `triage` command: reads exported run logs and reports the failures by known problem.

mod clustering;
mod csv;
mod diagnose;
mod formats;
mod grouping;
mod progress;
mod record;
mod render_html;
mod render_markdown;
mod render_terminal;
mod series;
mod time;

use super::safe;
use anstream::{AutoStream, ColorChoice};
use clap::Args;
use formats::Format;
use grouping::{FileSummary, Filters, Grouping};
use record::Parsed;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Args)]
pub struct TriageArgs {
    /// Exported run logs: files, directories (read recursively, gzip or not), `-` for standard input
    #[arg(value_name = "FILE|DIR|-")]
    paths: Vec<PathBuf>,
    /// Read every input as this format instead of detecting it
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Only failures from this time on: 2024-06-01, 2024-06-01T08:00:00Z, or an age (36h, 7d)
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only failures before this time (same forms as --since)
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// Only this pipeline (case-insensitive; `*` matches any text; repeat for more)
    #[arg(long, value_name = "NAME")]
    pipeline: Vec<String>,
    /// The report as one JSON object (every group and template)
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// The report as Markdown, for a ticket or a wiki
    #[arg(long)]
    markdown: bool,
    /// Also write the report as one self-contained HTML file
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// How many known problems and unexplained templates to show (JSON has them all)
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
}

pub fn run(args: &TriageArgs) -> Result<i32, String> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let bound = |text: &Option<String>| {
        text.as_deref()
            .map(|t| time::parse_bound(t, now))
            .transpose()
    };
    let filters = Filters {
        since: bound(&args.since)?,
        until: bound(&args.until)?,
        pipelines: args.pipeline.clone(),
    };
    let sources = formats::expand(&args.paths)?;
    let report = triage(&sources, args.format, filters)?;

    if let Some(path) = &args.html {
        let html = render_html::render(&report, args.top);
        std::fs::write(path, html).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let result = if args.json {
        let mut out = io::stdout().lock();
        writeln!(out, "{}", safe::json(&report)).and_then(|_| out.flush())
    } else if args.markdown {
        let mut out = io::BufWriter::new(io::stdout().lock());
        render_markdown::write(&mut out, &report, args.top).and_then(|_| out.flush())
    } else {
        let stream = AutoStream::auto(io::stdout().lock());
        let colour = stream.current_choice() != ColorChoice::Never;
        let mut out = io::BufWriter::new(stream);
        render_terminal::write(&mut out, &report, args.top, colour).and_then(|_| out.flush())
    };
    result.map_err(|e| e.to_string())?;
    if let Some(path) = &args.html {
        eprintln!(
            "adf-troubleshooter: wrote {}",
            safe::visible(&path.display().to_string())
        );
    }
    Ok(0)
}

/// Reads every source and builds the report. A source that cannot be read is named in the
/// report and on standard error, and the others are still read.
fn triage(
    sources: &[formats::Source],
    forced: Option<Format>,
    filters: Filters,
) -> Result<grouping::Report, String> {
    let mut grouping = Grouping::default();
    grouping.report.filters = filters.clone();
    let mut diagnoser = diagnose::Diagnoser::default();
    let progress = progress::Progress::new(sources.iter().map(|s| s.size).sum());
    for source in sources {
        let mut summary = FileSummary {
            file: source.name.clone(),
            ..FileSummary::default()
        };
        let outcome = formats::read(source, forced, progress.bytes(), &mut |batch| {
            let mut failures = Vec::new();
            summary.records += batch.len() as u64;
            grouping.report.totals.records += batch.len() as u64;
            for (line, parsed) in batch {
                match parsed {
                    Parsed::Failure(run) => {
                        summary.failures += 1;
                        if filters.admits(&run) {
                            failures.push(*run);
                        } else {
                            grouping.report.totals.filtered_out += 1;
                        }
                    }
                    Parsed::Skipped => {
                        summary.skipped += 1;
                        grouping.report.totals.skipped += 1;
                    }
                    Parsed::Malformed(why) => {
                        summary.malformed += 1;
                        grouping.malformed(&source.name, line, why);
                    }
                }
            }
            let runs: Vec<&record::Run> = failures.iter().collect();
            for (run, verdict) in failures.iter().zip(diagnoser.verdicts(&runs)) {
                grouping.add(run, &verdict);
            }
            progress.tick(grouping.report.totals.records);
        });
        match outcome {
            Ok(outcome) => summary.format = outcome.format.map(Format::name),
            Err(error) => {
                progress.suspend(|| eprintln!("adf-troubleshooter: {}", safe::visible(&error)));
                summary.error = Some(error);
            }
        }
        grouping.report.files.push(summary);
    }
    progress.finish();
    grouping.report.totals.distinct_texts = diagnoser.diagnosed;
    if grouping.report.files.iter().all(|f| f.error.is_some()) {
        return Err("no input could be read".into());
    }
    Ok(grouping.finish())
}
