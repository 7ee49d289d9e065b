//! The report's content: failures grouped by known problem or template, secrets masked.

// Every text taken from the logs is masked of secrets here, once, so no renderer can show one.

use super::record::Run;
use super::time::{self, Millis};
use adf_troubleshooter::knowledge::{self, BlockKind};
use adf_troubleshooter::secrets;
use adf_troubleshooter::Confidence;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Distinct names kept per group and column; more are counted as `others`.
const MAX_NAMES: usize = 200;
/// Example runs kept per group.
const MAX_EXAMPLES: usize = 3;
/// Malformed records listed (all are counted).
pub const MAX_MALFORMED_LISTED: usize = 1000;
/// Unexplained clusters kept; failures of further templates are counted in the last one.
const MAX_CLUSTERS: usize = 1000;

/// How many times each name occurs, most frequent first when written.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    counts: HashMap<String, u64>,
    others: u64,
}

impl Tally {
    fn add(&mut self, name: &str) {
        if name.is_empty() {
            return;
        }
        // Keys are masked names; a name equal to one holds no secret, so the common case costs
        // no masking.
        if let Some(count) = self.counts.get_mut(name) {
            *count += 1;
            return;
        }
        // Names are masked too: a linked service or activity may be named after a connection.
        let name = secrets::mask(name);
        if let Some(count) = self.counts.get_mut(&name) {
            *count += 1;
        } else if self.counts.len() < MAX_NAMES {
            self.counts.insert(name, 1);
        } else {
            self.others += 1;
        }
    }

    /// Names with their counts, most frequent first (ties by name).
    pub fn sorted(&self) -> Vec<(&str, u64)> {
        let mut all: Vec<(&str, u64)> = self.counts.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        all.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        all
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// `name (count), ...` for the first `n`, with how many more.
    pub fn summary(&self, n: usize) -> String {
        let sorted = self.sorted();
        let mut parts: Vec<String> = sorted
            .iter()
            .take(n)
            .map(|(name, count)| format!("{name} ({count})"))
            .collect();
        let more = sorted.len().saturating_sub(n) + usize::from(self.others > 0);
        if more > 0 {
            parts.push(format!("+{more} more"));
        }
        parts.join(", ")
    }
}

impl Serialize for Tally {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut sorted: Vec<serde_json::Value> = self
            .sorted()
            .into_iter()
            .map(|(name, count)| serde_json::json!({"name": name, "count": count}))
            .collect();
        if self.others > 0 {
            sorted.push(serde_json::json!({"name": null, "count": self.others, "others": true}));
        }
        sorted.serialize(s)
    }
}

/// One failed run named as an example.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    pub activity_run_id: String,
    pub pipeline_run_id: String,
    pub pipeline: String,
    pub activity: String,
    #[serde(serialize_with = "iso_opt")]
    pub time: Option<Millis>,
}

fn iso_opt<S: serde::Serializer>(t: &Option<Millis>, s: S) -> Result<S::Ok, S::Error> {
    t.map(time::iso).serialize(s)
}

/// What groups and clusters share: counts and where and when.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Occurrences {
    pub count: u64,
    pub pipelines: Tally,
    pub activities: Tally,
    pub activity_types: Tally,
    pub integration_runtimes: Tally,
    pub error_codes: Tally,
    #[serde(serialize_with = "iso_opt")]
    pub first_seen: Option<Millis>,
    #[serde(serialize_with = "iso_opt")]
    pub last_seen: Option<Millis>,
    pub examples: Vec<Example>,
    /// The message of the earliest example, masked.
    pub example_message: String,
    /// Failures per hour (start of the hour, in milliseconds), for the chart.
    #[serde(skip)]
    pub per_hour: BTreeMap<Millis, u64>,
}

