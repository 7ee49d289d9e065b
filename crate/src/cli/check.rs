//! `check`: verifies knowledge entry files the way the build and the tests do, and prints each
//! problem as `file:line: problem`, so an author can fix an entry in minutes.
//!
//! Checked per file: the front matter and body (the build's own reader), the Learn anchor and
//! the own-words rule against the saved articles when they are beside the checkout, every
//! `match` example ranking the entry first (or tying for first), and no `near_miss` reaching
//! `high` for it. Examples run against the bundled knowledge with the checked entries in place
//! of their bundled versions, so a new or edited entry is judged as it will ship.

use adf_troubleshooter::diagnosis::explain_with;
use adf_troubleshooter::knowledge::articles::{find_sources, Articles};
use adf_troubleshooter::knowledge::entry_file::{self, line_of, line_of_value, Problem};
use adf_troubleshooter::knowledge::{self, Entry, Examples};
use adf_troubleshooter::matcher::Index;
use adf_troubleshooter::suggest::Related;
use adf_troubleshooter::{Confidence, Diagnosis};
use clap::Args;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct CheckArgs {
    /// Entry files or folders of entries (`crate/knowledge` when none is given)
    #[arg(value_name = "FILE.md")]
    files: Vec<PathBuf>,
    /// The saved Learn articles (`.../azure-docs`); looked for as `shared/sources/azure-docs`
    /// beside the files and their parent folders when not given
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
}

/// An entry file that was read, with its text for locating example lines.
struct Read {
    path: PathBuf,
    text: String,
    entry: Entry,
    examples: Examples,
}

pub fn run(args: &CheckArgs) -> Result<i32, String> {
    let files = entry_files(args)?;
    let mut problems: Vec<(PathBuf, Problem)> = Vec::new();
    let mut read = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let (stem, guide) = entry_file::names(path);
        let (entry, found) = entry_file::read_all(&text, &stem, &guide);
        problems.extend(found.into_iter().map(|p| (path.clone(), p)));
        if let Some((entry, examples)) = entry {
            read.push(Read {
                path: path.clone(),
                text,
                entry,
                examples,
            });
        }
    }
    duplicate_ids(&read, &mut problems);

    let sources = args
        .sources
        .clone()
        .or_else(|| files.first().and_then(|f| find_sources(&absolute(f))));
    let articles_note = match &sources {
        Some(dir) => {
            let mut articles = Articles::new(dir.clone());
            for file in &read {
                for message in articles.problems(&file.entry) {
                    let line = line_of(&file.text, "\nsource:");
                    problems.push((file.path.clone(), at(line, message)));
                }
            }
            format!("anchors and wording checked against {}", dir.display())
        }
        None => "anchors and wording skipped: no saved articles (shared/sources/azure-docs) found; pass --sources DIR".to_string(),
    };

    let engine = Engine::with(&read);
    for file in &read {
        examples(file, &engine, &mut problems);
    }

    problems.sort_by(|a, b| (&a.0, a.1.line).cmp(&(&b.0, b.1.line)));
    for (path, problem) in &problems {
        println!("{}:{}: {}", path.display(), problem.line, problem.message);
    }
    let bad_files = {
        let mut paths: Vec<&PathBuf> = problems.iter().map(|(p, _)| p).collect();
        paths.dedup();
        paths.len()
    };
    eprintln!(
        "checked {} entr{}: {} with problems ({} problem{}); {articles_note}",
        files.len(),
        if files.len() == 1 { "y" } else { "ies" },
        bad_files,
        problems.len(),
        if problems.len() == 1 { "" } else { "s" },
    );
    Ok(if problems.is_empty() { 0 } else { 1 })
}

