//! Benchmarks of the native engine (criterion), run by
//! `cargo bench --config 'profile.bench.panic="unwind"' -p adf-troubleshooter --bench explain`
//! (the override keeps Cargo from building the library twice into one file, once aborting for
//! the binary as `[profile.release]` says and once unwinding for the bench):
//!
//! - `explain/input/<size>`: one diagnosis of a 1 KB, 10 KB, 100 KB, 1 MB and 5 MB text (a
//!   self-hosted IR log with the first case of `tests/data/eval.jsonl` at its end);
//! - `explain/eval_set`: every text of `tests/data/eval.jsonl`, one after the other;
//! - `scaling/startup/<n>x`: reading the compiled knowledge (entries, index, related-text tables,
//!   as `build.rs` writes them and the engine reads them) for the real knowledge base (1x) and a
//!   synthetic one 10x its size (100x: in the JSON pass below);
//! - `scaling/eval_set/<n>x`: the evaluation texts ranked against those knowledge bases.
//!
//! With `ADF_BENCH_JSON=<file>` (as `node bench/run.mjs` sets it) the bench then measures, and
//! writes to that file as JSON: the latency of every evaluation text on its own (diagnosis and
//! card, the work of the wasm binding's `explain`) for medians and 95th percentiles; where the
//! time of each input size goes (cleaning, facts, ranking, card); start-up, per-query latency and
//! accuracy at each scale (1x, 10x, 100x); the alternatives to reading compiled knowledge
//! (building everything at start from JSON, automata of whole literals); and the native
//! accuracy. The padded inputs are built
//! by the same recipe as `bench/lib/inputs.mjs`, so native and wasm numbers are for identical
//! texts.
//!
//! With `ADF_BENCH_QUERY_SCALES=1,10` it only prints the scaling query medians at those scales
//! (as the JSON pass measures them; in CPU time with `ADF_BENCH_CPU=1`), to compare two builds.

use adf_troubleshooter::automaton::{Automaton, CompactAutomaton};
use adf_troubleshooter::card::Card;
use adf_troubleshooter::facts;
use adf_troubleshooter::knowledge::{self, compiled, Entries, Entry};
use adf_troubleshooter::matcher::Index;
use adf_troubleshooter::normalize::Normalized;
use adf_troubleshooter::suggest::Related;
use adf_troubleshooter::Confidence;
use criterion::{black_box, BenchmarkId, Criterion, SamplingMode, Throughput};
use std::time::{Duration, Instant};

const EVAL: &str = include_str!("../../tests/data/eval.jsonl");

/// Input sizes: name and bytes.
const SIZES: &[(&str, usize)] = &[
    ("1KB", 1024),
    ("10KB", 10 * 1024),
    ("100KB", 100 * 1024),
    ("1MB", 1024 * 1024),
    ("5MB", 5 * 1024 * 1024),
];
const SCALES: &[usize] = &[1, 10, 100];

struct Case {
    text: String,
    expected: Option<String>,
}

fn eval_cases() -> Vec<Case> {
    EVAL.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("eval line is JSON");
            Case {
                text: v["text"].as_str().expect("eval text").to_string(),
                expected: v["expected"].as_str().map(str::to_string),
            }
        })
        .collect()
}

/// One line of a self-hosted integration runtime log without any error in it.
fn noise_line(i: usize) -> String {
    format!(
        "[2024-06-12 08:{:02}:{:02}.{:03}] INFO  Microsoft.DataTransfer.Execution: heartbeat {i} from node shir-prod-01, status Online, concurrent jobs 3, CPU 41%, memory 58%\n",
        (i / 60) % 60,
        i % 60,
        i % 1000
    )
}

/// `size` bytes: log noise, a newline, then the error (the error alone when it is larger).
fn padded(error: &str, size: usize) -> String {
    if error.len() + 1 >= size {
        return error.to_string();
    }
    let noise = size - error.len() - 1;
    let mut text = String::with_capacity(size);
    let mut i = 0;
    while text.len() < noise {
        text.push_str(&noise_line(i));
        i += 1;
    }
    text.truncate(noise);
    text.push('\n');
    text.push_str(error);
    text
}

/// Deterministic pseudo-random numbers (a 64-bit LCG): the synthetic bases never change.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.next() % list.len()]
    }
}

