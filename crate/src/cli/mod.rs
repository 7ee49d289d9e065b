//! Parses the command line and dispatches to `explain`, `list`, `eval`, `check` and `triage`.

mod check;
mod eval;
mod input;
mod render;
mod safe;
mod triage;

use adf_troubleshooter::{explain, knowledge, Diagnosis};
use anstream::{AutoStream, ColorChoice};
use clap::{Args, Parser, Subcommand};
use input::Line;
use std::ffi::OsString;
use std::io::{self, BufRead, Write};
use std::path::PathBuf;

/// Explain Azure Data Factory and Synapse pipeline errors, offline.
#[derive(Parser)]
#[command(
    name = "adf-troubleshooter",
    version,
    arg_required_else_help = true,
    after_help = "Reads standard input when FILE is `-` or absent. Nothing leaves the machine.\n\
                  Exit status: 0 the command ran, 1 eval below its floors or check found problems,\n\
                  2 usage or input error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Explain one error text (readable on a terminal), or a batch of them
    Explain(ExplainArgs),
    /// The knowledge entries: id, title, source
    List {
        /// One JSON object per entry
        #[arg(long)]
        json: bool,
    },
    /// Accuracy on an evaluation set (JSON lines {"text", "expected"}), with floors for CI
    ///
    /// Floors are shares from 0 to 1 (0.9 is 90%). Exit status 1 when a floor is not met.
    Eval(eval::EvalArgs),
    /// Verify knowledge entry files: format, Learn anchor, own words, examples, near misses
    ///
    /// Prints each problem as FILE:LINE: PROBLEM. Exit status 1 when there is a problem.
    Check(check::CheckArgs),
    /// Triage exported activity-run logs: failures grouped by known problem, the rest by template
    ///
    /// Reads Log Analytics exports (ADFActivityRun, SynapseIntegrationActivityRuns: CSV, or the
    /// JSON of `az monitor log-analytics query`), diagnostic-settings archives (ActivityRuns: JSON
    /// lines or {"records": [...]}, directories walked, gzip or not) and the REST/SDK/CLI activity
    /// runs ({"value": [...]}). Prints a table; --json, --markdown and --html give the report.
    Triage(triage::TriageArgs),
}

#[derive(Args)]
struct ExplainArgs {
    /// The diagnosis as one JSON object
    #[arg(long, conflicts_with = "jsonl")]
    json: bool,
    /// One JSON object {"text": ...} per input line, one diagnosis per output line
    #[arg(long)]
    jsonl: bool,
    /// The error text (UTF-8, or UTF-16 with a byte-order mark); `-` for standard input
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    /// Team rules to match beside the bundled knowledge, as the extension does: the `.md`
    /// (entry format) and `.json` (the options page's export) files in DIR and its folders
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// The team rules given with `--rules`, read once before any text is explained.
static TEAM: std::sync::OnceLock<adf_troubleshooter::team::TeamKnowledge> =
    std::sync::OnceLock::new();

/// Explains against the bundled knowledge and the `--rules` team rules.
fn explain_team(text: &str) -> Diagnosis {
    match TEAM.get() {
        Some(team) => team.explain(text),
        None => explain(text),
    }
}

/// The card of a diagnosis, team rules included.
fn card_for(d: &Diagnosis, text: &str) -> Option<adf_troubleshooter::card::Card> {
    match TEAM.get() {
        Some(team) => team.card(d, text),
        None => adf_troubleshooter::card::Card::from_diagnosis(d, text),
    }
}

/// Reads team rule files; invalid rules are left out, as in the extension, and each problem is
/// printed as FILE:LINE: PROBLEM (or FILE: rule N ...: PROBLEM) on standard error.
fn load_rules(dir: &std::path::Path) -> Result<(), String> {
    use adf_troubleshooter::team::{self, markdown, TeamKnowledge};
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let list =
            std::fs::read_dir(&folder).map_err(|e| format!("--rules {}: {e}", folder.display()))?;
        for item in list.flatten() {
            let path = item.path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md" || e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut rules = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (read, problems) = if path.extension().is_some_and(|e| e == "md") {
            markdown::read(&text)
        } else {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) => {
                    let (parsed, mut problems) = team::read(&value);
                    problems.extend(team::validate_rules(&parsed, false).1);
                    let bad: Vec<usize> = problems.iter().map(|p| p.rule).collect();
                    let read = parsed
                        .into_iter()
                        .filter(|(at, _)| !bad.contains(at))
                        .map(|(_, rule)| rule)
                        .collect();
                    (read, problems)
                }
                Err(e) => (
                    Vec::new(),
                    vec![team::Problem {
                        rule: 0,
                        id: String::new(),
                        field: String::new(),
                        line: Some(e.line()),
                        message: format!("not JSON: {e}"),
                    }],
                ),
            }
        };
        for problem in problems {
            let said = problem.to_string();
            let said = said
                .strip_prefix("line ")
                .map_or(said.clone(), str::to_string);
            let separator = if problem.line.is_some() { ":" } else { ": " };
            eprintln!("{}{separator}{}", path.display(), safe::visible(&said));
        }
        rules.extend(read);
    }
    let numbered: Vec<_> = rules.into_iter().enumerate().collect();
    let (entries, problems) = team::validate_rules(&numbered, false);
    for problem in problems {
        eprintln!("--rules: {}", safe::visible(&problem.to_string()));
    }
    let _ = TEAM.set(TeamKnowledge::build(entries));
    Ok(())
}