fn at(line: usize, message: String) -> Problem {
    Problem { line, message }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The `.md` files named, with folders walked; `crate/knowledge` when none is named.
fn entry_files(args: &CheckArgs) -> Result<Vec<PathBuf>, String> {
    let roots = if args.files.is_empty() {
        let default = PathBuf::from("crate/knowledge");
        if !default.is_dir() {
            return Err(
                "no entry files given, and no crate/knowledge folder here; name the files to check"
                    .into(),
            );
        }
        vec![default]
    } else {
        args.files.clone()
    };
    let mut files = Vec::new();
    for root in roots {
        if root.is_dir() {
            walk(&root, &mut files).map_err(|e| format!("cannot read {}: {e}", root.display()))?;
        } else if root.is_file() {
            files.push(root);
        } else {
            return Err(format!("no such file or folder: {}", root.display()));
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for item in std::fs::read_dir(dir)? {
        let path = item?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    Ok(())
}

fn duplicate_ids(read: &[Read], problems: &mut Vec<(PathBuf, Problem)>) {
    let mut first: HashMap<&str, &Path> = HashMap::new();
    for file in read {
        if let Some(other) = first.insert(&file.entry.id, &file.path) {
            problems.push((
                file.path.clone(),
                at(
                    line_of(&file.text, "\nid:"),
                    format!(
                        "id `{}` is also the id of {}",
                        file.entry.id,
                        other.display()
                    ),
                ),
            ));
        }
    }
}

/// The knowledge the examples run against: the bundled one when every checked entry is
/// bundled as it is, otherwise the bundled one with the checked entries in place.
enum Engine {
    Bundled,
    Own(&'static Index, Box<Related>),
}

impl Engine {
    fn with(read: &[Read]) -> Engine {
        let bundled = knowledge::entries();
        let by_id: HashMap<&str, &Entry> = bundled.iter().map(|e| (e.id.as_str(), e)).collect();
        let changed: HashMap<&str, &Entry> = read
            .iter()
            .filter(|f| by_id.get(f.entry.id.as_str()) != Some(&&f.entry))
            .map(|f| (f.entry.id.as_str(), &f.entry))
            .collect();
        if changed.is_empty() {
            return Engine::Bundled;
        }
        let mut entries: Vec<Entry> = bundled
            .iter()
            .map(|e| changed.get(e.id.as_str()).map_or(e, |c| *c).clone())
            .collect();
        // New entries in file order, so the same files always give the same index.
        entries.extend(
            read.iter()
                .filter(|f| !by_id.contains_key(f.entry.id.as_str()))
                .map(|f| f.entry.clone()),
        );
        // One engine for the whole run of a short-lived command.
        let entries: &'static [Entry] = Box::leak(entries.into_boxed_slice());
        let index = Box::leak(Box::new(Index::build(entries)));
        Engine::Own(index, Box::new(Related::build(entries)))
    }

    fn explain(&self, text: &str) -> Diagnosis {
        match self {
            Engine::Bundled => adf_troubleshooter::explain(text),
            Engine::Own(index, related) => explain_with(index, related, text),
        }
    }
}

fn examples(file: &Read, engine: &Engine, problems: &mut Vec<(PathBuf, Problem)>) {
    let id = file.entry.id.as_str();
    let mut report = |text: &str, message: String| {
        problems.push((
            file.path.clone(),
            at(line_of_example(&file.text, text), message),
        ));
    };
    for text in &file.examples.matches {
        let diagnosis = engine.explain(text);
        if !diagnosis.tied_with_best().iter().any(|m| m.id == id) {
            report(
                text,
                format!(
                    "example does not rank the entry first; {}",
                    ranking(&diagnosis)
                ),
            );
        }
    }
    for text in &file.examples.near_miss {
        let diagnosis = engine.explain(text);
        if diagnosis
            .matches
            .first()
            .is_some_and(|best| best.id == id && best.confidence == Confidence::High)
        {
            report(
                text,
                "near miss reaches high confidence for the entry; make the entry's signals more specific (or flag a shared one `generic`)".into(),
            );
        }
    }
}

fn ranking(diagnosis: &Diagnosis) -> String {
    if diagnosis.matches.is_empty() {
        return "no entry matches it".into();
    }
    let ranked: Vec<String> = diagnosis
        .matches
        .iter()
        .take(3)
        .map(|m| format!("{} ({:?}, {})", m.id, m.confidence, m.score).to_lowercase())
        .collect();
    format!("the engine answers {}", ranked.join(", "))
}

/// The line an example starts on, looked for after `examples:` (an example often repeats a
/// message listed above it), or the `examples:` line when its text cannot be found.
fn line_of_example(file: &str, text: &str) -> usize {
    let Some(start) = file.find("\nexamples:") else {
        return line_of_value(file, text);
    };
    let before = file[..start].matches('\n').count();
    match line_of_value(&file[start..], text) {
        1 => before + 2,
        line => before + line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_found_by_key_and_by_example_text() {
        let file = "---\nid: a\nsource: x\nmessages: [\"It is broken: ErrorCode=Foo\"]\nexamples:\n  match:\n    - 'It is broken: ErrorCode=Foo'\n    - 'It''s down: ErrorCode=Bar'\n---\n";
        assert_eq!(line_of(file, "\nsource:"), 3);
        assert_eq!(line_of_example(file, "It is broken: ErrorCode=Foo"), 7);
        assert_eq!(line_of_example(file, "It's down: ErrorCode=Bar"), 8);
        assert_eq!(line_of_example(file, "absent"), 5);
    }
}