const WORDS: &[&str] = &[
    "partition",
    "dataset",
    "linked service",
    "gateway",
    "token",
    "schema",
    "column",
    "checkpoint",
    "throughput",
    "quota",
    "region",
    "endpoint",
    "certificate",
    "subscription",
    "workspace",
    "pipeline",
    "trigger",
    "cluster",
    "driver",
    "credential",
    "firewall",
    "timeout",
    "retry",
    "batch",
    "staging",
    "manifest",
    "snapshot",
    "replica",
    "lease",
    "cursor",
    "watermark",
    "collation",
    "encoding",
    "delimiter",
    "header",
    "payload",
    "session",
    "handshake",
    "principal",
    "key vault",
];
const CODE_PARTS: &[&str] = &[
    "Transient",
    "Quota",
    "Schema",
    "Region",
    "Lease",
    "Token",
    "Cursor",
    "Replica",
    "Staging",
    "Manifest",
    "Session",
    "Vault",
    "Driver",
    "Batch",
    "Header",
    "Payload",
];

/// Variant `k` of a real entry: the same shape (number and length of codes, messages, keywords,
/// the same connectors and context), with new codes and reworded messages and keywords.
fn variant(entry: &Entry, k: usize, index: usize) -> Entry {
    let mut rng = Lcg((k as u64) << 32 | index as u64);
    let suffix = |n: usize| {
        let part = CODE_PARTS[n % CODE_PARTS.len()];
        match n / CODE_PARTS.len() {
            0 => part.to_string(),
            round => format!("{part}{round}"),
        }
    };
    let codes = entry
        .codes
        .iter()
        .map(|code| {
            if code.bytes().all(|b| b.is_ascii_digit()) {
                (10_000 + rng.next() % 90_000).to_string()
            } else {
                format!("{code}{}", suffix(k - 1))
            }
        })
        .collect();
    let messages = entry
        .messages
        .iter()
        .map(|message| {
            let mut words: Vec<String> = message.split(' ').map(str::to_string).collect();
            let mut changed = false;
            for word in words.iter_mut() {
                if word.contains('*') || word.len() < 3 {
                    continue;
                }
                if rng.next() % 100 < 35 {
                    *word = rng.pick(WORDS).to_string();
                    changed = true;
                }
            }
            if !changed {
                words.push(rng.pick(WORDS).to_string());
            }
            words.join(" ")
        })
        .collect();
    let mut keywords: Vec<String> = entry
        .keywords
        .iter()
        .map(|keyword| {
            if rng.next().is_multiple_of(2) {
                keyword.clone()
            } else {
                format!("{} {}", rng.pick(WORDS), rng.pick(WORDS))
            }
        })
        .collect();
    keywords.push(rng.pick(WORDS).to_string());
    Entry {
        id: format!("{}-x{k}", entry.id),
        title: format!("{} ({})", entry.title, suffix(k - 1)),
        source: format!("{}-x{k}", entry.source),
        codes,
        messages,
        keywords,
        ..entry.clone()
    }
}

/// The knowledge base `scale` times the size of the real one.
fn knowledge_entries(scale: usize) -> Vec<Entry> {
    let base = knowledge::entries();
    let mut all: Vec<Entry> = base.iter().cloned().collect();
    for k in 1..scale {
        all.extend(base.iter().enumerate().map(|(i, e)| variant(e, k, i)));
    }
    all
}

/// A knowledge base compiled as `build.rs` compiles the real one, and read back.
struct Base {
    scale: usize,
    compiled: &'static [u8],
    entries: &'static Entries,
    index: Index,
    related: Related,
}

impl Base {
    fn new(scale: usize) -> Base {
        let compiled: &'static [u8] =
            Box::leak(compiled::compile(knowledge_entries(scale)).into_boxed_slice());
        let (entries, index, related) = start_up(compiled);
        Base {
            scale,
            compiled,
            entries,
            index,
            related,
        }
    }
}

/// What the engine does at start-up: read the compiled knowledge.
fn start_up(compiled: &'static [u8]) -> (&'static Entries, Index, Related) {
    compiled::read(compiled).expect("compiled knowledge reads back")
}

/// `explain` without the card and offsets, against any index: clean, read facts, rank.
fn rank_sources(base: &Base, text: &str) -> Vec<&'static str> {
    let cleaned = Normalized::new(text);
    let facts = facts::extract_cleaned(&cleaned.text);
    adf_troubleshooter::scoring::rank(&base.index, &base.related, &cleaned, &facts)
        .into_iter()
        .take(5)
        .map(|r| r.entry.source.as_str())
        .collect()
}

