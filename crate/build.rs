//! Embeds the knowledge base: reads `knowledge/**/*.md`, validates every entry and writes the
//! entries (and, separately, their examples) as JSON for `include_str!`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

#[path = "src/knowledge/model.rs"]
#[allow(dead_code)]
mod model;

#[path = "src/knowledge/entry_file.rs"]
#[allow(dead_code)]
mod entry_file;

use model::{Entry, Examples};

fn main() {
    let root = Path::new("knowledge");
    println!("cargo:rerun-if-changed=knowledge");
    println!("cargo:rerun-if-changed=src/knowledge/model.rs");
    println!("cargo:rerun-if-changed=src/knowledge/entry_file.rs");
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
        out.join("knowledge.json"),
        serde_json::to_string(&entries).unwrap(),
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

fn read_entry(path: &Path) -> Result<(Entry, Examples), String> {
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
