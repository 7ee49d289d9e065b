//! The engine's answers on the development, field and foreign sets, compared with the committed
//! `tests/data/answers.txt`: a change meant to make the engine faster or smaller must not move
//! any answer. A change meant to move answers (knowledge, scoring) regenerates the file with
//! `UPDATE_ANSWERS=1 cargo test -p adf-troubleshooter --test answers`, and its diff shows which
//! cases moved.

use adf_troubleshooter::explain;
use std::fmt::Write;
use std::path::PathBuf;

/// One line per case: set, line, then the first three matches as `id:confidence`.
fn answers(data: &std::path::Path) -> String {
    let mut out = String::new();
    for set in ["eval", "field", "foreign"] {
        let text = std::fs::read_to_string(data.join(format!("{set}.jsonl"))).unwrap();
        for (number, line) in text.lines().enumerate() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let diagnosis = explain(case["text"].as_str().unwrap_or_default());
            let best: Vec<String> = diagnosis
                .matches
                .iter()
                .take(3)
                .map(|m| format!("{}:{:?}", m.id, m.confidence).to_lowercase())
                .collect();
            let _ = writeln!(out, "{set} {} {}", number + 1, best.join(" "));
        }
    }
    out
}

#[test]
fn answers_match_the_committed_ones() {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data");
    let now = answers(&data);
    let path = data.join("answers.txt");
    if std::env::var_os("UPDATE_ANSWERS").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let moved: Vec<String> = committed
        .lines()
        .zip(now.lines())
        .filter(|(a, b)| a != b)
        .take(20)
        .map(|(a, b)| format!("  was {a}\n  now {b}"))
        .collect();
    assert!(
        committed == now,
        "answers moved ({} lines now, {} committed); if intended, run UPDATE_ANSWERS=1 cargo test -p adf-troubleshooter --test answers\n{}",
        now.lines().count(),
        committed.lines().count(),
        moved.join("\n")
    );
}