fn bench_inputs(c: &mut Criterion, cases: &[Case]) {
    let mut group = c.benchmark_group("explain/input");
    for &(name, size) in SIZES {
        let text = padded(&cases[0].text, size);
        group.throughput(Throughput::Bytes(text.len() as u64));
        if size >= 1024 * 1024 {
            group.sampling_mode(SamplingMode::Flat).sample_size(10);
        } else {
            group.sampling_mode(SamplingMode::Auto).sample_size(30);
        }
        group.bench_with_input(BenchmarkId::from_parameter(name), &text, |b, text| {
            b.iter(|| adf_troubleshooter::explain(black_box(text)))
        });
    }
    group.finish();
    let mut group = c.benchmark_group("explain");
    group.sample_size(20);
    group.bench_function("eval_set", |b| {
        b.iter(|| {
            for case in cases {
                black_box(adf_troubleshooter::explain(black_box(&case.text)));
            }
        })
    });
    group.finish();
}

fn bench_scaling(c: &mut Criterion, cases: &[Case], bases: &[Base]) {
    let mut group = c.benchmark_group("scaling/startup");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    // 100x: the JSON pass measures it (median of three).
    for base in bases.iter().filter(|base| base.scale <= 10) {
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{}x", base.scale)),
            &base.compiled,
            |b, compiled| b.iter(|| start_up(black_box(compiled))),
        );
    }
    group.finish();
    let mut group = c.benchmark_group("scaling/eval_set");
    group.sample_size(10);
    for base in bases {
        group.bench_function(
            BenchmarkId::from_parameter(format!("{}x", base.scale)),
            |b| {
                b.iter(|| {
                    for case in cases {
                        black_box(rank_sources(base, black_box(&case.text)));
                    }
                })
            },
        );
    }
    group.finish();
}

const BATCH: Duration = Duration::from_millis(2);
const BATCHES: usize = 5;

/// Nanoseconds per call: the median of five batches of calls, each batch at least 2 ms long
/// (the same method as bench/lib/timing.mjs, where timers are coarse).
fn per_call_ns(f: impl FnMut()) -> f64 {
    let origin = Instant::now();
    per_call_by(|| origin.elapsed().as_nanos() as f64, f)
}

/// [`per_call_ns`] in this thread's CPU time (Linux, `CLOCK_THREAD_CPUTIME_ID`): unlike the
/// wall clock, not counting the time other processes of a shared machine run.
fn per_call_cpu_ns(f: impl FnMut()) -> f64 {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    per_call_by(
        || {
            let mut time = Timespec {
                seconds: 0,
                nanoseconds: 0,
            };
            // SAFETY: `time` is a `struct timespec` (64-bit Linux) for the call to fill.
            unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
            time.seconds as f64 * 1e9 + time.nanoseconds as f64
        },
        f,
    )
}

/// [`per_call_ns`] by the clock `now` (nanoseconds).
fn per_call_by(now: impl Fn() -> f64, mut f: impl FnMut()) -> f64 {
    f();
    let start = Instant::now();
    f();
    let single = start.elapsed().as_nanos().max(1) as f64;
    let n = ((BATCH.as_nanos() as f64 / single).ceil() as usize).clamp(1, 1_000_000);
    let mut batches: Vec<f64> = (0..BATCHES)
        .map(|_| {
            let start = now();
            for _ in 0..n {
                f();
            }
            (now() - start) / n as f64
        })
        .collect();
    batches.sort_by(f64::total_cmp);
    batches[BATCHES / 2]
}

/// FNV-1a, 32 bits: bench/run.mjs checks that its padded inputs are the same bytes.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c9dc5, |hash, &b| {
        (hash ^ u32::from(b)).wrapping_mul(0x01000193)
    })
}