/// Runs the command and returns the process exit code (0 ok, 1 check failed, 2 usage/input error).
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to standard output with status 0; usage errors to standard
            // error with status 2.
            let _ = error.print();
            return error.exit_code();
        }
    };
    let result = match cli.command {
        Command::Explain(args) => explain_command(&args),
        Command::List { json } => list_command(json),
        Command::Eval(args) => eval::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Triage(args) => triage::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("adf-troubleshooter: {}", safe::visible(&message));
            2
        }
    }
}

fn explain_command(args: &ExplainArgs) -> Result<i32, String> {
    let path = args.file.as_deref();
    if let Some(dir) = &args.rules {
        load_rules(dir)?;
    }
    if args.jsonl {
        let mut out = io::BufWriter::new(io::stdout().lock());
        explain_lines(input::open(path)?, &mut out, explain_team).map_err(|e| e.to_string())?;
        return out.flush().map(|_| 0).map_err(|e| e.to_string());
    }
    let text = input::read_text(path)?;
    let diagnosis = guarded(explain_team, &text)?;
    if args.json {
        let mut out = io::stdout().lock();
        writeln!(out, "{}", safe::json(&diagnosis)).map_err(|e| e.to_string())?;
        return out.flush().map(|_| 0).map_err(|e| e.to_string());
    }
    // Colour follows NO_COLOR, CLICOLOR and CLICOLOR_FORCE, and Windows consoles get it too.
    let stream = AutoStream::auto(io::stdout().lock());
    let colour = stream.current_choice() != ColorChoice::Never;
    let mut out = io::BufWriter::new(stream);
    render::write_diagnosis(&mut out, &diagnosis, &text, colour).map_err(|e| e.to_string())?;
    out.flush().map(|_| 0).map_err(|e| e.to_string())
}

/// Runs the engine on one text; a panic (an engine bug) becomes an error for this text alone.
fn guarded(explain: fn(&str) -> Diagnosis, text: &str) -> Result<Diagnosis, String> {
    std::panic::catch_unwind(|| explain(text)).map_err(|panic| {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        format!("internal error in the engine ({what}); please report it with the text")
    })
}

/// Batch mode: a bad line, an oversized one, or one the engine fails on, gets an
/// `{"error": ...}` line and the run goes on.
fn explain_lines(
    mut reader: impl BufRead,
    out: &mut impl Write,
    explain: fn(&str) -> Diagnosis,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    let mut number = 0;
    while let Some(line) = input::next_line(&mut reader, &mut buffer)? {
        number += 1;
        let answer = match line {
            Line::TooLong => error_line(
                number,
                &format!("longer than {} MB; skipped", input::MAX_INPUT_BYTES >> 20),
            ),
            Line::Text(line) => match input::parse_json_line(&line) {
                Ok((value, repaired)) => {
                    if repaired > 0 {
                        eprintln!(
                            "adf-troubleshooter: line {number}: {repaired} lone UTF-16 surrogate escape(s) (such as \\ud800) read as U+FFFD"
                        );
                    }
                    match value.get("text").and_then(|t| t.as_str()) {
                        Some(text) => match guarded(explain, text) {
                            Ok(diagnosis) => safe::json(&diagnosis),
                            Err(message) => error_line(number, &message),
                        },
                        None => {
                            error_line(number, "expected an object with a string field \"text\"")
                        }
                    }
                }
                Err(e) => error_line(number, &format!("not JSON: {e}")),
            },
        };
        writeln!(out, "{answer}")?;
    }
    Ok(())
}

fn error_line(number: usize, message: &str) -> String {
    serde_json::json!({ "error": format!("line {number}: {message}") }).to_string()
}

fn list_command(json: bool) -> Result<i32, String> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    for entry in knowledge::entries() {
        let line = if json {
            serde_json::json!({"id": entry.id, "title": entry.title, "source": entry.source})
                .to_string()
        } else {
            format!("{}\t{}\t{}", entry.id, entry.title, entry.source)
        };
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain_or_panic(text: &str) -> Diagnosis {
        assert!(!text.contains("boom"), "engine failure on purpose");
        explain(text)
    }

    #[test]
    fn a_panic_on_one_jsonl_line_costs_that_line_only() {
        let input = "{\"text\": \"ErrorCode=InvalidGatewayKey\"}\n{\"text\": \"boom\"}\n{\"text\": \"ErrorCode=InvalidGatewayKey\"}\n";
        let mut out = Vec::new();
        std::panic::set_hook(Box::new(|_| {}));
        explain_lines(input.as_bytes(), &mut out, explain_or_panic).unwrap();
        let _ = std::panic::take_hook();
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0]["matches"].is_array());
        let error = lines[1]["error"].as_str().unwrap();
        assert!(error.starts_with("line 2: internal error"), "{error}");
        assert!(error.contains("engine failure on purpose"), "{error}");
        assert!(lines[2]["matches"].is_array());
    }

    #[test]
    fn rules_from_a_folder_match_beside_the_bundled_knowledge() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/team-rules");
        load_rules(&root).unwrap();
        let text = std::fs::read_to_string(root.join("login-error.txt")).unwrap();
        assert_eq!(explain_team(&text).matches[0].id, "team:contoso-etl-login");
        assert!(card_for(&explain_team(&text), &text).unwrap().team);
        assert!(load_rules(&root.join("missing"))
            .unwrap_err()
            .starts_with("--rules"));
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
