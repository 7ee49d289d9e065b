//! Parses the command line and dispatches to `explain`, `list` and `eval`.

mod eval;
mod render;

use adf_troubleshooter::{explain, knowledge, Diagnosis};
use std::io::{self, BufRead, IsTerminal, Read, Write};

const USAGE: &str = "\
adf-troubleshooter: explain Azure Data Factory and Synapse pipeline errors, offline

Usage:
  adf-troubleshooter explain [FILE|-]          readable diagnosis of one error text
  adf-troubleshooter explain --json [FILE|-]   the diagnosis as one JSON object
  adf-troubleshooter explain --jsonl [FILE|-]  one JSON object {\"text\": ...} per line in, one diagnosis per line out
  adf-troubleshooter list [--json]             the knowledge entries (id, title, source)
  adf-troubleshooter eval FILE [--min-top1 X] [--max-confident-wrong X]
                                               accuracy on an evaluation set (JSON lines {\"text\", \"expected\"})

Reads standard input when FILE is `-` or absent. Nothing leaves the machine.";

/// Files larger than this are refused rather than read into memory.
const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Runs the command and returns the process exit code (0 ok, 1 check failed, 2 usage/input error).
pub fn run(args: &[String]) -> i32 {
    let result = match args.first().map(String::as_str) {
        Some("explain") => explain_command(&args[1..]),
        Some("list") => list_command(&args[1..]),
        Some("eval") => eval::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(0)
        }
        Some("-V" | "--version") => {
            println!("adf-troubleshooter {}", env!("CARGO_PKG_VERSION"));
            Ok(0)
        }
        _ => Err(format!("expected a command\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("adf-troubleshooter: {message}");
            2
        }
    }
}

fn explain_command(args: &[String]) -> Result<i32, String> {
    let mut format = "text";
    let mut path = None;
    for arg in args {
        match arg.as_str() {
            "--json" => format = "json",
            "--jsonl" => format = "jsonl",
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            file => path = Some(file.to_string()),
        }
    }
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if format == "jsonl" {
        let reader: Box<dyn BufRead> = match path.as_deref() {
            None | Some("-") => Box::new(io::stdin().lock()),
            Some(file) => Box::new(io::BufReader::new(
                std::fs::File::open(file).map_err(|e| format!("cannot read {file}: {e}"))?,
            )),
        };
        explain_lines(reader, &mut out, explain).map_err(|e| e.to_string())?;
    } else {
        let text = read_input(path.as_deref())?;
        let diagnosis = guarded(explain, &text)?;
        if format == "json" {
            let json = serde_json::to_string(&diagnosis).map_err(|e| e.to_string())?;
            writeln!(out, "{json}").map_err(|e| e.to_string())?;
        } else {
            let colour = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            render::write_diagnosis(&mut out, &diagnosis, &text, colour)
                .map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(0)
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

/// Batch mode: a bad line, or one the engine fails on, gets an `{"error": ...}` line and the
/// run goes on.
fn explain_lines(
    reader: impl BufRead,
    out: &mut impl Write,
    explain: fn(&str) -> Diagnosis,
) -> io::Result<()> {
    for (number, line) in reader.split(b'\n').enumerate() {
        let line = line?;
        let line = String::from_utf8_lossy(&line);
        let answer = match serde_json::from_str::<serde_json::Value>(line.trim_end_matches('\r')) {
            Ok(value) => match value.get("text").and_then(|t| t.as_str()) {
                Some(text) => match guarded(explain, text) {
                    Ok(diagnosis) => serde_json::to_string(&diagnosis).map_err(io::Error::other)?,
                    Err(message) => error_line(number, &message),
                },
                None => error_line(number, "expected an object with a string field \"text\""),
            },
            Err(e) => error_line(number, &format!("not JSON: {e}")),
        };
        writeln!(out, "{answer}")?;
    }
    Ok(())
}

fn error_line(number: usize, message: &str) -> String {
    serde_json::json!({ "error": format!("line {}: {message}", number + 1) }).to_string()
}

fn read_input(path: Option<&str>) -> Result<String, String> {
    let mut bytes = Vec::new();
    match path {
        None | Some("-") => {
            io::stdin()
                .lock()
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
        }
        Some(file) => {
            let handle =
                std::fs::File::open(file).map_err(|e| format!("cannot read {file}: {e}"))?;
            handle
                .take(MAX_FILE_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read {file}: {e}"))?;
        }
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("input is larger than {} MB", MAX_FILE_BYTES >> 20));
    }
    // Logs copied from Windows machines are not always UTF-8: read what can be read.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn list_command(args: &[String]) -> Result<i32, String> {
    let json = match args {
        [] => false,
        [flag] if flag == "--json" => true,
        _ => return Err("usage: adf-troubleshooter list [--json]".into()),
    };
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
}