fn median_of(runs: usize, mut f: impl FnMut() -> f64) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| f()).collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// What reading compiled knowledge is measured against: building everything from the entries
/// at start (the JSON the engine embedded before), and automata of whole literals instead of
/// their prefixes.
fn alternatives(base: &Base) -> serde_json::Value {
    let all: Vec<&Entry> = base.entries.iter().collect();
    let json = serde_json::to_string(&all).expect("entries serialize");
    let build_ns = median_of(5, || {
        let start = Instant::now();
        let entries: Vec<Entry> = serde_json::from_str(&json).expect("entries parse");
        let entries: &'static [Entry] = Box::leak(entries.into_boxed_slice());
        drop(black_box((Index::build(entries), Related::build(entries))));
        start.elapsed().as_nanos() as f64
    });
    let json_parse_ns = median_of(11, || {
        let start = Instant::now();
        drop(black_box(
            serde_json::from_str::<Vec<Entry>>(&json).unwrap(),
        ));
        start.elapsed().as_nanos() as f64
    });
    let automata: Vec<serde_json::Value> = base
        .index
        .automata()
        .into_iter()
        .map(|(name, compact, case)| {
            let patterns: Vec<&str> = compact.patterns().collect();
            let full = Automaton::new(&patterns, case).to_bytes();
            let small = postcard::to_allocvec(compact).expect("automaton serializes");
            let read = |bytes: &[u8], compact: bool| {
                median_of(11, || {
                    let start = Instant::now();
                    if compact {
                        drop(black_box(postcard::from_bytes::<CompactAutomaton>(bytes)));
                    } else {
                        drop(black_box(Automaton::from_bytes(bytes)));
                    }
                    start.elapsed().as_nanos() as f64
                })
            };
            serde_json::json!({
                "name": name,
                "literals": patterns.len(),
                "literal_bytes": patterns.iter().map(|p| p.len()).sum::<usize>(),
                "full_bytes": full.len(),
                "full_read_ns": read(&full, false),
                "compact_bytes": small.len(),
                "compact_read_ns": read(&small, true),
            })
        })
        .collect();
    serde_json::json!({
        "json_bytes": json.len(),
        "json_parse_ns": json_parse_ns,
        "build_ns": build_ns,
        "automata": automata,
    })
}

/// Per-query latencies and scaling facts, as JSON for bench/run.mjs.
fn distributions(path: &str, cases: &[Case], bases: &[Base]) {
    // The work of the wasm binding's `explain`: the diagnosis and its card.
    let explain_card = |text: &str| {
        let diagnosis = adf_troubleshooter::explain(text);
        let card = Card::from_diagnosis(&diagnosis, text);
        drop(black_box((diagnosis, card)));
    };
    let explain_ns: Vec<f64> = cases
        .iter()
        .map(|case| per_call_ns(|| explain_card(&case.text)))
        .collect();
    // Each size, and where its time goes: each stage timed on its own, on the previous
    // stages' output (cleaning, facts, ranking, the card from the diagnosis).
    let inputs: serde_json::Map<String, serde_json::Value> = SIZES
        .iter()
        .map(|&(name, size)| {
            let text = padded(&cases[0].text, size);
            let index = Index::shared();
            let cleaned = Normalized::new(&text);
            let found = facts::extract_cleaned(&cleaned.text);
            let diagnosis = adf_troubleshooter::explain(&text);
            let normalize_ns = per_call_ns(|| drop(black_box(Normalized::new(&text))));
            let facts_ns = per_call_ns(|| drop(black_box(facts::extract_cleaned(&cleaned.text))));
            let rank_ns = per_call_ns(|| {
                drop(black_box(adf_troubleshooter::scoring::rank(
                    index,
                    Related::shared(),
                    &cleaned,
                    &found,
                )))
            });
            let card_ns = per_call_ns(|| drop(black_box(Card::from_diagnosis(&diagnosis, &text))));
            let explain_ns = per_call_ns(|| drop(black_box(adf_troubleshooter::explain(&text))));
            let ns = per_call_ns(|| explain_card(&text));
            let value = serde_json::json!({
                "bytes": text.len(),
                "fnv1a": format!("{:08x}", fnv1a(text.as_bytes())),
                "ns": ns,
                "explain_ns": explain_ns,
                "stages_ns": {
                    "normalize": normalize_ns,
                    "facts": facts_ns,
                    "rank": rank_ns,
                    "card": card_ns,
                },
            });
            (name.to_string(), value)
        })
        .collect();
    // Accuracy of the native build, to compare with the wasm build's in bench/run.mjs.
    let (mut labelled, mut top1, mut top3, mut high_on_null, mut high_wrong) = (0, 0, 0, 0, 0);
    for case in cases {
        let d = adf_troubleshooter::explain(&case.text);
        let high = d
            .matches
            .first()
            .is_some_and(|m| m.confidence == Confidence::High);
        match &case.expected {
            Some(expected) => {
                labelled += 1;
                let first = d.matches.first().is_some_and(|m| &m.source == expected);
                top1 += usize::from(first);
                top3 += usize::from(d.matches.iter().take(3).any(|m| &m.source == expected));
                high_wrong += usize::from(high && !first);
            }
            None => high_on_null += usize::from(high),
        }
    }
    let accuracy = serde_json::json!({
        "cases": cases.len(), "labelled": labelled, "top1": top1, "top3": top3,
        "high_on_null": high_on_null, "high_wrong": high_wrong,
    });
    let mut scaling = Vec::new();
    for base in bases {
        let runs = match base.scale {
            1 => 11,
            10 => 7,
            _ => 3,
        };
        let timed = |f: &mut dyn FnMut()| {
            median_of(runs, || {
                let start = Instant::now();
                f();
                start.elapsed().as_nanos() as f64
            })
        };
        let sections = compiled::sections(base.compiled).expect("sections");
        let read_ns = timed(&mut || drop(black_box(start_up(base.compiled))));
        // What start-up reads of the entries: each one's place, not the entries themselves.
        let entries_ns = timed(&mut || {
            let entries = sections.entries();
            drop(black_box(entries));
        });
        let related_ns = timed(&mut || drop(black_box(sections.related())));
        // A text that matches nothing: the per-query cost that does not depend on the text.
        let no_match_ns = per_call_ns(|| drop(black_box(rank_sources(base, "hello world"))));
        let query_ns: Vec<f64> = cases
            .iter()
            .map(|case| per_call_ns(|| drop(black_box(rank_sources(base, &case.text)))))
            .collect();
        let (mut labelled, mut top1, mut top3) = (0, 0, 0);
        for case in cases {
            if let Some(expected) = &case.expected {
                let sources = rank_sources(base, &case.text);
                labelled += 1;
                top1 += usize::from(sources.first() == Some(&expected.as_str()));
                top3 += usize::from(sources.iter().take(3).any(|s| s == expected));
            }
        }
        let entries = base.entries;
        scaling.push(serde_json::json!({
            "scale": base.scale,
            "entries": entries.len(),
            "codes": entries.iter().map(|e| e.codes.len()).sum::<usize>(),
            "messages": entries.iter().map(|e| e.messages.len()).sum::<usize>(),
            "keywords": entries.iter().map(|e| e.keywords.len()).sum::<usize>(),
            "compiled_bytes": base.compiled.len(),
            "read_ns": read_ns,
            "entries_ns": entries_ns,
            "related_ns": related_ns,
            "query_ns": query_ns,
            "no_match_ns": no_match_ns,
            "labelled": labelled,
            "top1": top1,
            "top3": top3,
        }));
    }
    let alternatives = alternatives(&bases[0]);
    let out = serde_json::json!({
        "accuracy": accuracy,
        "eval_explain_card_ns": explain_ns,
        "inputs": inputs,
        "scaling": scaling,
        "alternatives": alternatives,
    });
    std::fs::write(path, serde_json::to_string_pretty(&out).unwrap())
        .expect("write ADF_BENCH_JSON");
    eprintln!("per-query latencies written to {path}");
}