impl Occurrences {
    fn add(&mut self, run: &Run) {
        self.count += 1;
        self.pipelines.add(&run.pipeline);
        self.activities.add(&run.activity);
        self.activity_types.add(&run.activity_type);
        self.integration_runtimes.add(&run.runtime);
        self.error_codes.add(&run.error_code);
        if let Some(at) = run.start {
            self.first_seen = Some(self.first_seen.map_or(at, |f| f.min(at)));
            self.last_seen = Some(self.last_seen.map_or(at, |l| l.max(at)));
            *self
                .per_hour
                .entry(at.div_euclid(time::HOUR) * time::HOUR)
                .or_default() += 1;
        }
        // The earliest runs are the examples (those without a time last), so that every run
        // over the same input names the same ones, whatever order the files were read in.
        // A run exported twice (overlapping exports) is one example.
        if !run.activity_run_id.is_empty()
            && self
                .examples
                .iter()
                .any(|e| e.activity_run_id == run.activity_run_id)
        {
            return;
        }
        let key = |e: &Example| (e.time.is_none(), e.time, e.activity_run_id.clone());
        let candidate = Example {
            activity_run_id: run.activity_run_id.clone(),
            pipeline_run_id: run.pipeline_run_id.clone(),
            pipeline: secrets::mask(&run.pipeline),
            activity: secrets::mask(&run.activity),
            time: run.start,
        };
        let position = self
            .examples
            .iter()
            .position(|e| key(&candidate) < key(e))
            .unwrap_or(self.examples.len());
        if position < MAX_EXAMPLES {
            if position == 0 {
                self.example_message = secrets::mask(&run.message);
            }
            self.examples.insert(position, candidate);
            self.examples.truncate(MAX_EXAMPLES);
        }
    }
}

/// Failures one knowledge entry explains.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub title: String,
    pub source: String,
    /// How many were matched with high and with medium confidence.
    pub high: u64,
    pub medium: u64,
    pub cause: Vec<String>,
    /// The fix: numbered steps, with notes attached.
    pub steps: Vec<String>,
    #[serde(flatten)]
    pub seen: Occurrences,
}

/// Failures no entry explains with medium confidence or better, sharing a message template.
#[derive(Debug, Clone, Serialize)]
pub struct Cluster {
    pub template: String,
    #[serde(flatten)]
    pub seen: Occurrences,
}

#[derive(Debug, Clone, Serialize)]
pub struct Malformed {
    pub file: String,
    pub line: usize,
    pub reason: String,
}

/// Per input file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileSummary {
    pub file: String,
    pub format: Option<&'static str>,
    pub records: u64,
    pub failures: u64,
    pub skipped: u64,
    pub malformed: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Records read (failures, other runs and malformed ones).
    pub records: u64,
    /// Failed runs within the filters.
    pub failures: u64,
    /// Runs that did not fail.
    pub skipped: u64,
    pub malformed: u64,
    /// Failed runs outside --since/--until/--pipeline.
    pub filtered_out: u64,
    pub explained: u64,
    pub unexplained: u64,
    /// Distinct error texts, each diagnosed once.
    pub distinct_texts: u64,
    #[serde(serialize_with = "iso_opt")]
    pub first_seen: Option<Millis>,
    #[serde(serialize_with = "iso_opt")]
    pub last_seen: Option<Millis>,
}

impl Totals {
    /// `, N failures outside the filters`, or nothing when the filters left none out: the
    /// ending every output's summary line shares.
    pub fn outside_filters(&self) -> String {
        if self.filtered_out > 0 {
            format!(", {} failures outside the filters", self.filtered_out)
        } else {
            String::new()
        }
    }
}

/// The filters as given, for the report's heading.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Filters {
    #[serde(serialize_with = "iso_opt", skip_serializing_if = "Option::is_none")]
    pub since: Option<Millis>,
    #[serde(serialize_with = "iso_opt", skip_serializing_if = "Option::is_none")]
    pub until: Option<Millis>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<String>,
}

impl Filters {
    pub fn admits(&self, run: &Run) -> bool {
        let in_time = match run.start {
            Some(at) => self.since.is_none_or(|s| at >= s) && self.until.is_none_or(|u| at < u),
            // A run without a time cannot be shown to be inside a window.
            None => self.since.is_none() && self.until.is_none(),
        };
        in_time
            && (self.pipelines.is_empty()
                || self.pipelines.iter().any(|p| wildcard(p, &run.pipeline)))
    }
}

/// Case-insensitive match where `*` stands for any text.
fn wildcard(pattern: &str, name: &str) -> bool {
    let (pattern, name) = (pattern.to_lowercase(), name.to_lowercase());
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let mut rest = name.as_str();
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// The whole report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub totals: Totals,
    pub filters: Filters,
    pub files: Vec<FileSummary>,
    /// Known problems, most failures first.
    pub groups: Vec<Group>,
    /// Unexplained failures by template, most failures first.
    pub unexplained: Vec<Cluster>,
    /// The first malformed records (all are counted in `totals.malformed`).
    pub malformed: Vec<Malformed>,
}

/// What the engine said about one distinct error text.
#[derive(Debug, Clone)]
pub enum Verdict {
    Known {
        id: &'static str,
        confidence: Confidence,
    },
    Unknown {
        template: std::sync::Arc<str>,
    },
}

