//! `eval`: accuracy of the engine on a labelled set, with floors for CI.
//!
//! A case is `{"text": ..., "expected": URL | [URL, ...] | null}`: one Learn section, several
//! that fit equally (any of them is right), or none. Cases whose section the knowledge base does
//! not hold yet cannot be answered; they are counted apart, not in the accuracy figures.

use adf_troubleshooter::{explain, knowledge, Confidence};
use std::collections::HashSet;
use std::io::BufRead;

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

struct Floors {
    min_top1: f64,
    min_top3: f64,
    max_confident_wrong: f64,
    max_high: f64,
}

pub fn run(args: &[String]) -> Result<i32, String> {
    let mut path = None;
    let mut floors = Floors {
        min_top1: 0.0,
        min_top3: 0.0,
        max_confident_wrong: 1.0,
        max_high: 1.0,
    };
    let mut quiet = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut number = |name: &str| -> Result<f64, String> {
            rest.next()
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| (0.0..=1.0).contains(v))
                .ok_or(format!("{name} needs a number between 0 and 1"))
        };
        match arg.as_str() {
            "--min-top1" => floors.min_top1 = number("--min-top1")?,
            "--min-top3" => floors.min_top3 = number("--min-top3")?,
            "--max-confident-wrong" => {
                floors.max_confident_wrong = number("--max-confident-wrong")?
            }
            "--max-high" => floors.max_high = number("--max-high")?,
            "--quiet" => quiet = true,
            file if !file.starts_with("--") && path.is_none() => path = Some(file.to_string()),
            file if !file.starts_with("--") => {
                return Err(format!("unexpected argument `{file}`: eval takes one FILE"))
            }
            flag => return Err(format!("unknown option `{flag}`")),
        }
    }
    let path = path.ok_or("usage: adf-troubleshooter eval FILE")?;
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let known: HashSet<&str> = knowledge::entries()
        .iter()
        .map(|e| e.source.as_str())
        .collect();
    let mut tally = Tally::default();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let at = format!("{path}:{}", number + 1);
        let case: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{at}: {e}"))?;
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
        score_case(&mut tally, number + 1, text, &expected, &known);
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
    if !quiet {
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
            top1 >= floors.min_top1,
            format!(">= {:.0}%", percent(floors.min_top1)),
        ),
        (
            "top-3",
            top3 >= floors.min_top3,
            format!(">= {:.0}%", percent(floors.min_top3)),
        ),
        (
            "confident-wrong",
            confident_wrong <= floors.max_confident_wrong,
            format!("<= {:.0}%", percent(floors.max_confident_wrong)),
        ),
        (
            "high",
            high <= floors.max_high,
            format!("<= {:.0}%", percent(floors.max_high)),
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
    let short: String = text
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
