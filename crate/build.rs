//! Compiles the knowledge base: reads `knowledge/**/*.md`, validates every entry, builds the
//! matcher's index and the related-text tables, and writes them with the entries as bytes for
//! `include_bytes!` (`knowledge.bin`, see `src/knowledge/compiled.rs`); the examples go apart, as
//! JSON for the tests and the CLI. It also compiles the fact extractor's fixed words
//! (`fixed_words.bin`, see `src/facts/words.rs`).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

// The library's own modules, under the same paths, so the index is built by the engine's code.
#[path = "src/automaton.rs"]
#[allow(dead_code)]
mod automaton;
#[path = "src/bm25.rs"]
#[allow(dead_code)]
mod bm25;
#[path = "src/fold.rs"]
#[allow(dead_code)]
mod fold;
#[path = "src/hash.rs"]
#[allow(dead_code)]
mod hash;
#[path = "src/index.rs"]
#[allow(dead_code)]
mod index;
#[path = "src/lz.rs"]
#[allow(dead_code)]
mod lz;
#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;
#[path = "src/runs.rs"]
#[allow(dead_code)]
mod runs;
#[path = "src/sort.rs"]
#[allow(dead_code)]
mod sort;
#[path = "src/suggest.rs"]
#[allow(dead_code)]
mod suggest;
#[path = "src/varint.rs"]
#[allow(dead_code)]
mod varint;

// The fact extractor's fixed words, compiled here into its automaton.
#[allow(dead_code)]
#[path = "src/facts"]
mod facts {
    pub mod hosts;
    pub mod words;
}

#[allow(dead_code)]
mod knowledge {
    // Paths inside an inline module start from `knowledge/`, the entries' folder.
    #[path = "../src/knowledge/compiled.rs"]
    pub mod compiled;
    #[path = "../src/knowledge/entries.rs"]
    pub mod entries;
    #[path = "../src/knowledge/entry_file.rs"]
    pub mod entry_file;
    #[path = "../src/knowledge/model.rs"]
    pub mod model;
    pub use entries::Entries;
    pub use model::Entry;
}

use knowledge::{entry_file, model::Examples};

fn main() {
    let root = Path::new("knowledge");
    println!("cargo:rerun-if-changed=knowledge");
    for module in [
        "automaton.rs",
        "bm25.rs",
        "facts/hosts.rs",
        "facts/words.rs",
        "fold.rs",
        "hash.rs",
        "index.rs",
        "lz.rs",
        "normalize.rs",
        "runs.rs",
        "suggest.rs",
        "varint.rs",
        "knowledge/compiled.rs",
        "knowledge/entries.rs",
        "knowledge/entry_file.rs",
        "knowledge/model.rs",
    ] {
        println!("cargo:rerun-if-changed=src/{module}");
    }
    let mut files = Vec::new();
    collect_markdown(root, &mut files);
    files.sort();

    let mut entries = Vec::new();
    let mut examples = BTreeMap::new();
    let mut errors = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        match read_entry(path) {
            Ok((entry, entry_examples)) => {
                if examples.insert(entry.id.clone(), entry_examples).is_some() {
                    errors.push(format!("{}: duplicate id `{}`", path.display(), entry.id));
                }
                entries.push(entry);
            }
            Err(message) => errors.push(format!("{}: {message}", path.display())),
        }
    }
    if !errors.is_empty() {
        panic!("invalid knowledge entries:\n  {}", errors.join("\n  "));
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    fs::write(
        out.join("knowledge.bin"),
        knowledge::compiled::compile(entries),
    )
    .unwrap();
    fs::write(
        out.join("fixed_words.bin"),
        runs::pack(&automaton::Automaton::new(&facts::words::fixed_words().0, true).to_bytes()),
    )
    .unwrap();
    fs::write(
        out.join("examples.json"),
        serde_json::to_string(&examples).unwrap(),
    )
    .unwrap();
}

fn collect_markdown(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(read) = fs::read_dir(dir) else { return };
    for item in read.flatten() {
        let path = item.path();
        if path.is_dir() {
            collect_markdown(&path, files);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

fn read_entry(path: &Path) -> Result<(knowledge::Entry, Examples), String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (stem, guide) = entry_file::names(path);
    entry_file::read(&text, &stem, &guide).map_err(|problems| {
        problems
            .iter()
            .map(|p| format!("line {}: {}", p.line, p.message))
            .collect::<Vec<_>>()
            .join("\n    ")
    })
}
