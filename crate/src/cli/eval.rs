//! `eval`: accuracy of the engine on a labelled set, with floors for CI.

use adf_troubleshooter::{explain, Confidence};
use std::io::BufRead;

struct Tally {
    labelled: usize,
    top1: usize,
    top3: usize,
    unlabelled: usize,
    confident_wrong: usize,
    misses: Vec<String>,
}

pub fn run(args: &[String]) -> Result<i32, String> {
    let mut path = None;
    let mut min_top1 = 0.0;
    let mut max_confident_wrong = 1.0;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut number = |name: &str| -> Result<f64, String> {
            rest.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a number between 0 and 1"))
        };
        match arg.as_str() {
            "--min-top1" => min_top1 = number("--min-top1")?,
            "--max-confident-wrong" => max_confident_wrong = number("--max-confident-wrong")?,
            file if !file.starts_with("--") => path = Some(file.to_string()),
            flag => return Err(format!("unknown option `{flag}`")),
        }
    }
    let path = path.ok_or("usage: adf-troubleshooter eval FILE")?;
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut tally = Tally {
        labelled: 0,
        top1: 0,
        top3: 0,
        unlabelled: 0,
        confident_wrong: 0,
        misses: Vec::new(),
    };
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{path}:{}: {e}", number + 1))?;
        let text = case["text"]
            .as_str()
            .ok_or(format!("{path}:{}: no \"text\"", number + 1))?;
        let expected = case["expected"].as_str();
        score_case(&mut tally, number + 1, text, expected);
    }
    let total = tally.labelled + tally.unlabelled;
    if total == 0 {
        return Err(format!("{path} has no cases"));
    }
    let top1 = tally.top1 as f64 / tally.labelled.max(1) as f64;
    let top3 = tally.top3 as f64 / tally.labelled.max(1) as f64;
    let confident_wrong = tally.confident_wrong as f64 / total as f64;
    for miss in &tally.misses {
        println!("{miss}");
    }
    println!(
        "cases: {total} ({} with an expected section, {} with none)",
        tally.labelled, tally.unlabelled
    );
    println!(
        "top-1 accuracy: {:.1}% ({}/{})",
        top1 * 100.0,
        tally.top1,
        tally.labelled
    );
    println!(
        "top-3 accuracy: {:.1}% ({}/{})",
        top3 * 100.0,
        tally.top3,
        tally.labelled
    );
    println!(
        "confident and wrong: {:.1}% ({}/{total})",
        confident_wrong * 100.0,
        tally.confident_wrong
    );
    let passed = top1 >= min_top1 && confident_wrong <= max_confident_wrong;
    if !passed {
        println!(
            "FAILED: floors are top-1 >= {:.0}% and confident-wrong <= {:.0}%",
            min_top1 * 100.0,
            max_confident_wrong * 100.0
        );
    }
    Ok(if passed { 0 } else { 1 })
}

fn score_case(tally: &mut Tally, line: usize, text: &str, expected: Option<&str>) {
    let diagnosis = explain(text);
    let sources: Vec<&str> = diagnosis
        .matches
        .iter()
        .map(|m| m.source.as_str())
        .collect();
    let best = diagnosis.matches.first();
    let best_is_high = best.is_some_and(|m| m.confidence == Confidence::High);
    let short: String = text
        .chars()
        .take(100)
        .collect::<String>()
        .replace('\n', " ");
    match expected {
        Some(expected) => {
            tally.labelled += 1;
            let first = sources.first() == Some(&expected);
            tally.top1 += usize::from(first);
            tally.top3 += usize::from(sources.iter().take(3).any(|s| *s == expected));
            if !first {
                if best_is_high {
                    tally.confident_wrong += 1;
                }
                tally.misses.push(format!(
                    "miss line {line}: expected {expected}\n  got {:?}\n  text {short:?}",
                    best.map(|m| (&m.source, m.confidence))
                ));
            }
        }
        None => {
            tally.unlabelled += 1;
            if best_is_high {
                tally.confident_wrong += 1;
                tally.misses.push(format!(
                    "confident on an unknown error, line {line}: {:?}\n  text {short:?}",
                    best.map(|m| &m.source)
                ));
            }
        }
    }
}