/// Builds the report one failure at a time.
#[derive(Default)]
pub struct Grouping {
    pub report: Report,
    groups: HashMap<&'static str, Group>,
    clusters: HashMap<std::sync::Arc<str>, Cluster>,
}

impl Grouping {
    pub fn add(&mut self, run: &Run, verdict: &Verdict) {
        let totals = &mut self.report.totals;
        totals.failures += 1;
        if let Some(at) = run.start {
            totals.first_seen = Some(totals.first_seen.map_or(at, |f| f.min(at)));
            totals.last_seen = Some(totals.last_seen.map_or(at, |l| l.max(at)));
        }
        match verdict {
            Verdict::Known { id, confidence } => {
                totals.explained += 1;
                let group = self.groups.entry(id).or_insert_with(|| new_group(id));
                match confidence {
                    Confidence::High => group.high += 1,
                    _ => group.medium += 1,
                }
                group.seen.add(run);
            }
            Verdict::Unknown { template } => {
                totals.unexplained += 1;
                let key = if self.clusters.len() < MAX_CLUSTERS
                    || self.clusters.contains_key(template)
                {
                    template.clone()
                } else {
                    std::sync::Arc::from("(other messages: too many distinct templates to list)")
                };
                let cluster = self.clusters.entry(key.clone()).or_insert_with(|| Cluster {
                    template: key.to_string(),
                    seen: Occurrences::default(),
                });
                cluster.seen.add(run);
            }
        }
    }

    pub fn malformed(&mut self, file: &str, line: usize, reason: String) {
        self.report.totals.malformed += 1;
        if self.report.malformed.len() < MAX_MALFORMED_LISTED {
            self.report.malformed.push(Malformed {
                file: file.to_string(),
                line,
                reason: secrets::mask(&reason),
            });
        }
    }

    /// The report, groups and clusters ordered by count (ties by name, for stable output).
    pub fn finish(mut self) -> Report {
        let mut groups: Vec<Group> = self.groups.into_values().collect();
        groups.sort_by(|a, b| b.seen.count.cmp(&a.seen.count).then(a.id.cmp(&b.id)));
        let mut clusters: Vec<Cluster> = self.clusters.into_values().collect();
        clusters.sort_by(|a, b| {
            b.seen
                .count
                .cmp(&a.seen.count)
                .then(a.template.cmp(&b.template))
        });
        self.report.groups = groups;
        self.report.unexplained = clusters;
        self.report
    }
}

fn new_group(id: &str) -> Group {
    let entry = knowledge::entry(id);
    let text = |blocks: &[knowledge::Block]| -> Vec<String> {
        let mut number = 0;
        blocks
            .iter()
            .map(|b| match b.kind {
                BlockKind::Step => {
                    number += 1;
                    format!("{number}. {}", b.text())
                }
                BlockKind::Bullet => format!("- {}", b.text()),
                _ => b.text().to_string(),
            })
            .collect()
    };
    Group {
        id: id.to_string(),
        title: entry.map(|e| e.title.clone()).unwrap_or_default(),
        source: entry.map(|e| e.source.clone()).unwrap_or_default(),
        high: 0,
        medium: 0,
        cause: entry.map(|e| text(&e.cause)).unwrap_or_default(),
        steps: entry.map(|e| text(&e.resolution)).unwrap_or_default(),
        seen: Occurrences::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipeline_filters_take_wildcards() {
        for (pattern, name, expected) in [
            ("PL_Load_*", "pl_load_sales", true),
            ("*sales*", "PL_Load_Sales_Daily", true),
            ("PL_Load", "PL_Load_Sales", false),
            ("*_daily", "PL_Sales_Daily", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxc", false),
        ] {
            assert_eq!(wildcard(pattern, name), expected, "{pattern} {name}");
        }
    }

    #[test]
    fn examples_are_the_earliest_runs() {
        let mut seen = Occurrences::default();
        for (id, at) in [
            ("c", Some(3)),
            ("x", None),
            ("a", Some(1)),
            ("d", Some(4)),
            ("b", Some(2)),
        ] {
            seen.add(&Run {
                activity_run_id: id.into(),
                start: at,
                message: format!("m{id}"),
                ..Run::default()
            });
        }
        let ids: Vec<&str> = seen
            .examples
            .iter()
            .map(|e| e.activity_run_id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(seen.example_message, "ma");
        assert_eq!((seen.first_seen, seen.last_seen), (Some(1), Some(4)));
    }
}
