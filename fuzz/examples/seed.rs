//! Writes the seed corpus: every knowledge example and near miss, and every text of the
//! evaluation sets, one file each, into the directories named on the command line.
//!
//! `cargo run --manifest-path fuzz/Cargo.toml --example seed -- fuzz/corpus/explain ...`

use std::path::{Path, PathBuf};

fn main() {
    let dirs: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    let mut texts: Vec<String> = adf_troubleshooter::knowledge::examples()
        .into_values()
        .flat_map(|e| e.matches.into_iter().chain(e.near_miss))
        .collect();
    for set in ["eval.jsonl", "field.jsonl", "foreign.jsonl"] {
        let path = data.join(set);
        let lines = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        texts.extend(lines.lines().filter_map(|line| {
            let case: serde_json::Value = serde_json::from_str(line).ok()?;
            Some(case["text"].as_str()?.to_string())
        }));
    }
    for dir in &dirs {
        std::fs::create_dir_all(dir).expect("a writable corpus directory");
        for (n, text) in texts.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{n:04}")), text).expect("a writable file");
        }
    }
    println!("{} seeds into {} directories", texts.len(), dirs.len());
}
