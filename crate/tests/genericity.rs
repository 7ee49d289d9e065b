//! Generic evidence is known: every code or message of the knowledge base that real errors of
//! other tools show (`tests/data/foreign.jsonl`) is flagged `generic` in its entry, so it can
//! support an answer but never decide one.

use adf_troubleshooter::explain;
use std::path::PathBuf;

#[test]
fn what_other_tools_print_is_flagged_generic() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/foreign.jsonl");
    let cases = std::fs::read_to_string(&path).expect("the foreign set is in the repository");
    let mut unflagged = Vec::new();
    for (number, line) in cases
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let text = case["text"].as_str().expect("a text");
        for m in explain(text).matches {
            for e in m.evidence {
                let decisive_shape = matches!(
                    (e.signal, e.how),
                    ("message", "whole" | "truncated") | ("code", "in-position")
                );
                if decisive_shape && !e.generic {
                    unflagged.push(format!(
                        "line {}: {} {:?} of `{}`",
                        number + 1,
                        e.signal,
                        e.value,
                        m.id
                    ));
                }
            }
        }
    }
    assert!(
        unflagged.is_empty(),
        "flag these as `generic` in their entries (they appear in other tools' errors):\n{}",
        unflagged.join("\n")
    );
}
