//! `eval`: accuracy of the engine on a labelled set, with floors for CI.
//!
//! A case is `{"text": ..., "expected": URL | [URL, ...] | null}`: one Learn section, several
//! that fit equally (any of them is right), or none. Cases whose section the knowledge base does
//! not hold yet cannot be answered; they are counted apart, not in the accuracy figures.

use super::input::{self, Line};
use adf_troubleshooter::secrets::mask;
use adf_troubleshooter::{explain, knowledge, Confidence};
use clap::Args;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(Default)]
struct Tally {
    /// Cases whose expected section is in the knowledge base.
    answerable: usize,
    top1: usize,
    top3: usize,
    /// Cases with an expected section the knowledge base does not hold.
    not_in_knowledge: usize,
    not_in_knowledge_high: usize,
    unlabelled: usize,
    confident_wrong: usize,
    high: usize,
    misses: Vec<String>,
}

#[derive(Args)]
pub struct EvalArgs {
    /// The evaluation set: one JSON object {"text", "expected"} per line
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Lowest share of answerable cases whose expected section comes first
    #[arg(long, value_name = "SHARE", value_parser = share, default_value_t = 0.0, allow_negative_numbers = true)]
    min_top1: f64,
    /// Lowest share of answerable cases whose expected section is among the first three
    #[arg(long, value_name = "SHARE", value_parser = share, default_value_t = 0.0, allow_negative_numbers = true)]
    min_top3: f64,
    /// Highest share of cases answered wrongly with high confidence
    #[arg(long, value_name = "SHARE", value_parser = share, default_value_t = 1.0, allow_negative_numbers = true)]
    max_confident_wrong: f64,
    /// Highest share of cases answered with high confidence at all (for sets of other tools' errors)
    #[arg(long, value_name = "SHARE", value_parser = share, default_value_t = 1.0, allow_negative_numbers = true)]
    max_high: f64,
    /// Print only the summary, not each miss
    #[arg(long)]
    quiet: bool,
}

/// A floor: a number from 0 to 1. `90` or `90%` would silently pass or fail every run.
fn share(value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|v| (0.0..=1.0).contains(v))
        .ok_or_else(|| "expected a number between 0 and 1 (0.9 is 90%)".to_string())
}