/// `ADF_BENCH_QUERY_SCALES=1,10`: only the scaling query medians (per text, as in the JSON
/// pass), for quick comparisons of two builds; in CPU time with `ADF_BENCH_CPU=1`.
fn query_medians(scales: &str, cases: &[Case]) {
    for scale in scales.split(',').filter_map(|s| s.trim().parse().ok()) {
        let base = Base::new(scale);
        let cpu = std::env::var("ADF_BENCH_CPU").is_ok();
        let mut query_ns: Vec<f64> = cases
            .iter()
            .map(|case| match cpu {
                true => per_call_cpu_ns(|| drop(black_box(rank_sources(&base, &case.text)))),
                false => per_call_ns(|| drop(black_box(rank_sources(&base, &case.text)))),
            })
            .collect();
        query_ns.sort_by(f64::total_cmp);
        println!(
            "{scale}x query median: {:.2} us",
            query_ns[query_ns.len() / 2] / 1000.0
        );
    }
}

fn main() {
    let cases = eval_cases();
    if let Ok(scales) = std::env::var("ADF_BENCH_QUERY_SCALES") {
        return query_medians(&scales, &cases);
    }
    let bases: Vec<Base> = SCALES.iter().map(|&scale| Base::new(scale)).collect();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .configure_from_args();
    bench_inputs(&mut c, &cases);
    bench_scaling(&mut c, &cases, &bases);
    c.final_summary();
    if let Ok(path) = std::env::var("ADF_BENCH_JSON") {
        distributions(&path, &cases, &bases);
    }
}
