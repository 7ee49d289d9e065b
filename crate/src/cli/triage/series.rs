//! The chart's data: failures per time bucket (hour, day or week) and problem.

// Hours over a short span, days, or weeks over a long one: enough bars to see a pattern, few
// enough to draw.

use super::grouping::{Occurrences, Report};
use super::time::{self, Millis, DAY, HOUR};

pub struct Series {
    pub name: String,
    pub counts: Vec<u64>,
}

pub struct Chart {
    /// The length of a bucket: an hour, a day or a week.
    pub bucket: Millis,
    /// The start of every bucket from the first failure's to the last one's.
    pub starts: Vec<Millis>,
    pub series: Vec<Series>,
}

/// Buckets drawn at most.
const MAX_BUCKETS: i64 = 400;

/// Series shown apart; the other known problems share one.
pub const MAX_SERIES: usize = 6;

impl Chart {
    pub fn label(&self, start: Millis) -> String {
        if self.bucket == HOUR {
            time::hour(start)
        } else {
            time::day(start)
        }
    }

    pub fn unit(&self) -> &'static str {
        match self.bucket {
            HOUR => "hour",
            DAY => "day",
            b if b == 7 * DAY => "week",
            _ => "period",
        }
    }

    pub fn total(&self, i: usize) -> u64 {
        self.series.iter().map(|s| s.counts[i]).sum()
    }
}

/// The chart of a report; `None` when no failure has a time.
pub fn chart(report: &Report, top: usize) -> Option<Chart> {
    let first = report.totals.first_seen?;
    let last = report.totals.last_seen?;
    let span = last - first;
    let bucket = if span <= 3 * DAY {
        HOUR
    } else if span <= 400 * DAY {
        DAY
    } else {
        // Weeks, or longer buckets of whole weeks when even weeks would be too many to draw.
        7 * DAY * (span / (7 * DAY) / MAX_BUCKETS + 1)
    };
    // Weeks start on the Monday of the Unix epoch's week (1970-01-01 was a Thursday).
    let offset = if bucket >= 7 * DAY { 3 * DAY } else { 0 };
    let floor = |t: Millis| (t + offset).div_euclid(bucket) * bucket - offset;
    let starts: Vec<Millis> = (0..)
        .map(|i| floor(first) + i * bucket)
        .take_while(|&s| s <= floor(last))
        .collect();
    let index = |t: Millis| ((floor(t) - floor(first)) / bucket) as usize;
    let counts = |seen: &[&Occurrences]| {
        let mut counts = vec![0; starts.len()];
        for occurrences in seen {
            for (&hour, &n) in &occurrences.per_hour {
                if let Some(c) = counts.get_mut(index(hour)) {
                    *c += n;
                }
            }
        }
        counts
    };
    let shown = top.clamp(1, MAX_SERIES);
    let mut series: Vec<Series> = report
        .groups
        .iter()
        .take(shown)
        .map(|g| Series {
            name: g.title.clone(),
            counts: counts(&[&g.seen]),
        })
        .collect();
    let rest: Vec<&Occurrences> = report.groups.iter().skip(shown).map(|g| &g.seen).collect();
    if !rest.is_empty() {
        series.push(Series {
            name: "Other known problems".into(),
            counts: counts(&rest),
        });
    }
    let unexplained: Vec<&Occurrences> = report.unexplained.iter().map(|c| &c.seen).collect();
    if !unexplained.is_empty() {
        series.push(Series {
            name: "Not explained by the knowledge".into(),
            counts: counts(&unexplained),
        });
    }
    series.retain(|s| s.counts.iter().any(|&c| c > 0));
    Some(Chart {
        bucket,
        starts,
        series,
    })
}