pub fn run(args: &EvalArgs) -> Result<i32, String> {
    let path = args.file.display().to_string();
    let mut reader = input::open(Some(&args.file))?;
    let known: HashSet<&str> = knowledge::entries()
        .iter()
        .map(|e| e.source.as_str())
        .collect();
    let mut tally = Tally::default();
    let (mut buffer, mut number) = (Vec::new(), 0);
    while let Some(line) = input::next_line(&mut reader, &mut buffer).map_err(|e| e.to_string())? {
        number += 1;
        let at = format!("{path}:{number}");
        let Line::Text(line) = line else {
            return Err(format!(
                "{at}: longer than {} MB",
                input::MAX_INPUT_BYTES >> 20
            ));
        };
        if line.trim().is_empty() {
            continue;
        }
        let (case, _) = input::parse_json_line(&line).map_err(|e| format!("{at}: {e}"))?;
        let text = case["text"].as_str().ok_or(format!("{at}: no \"text\""))?;
        let expected: Vec<&str> = match &case["expected"] {
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::String(url) => vec![url.as_str()],
            serde_json::Value::Array(urls) => urls
                .iter()
                .map(|u| {
                    u.as_str()
                        .ok_or(format!("{at}: \"expected\" lists a non-string"))
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(format!(
                    "{at}: \"expected\" is a URL, a list of URLs or null"
                ))
            }
        };
        score_case(&mut tally, number, text, &expected, &known);
    }
    let total = tally.answerable + tally.not_in_knowledge + tally.unlabelled;
    if total == 0 {
        return Err(format!("{path} has no cases"));
    }
    let share = |n: usize, of: usize| n as f64 / of.max(1) as f64;
    let top1 = share(tally.top1, tally.answerable);
    let top3 = share(tally.top3, tally.answerable);
    let confident_wrong = share(tally.confident_wrong, total);
    let high = share(tally.high, total);
    if !args.quiet {
        for miss in &tally.misses {
            println!("{miss}");
        }
    }
    println!(
        "cases: {total} ({} answerable from the knowledge base, {} whose section it does not hold yet, {} with no section)",
        tally.answerable, tally.not_in_knowledge, tally.unlabelled
    );
    let percent = |x: f64| x * 100.0;
    println!(
        "top-1 accuracy: {:.1}% ({}/{})",
        percent(top1),
        tally.top1,
        tally.answerable
    );
    println!(
        "top-3 accuracy: {:.1}% ({}/{})",
        percent(top3),
        tally.top3,
        tally.answerable
    );
    println!(
        "confident and wrong: {:.1}% ({}/{total}; {} of them on sections the knowledge base does not hold)",
        percent(confident_wrong),
        tally.confident_wrong,
        tally.not_in_knowledge_high
    );
    println!(
        "answered with high confidence: {:.1}% ({}/{total})",
        percent(high),
        tally.high
    );
    let checks = [
        (
            "top-1",
            top1 >= args.min_top1,
            format!(">= {:.0}%", percent(args.min_top1)),
        ),
        (
            "top-3",
            top3 >= args.min_top3,
            format!(">= {:.0}%", percent(args.min_top3)),
        ),
        (
            "confident-wrong",
            confident_wrong <= args.max_confident_wrong,
            format!("<= {:.0}%", percent(args.max_confident_wrong)),
        ),
        (
            "high",
            high <= args.max_high,
            format!("<= {:.0}%", percent(args.max_high)),
        ),
    ];
    let failed: Vec<String> = checks
        .iter()
        .filter(|(_, ok, _)| !ok)
        .map(|(name, _, floor)| format!("{name} {floor}"))
        .collect();
    if failed.is_empty() {
        Ok(0)
    } else {
        println!("FAILED: floors not met: {}", failed.join(", "));
        Ok(1)
    }
}

fn score_case(
    tally: &mut Tally,
    line: usize,
    text: &str,
    expected: &[&str],
    known: &HashSet<&str>,
) {
    let diagnosis = explain(text);
    let sources: Vec<&str> = diagnosis
        .matches
        .iter()
        .map(|m| m.source.as_str())
        .collect();
    let best = diagnosis.matches.first();
    let best_is_high = best.is_some_and(|m| m.confidence == Confidence::High);
    tally.high += usize::from(best_is_high);
    // Secrets masked; `{short:?}` below escapes control characters.
    let short: String = mask(text)
        .chars()
        .take(100)
        .collect::<String>()
        .replace('\n', " ");
    let got = best.map(|m| (&m.source, m.confidence));
    if expected.is_empty() {
        tally.unlabelled += 1;
        if best_is_high {
            tally.confident_wrong += 1;
            tally.misses.push(format!(
                "confident on an error with no section, line {line}: {:?}\n  text {short:?}",
                best.map(|m| &m.source)
            ));
        }
        return;
    }
    let right = |source: &&str| expected.contains(source);
    if !expected.iter().any(|e| known.contains(e)) {
        tally.not_in_knowledge += 1;
        if best_is_high && !sources.first().is_some_and(right) {
            tally.confident_wrong += 1;
            tally.not_in_knowledge_high += 1;
            tally.misses.push(format!(
                "confident on a section the knowledge base does not hold, line {line}: expected {expected:?}\n  got {got:?}\n  text {short:?}"
            ));
        }
        return;
    }
    tally.answerable += 1;
    let first = sources.first().is_some_and(right);
    tally.top1 += usize::from(first);
    tally.top3 += usize::from(sources.iter().take(3).any(right));
    if !first {
        if best_is_high {
            tally.confident_wrong += 1;
        }
        tally.misses.push(format!(
            "miss line {line}: expected {expected:?}\n  got {got:?}\n  text {short:?}"
        ));
    }
}
