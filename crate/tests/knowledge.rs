//! One test per knowledge entry, named by its id: each `match` example ranks the entry first (or
//! ties for first), no `near_miss` example ranks it first with high confidence, and the entry
//! has guidance to show.
//!
//! `cargo test --test knowledge -- <id>` checks one entry.

use adf_troubleshooter::knowledge::{entries, examples, Entry, Examples};
use adf_troubleshooter::{explain, Confidence};
use libtest_mimic::{Arguments, Failed, Trial};

fn describe(text: &str) -> String {
    let ranked: Vec<String> = explain(text)
        .matches
        .iter()
        .map(|m| format!("{} ({:?}, {})", m.id, m.confidence, m.score))
        .collect();
    format!("got [{}]", ranked.join(", "))
}

fn short(text: &str) -> String {
    text.chars().take(140).collect()
}

fn check(entry: &Entry, examples: Option<&Examples>) -> Result<(), Failed> {
    let id = entry.id.as_str();
    let mut failures = Vec::new();
    let Some(examples) = examples.filter(|e| !e.matches.is_empty()) else {
        return Err("the entry has no `examples.match` text".into());
    };
    if entry.resolution.is_empty() {
        failures.push("the entry has no resolution steps".to_string());
    }
    for text in &examples.matches {
        // A tie with another entry (two articles describing the same problem) is an honest
        // "one of these", as long as this entry is one of them.
        if !explain(text).tied_with_best().iter().any(|m| m.id == id) {
            failures.push(format!(
                "example not first: {:?}\n    {}",
                short(text),
                describe(text)
            ));
        }
    }
    for text in &examples.near_miss {
        let d = explain(text);
        if d.matches
            .first()
            .is_some_and(|best| best.id == id && best.confidence == Confidence::High)
        {
            failures.push(format!("near miss matched high: {:?}", short(text)));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n").into())
    }
}

fn main() {
    let arguments = Arguments::from_args();
    let examples = examples();
    let trials = entries()
        .iter()
        .map(|entry| {
            let own = examples.get(&entry.id).cloned();
            Trial::test(entry.id.clone(), move || check(entry, own.as_ref()))
        })
        .collect();
    libtest_mimic::run(&arguments, trials).exit();
}
