//! Every entry's own examples: each `match` text ranks the entry first (or ties for first), and no `near_miss`
//! text ranks it first with high confidence.

use adf_troubleshooter::knowledge::{entries, examples};
use adf_troubleshooter::{explain, Confidence};

fn describe(text: &str) -> String {
    let d = explain(text);
    let ranked: Vec<String> = d
        .matches
        .iter()
        .map(|m| format!("{} ({:?}, {})", m.id, m.confidence, m.score))
        .collect();
    format!("got [{}]", ranked.join(", "))
}

fn assert_no_failures(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_example_ranks_its_entry_first() {
    let mut failures = Vec::new();
    for (id, examples) in examples() {
        for text in &examples.matches {
            let d = explain(text);
            // A tie with another entry (two articles describing the same problem) is an honest
            // "one of these", as long as this entry is one of them.
            if !d.tied_with_best().iter().any(|m| m.id == *id) {
                let short: String = text.chars().take(140).collect();
                failures.push(format!(
                    "{id}: example not first: {short:?}\n    {}",
                    describe(text)
                ));
            }
        }
    }
    assert_no_failures(&failures);
}

#[test]
fn no_near_miss_is_a_confident_match() {
    let mut failures = Vec::new();
    for (id, examples) in examples() {
        for text in &examples.near_miss {
            let d = explain(text);
            if let Some(best) = d.matches.first() {
                if best.id == id && best.confidence == Confidence::High {
                    let short: String = text.chars().take(140).collect();
                    failures.push(format!("{id}: near-miss matched high: {short:?}"));
                }
            }
        }
    }
    assert_no_failures(&failures);
}

#[test]
fn every_entry_has_examples_and_guidance() {
    let examples = examples();
    for entry in entries() {
        assert!(
            examples
                .get(&entry.id)
                .is_some_and(|e| !e.matches.is_empty()),
            "{} has no example",
            entry.id
        );
        assert!(
            !entry.resolution.is_empty(),
            "{} has no resolution",
            entry.id
        );
    }
}
