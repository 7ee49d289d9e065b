//! The engine over many failures: each distinct error text diagnosed once, in parallel.

// A night of logs repeats the same few errors many times: diagnosing each text once is most of
// the speed, and the cache is bounded so that logs of all-different texts still fit in memory.

use super::clustering;
use super::grouping::Verdict;
use super::record::Run;
use adf_troubleshooter::{explain, secrets, Confidence};
use rayon::prelude::*;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Answers kept; when full the cache starts over (recurring texts come back at once), so memory
/// stays bounded when every text is different.
const MAX_CACHED: usize = 500_000;

#[derive(Default)]
pub struct Diagnoser {
    cache: HashMap<u64, Verdict>,
    /// Distinct texts diagnosed so far.
    pub diagnosed: u64,
}

/// The identity of a run's error text: the fields it is built from, hashed without building it.
fn key(run: &Run) -> u64 {
    let mut hasher = DefaultHasher::new();
    (&run.error_code, &run.message, &run.failure_type).hash(&mut hasher);
    hasher.finish()
}

impl Diagnoser {
    /// The verdict for each run of a batch, in order.
    pub fn verdicts(&mut self, runs: &[&Run]) -> Vec<Verdict> {
        let texts: Vec<(u64, &Run)> = runs.par_iter().map(|run| (key(run), *run)).collect();
        let mut new: Vec<(u64, &Run)> = Vec::new();
        let mut queued = std::collections::HashSet::new();
        for &(k, run) in &texts {
            if !self.cache.contains_key(&k) && queued.insert(k) {
                new.push((k, run));
            }
        }
        if self.cache.len() + new.len() > MAX_CACHED {
            self.cache.clear();
            self.cache.shrink_to(MAX_CACHED / 4);
        }
        let answers: Vec<(u64, Verdict)> = new
            .into_par_iter()
            .map(|(k, run)| (k, verdict(run)))
            .collect();
        self.diagnosed += answers.len() as u64;
        // A batch's own texts must be found even if the cache was just cleared.
        let batch: HashMap<u64, Verdict> = answers.into_iter().collect();
        let out = texts
            .iter()
            .map(|(k, run)| {
                batch
                    .get(k)
                    .or_else(|| self.cache.get(k))
                    .cloned()
                    .unwrap_or_else(|| unknown(run))
            })
            .collect();
        self.cache.extend(batch);
        out
    }
}

/// A known problem when the engine's best match is medium or better; otherwise the template.
fn verdict(run: &Run) -> Verdict {
    let text = run.error_text();
    // An engine bug on one text must not end a run over a night of logs: that text becomes
    // unexplained instead.
    let best = std::panic::catch_unwind(|| {
        explain(&text)
            .matches
            .into_iter()
            .next()
            .map(|m| (m.id, m.confidence))
    })
    .ok()
    .flatten();
    match best {
        Some((id, confidence @ (Confidence::High | Confidence::Medium))) => {
            match adf_troubleshooter::knowledge::entry(&id) {
                Some(entry) => Verdict::Known {
                    id: entry.id.as_str(),
                    confidence,
                },
                None => unknown(run),
            }
        }
        _ => unknown(run),
    }
}

fn unknown(run: &Run) -> Verdict {
    let template = clustering::template(&secrets::mask(&run.message));
    let template = if run.error_code.is_empty() {
        template
    } else {
        format!("[{}] {template}", secrets::mask(&run.error_code))
    };
    Verdict::Unknown {
        template: Arc::from(template),
    }
}
