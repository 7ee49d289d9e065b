//! Properties of the engine on any text: no panic, evidence and secrets inside the input,
//! the same answer every time, masking that leaves no secret, and time linear in the size.
#![cfg(not(target_arch = "wasm32"))]

use adf_troubleshooter::card::Card;
use adf_troubleshooter::normalize::Normalized;
use adf_troubleshooter::{explain, facts, secrets};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Pieces of real error texts and of the ways they travel (entities, nested escapes, JSON),
/// plus the names of secrets: mixed with arbitrary Unicode, they reach the engine's branches.
const PIECES: &[&str] = &[
    "ErrorCode=",
    "InvalidGatewayKey",
    "AzureBlobFailedToCreateContainer",
    "'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException",
    ",Message=",
    ",Source=",
    "\"errorCode\": \"2200\"",
    "{\"error\":{\"code\":\"",
    "\"message\": \"",
    "\"target\": \"",
    "\"failureType\": \"UserError\"",
    "Operation on target ",
    "{\"StatusCode\":\"DF-Executor-",
    "DF-Cosmos-",
    "Job failed due to reason: at Sink '",
    "\n\tat com.microsoft.dataflow.Sink$$anonfun.apply(",
    "Sink.scala:12)",
    "(Native Method)",
    " in C:\\src\\a.cs:line ",
    "Caused by: ",
    " failed: ",
    "Failure happened on 'Sink' side.",
    "the error code is: ",
    "Error code\n",
    "self-hosted integration runtime",
    "https://acct.blob.core.windows.net/c?sv=2021&sig=",
    "AccountKey=",
    "Password=",
    ";pwd={",
    "Bearer eyJ",
    "eyJhbGci.eyJz.",
    "client_secret=",
    "IR@",
    "@adf@ServiceEndpoint=x.datafactory.azure.net@",
    "&#39;",
    "&#x1F600;",
    "&amp;",
    "&quot;",
    "&#",
    "&",
    "\\",
    "\\\\\\\"",
    "\\\"",
    "\\u0027",
    "\\ud800",
    "\\n",
    "\u{1b}[31m",
    "\u{202E}",
    "é",
    "日本語",
    "😀",
    "\r\n",
    "    ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        2 => any::<String>(),
        2 => "[a-zA-Z0-9 ._:;=/-]{1,24}",
        1 => "&#?[xX]?[0-9a-fA-F]{0,9};?",
        1 => "\\\\{1,5}[\"'u/nrtx]?[0-9a-fA-F]{0,4}",
        1 => "[&\\\\\"'{}\\[\\]:,@*=é😀]{1,8}",
    ]
}

fn error_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..32).prop_map(|pieces| pieces.concat())
}

/// Failures found are kept beside this file (`properties.regressions`) and tried first.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    }
}

/// Every property that holds for any text; a panic is a failure (proptest shrinks it).
fn check(text: &str) {
    // Cleaning maps each cleaned character back to whole characters of the input.
    let n = Normalized::new(text);
    for (at, ch) in n.text.char_indices() {
        let (start, end) = n.original_range(at, at + ch.len_utf8(), text);
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
    let _ = facts::extract(text);

    // Evidence and secrets lie inside the input, by characters; highlights by UTF-16 units.
    let d = explain(text);
    let chars = text.chars().count();
    let ranges = d
        .matches
        .iter()
        .flat_map(|m| &m.evidence)
        .filter_map(|e| Some((e.start?, e.end?)))
        .chain(d.secrets.iter().map(|s| (s.start, s.end)));
    for (start, end) in ranges {
        assert!(
            start <= end && end <= chars,
            "{start}..{end} outside {chars} characters"
        );
    }
    if let Some(card) = Card::from_diagnosis(&d, text) {
        let units = text.encode_utf16().count();
        assert!(card
            .highlights
            .iter()
            .all(|h| h.start <= h.end && h.end <= units));
    }

    // Secrets are in order, apart, on character boundaries, and masking leaves none.
    let found = secrets::find(text);
    assert!(
        found.windows(2).all(|w| w[0].end <= w[1].start),
        "{found:?}"
    );
    assert!(found
        .iter()
        .all(|s| text.is_char_boundary(s.start) && text.is_char_boundary(s.end)));
    assert_eq!(secrets::find(&secrets::mask(text)), vec![]);
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_text_keeps_the_properties(text in error_text()) {
        check(&text);
    }

    #[test]
    fn the_same_text_gets_the_same_answer(text in error_text()) {
        let first = serde_json::to_string(&explain(&text)).unwrap();
        let again = serde_json::to_string(&explain(&text)).unwrap();
        prop_assert_eq!(first, again);
    }
}

/// The inputs fuzzing found (`fuzz/regressions`, see docs/fuzzing.md): each crash it found,
/// and the texts that reached code the knowledge examples and evaluation sets do not.
#[test]
fn the_fuzzing_corpus_keeps_the_properties() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz/regressions is committed") {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        // The fuzz targets read bytes the same way.
        let text = String::from_utf8_lossy(&bytes);
        let outcome = std::panic::catch_unwind(|| check(&text));
        assert!(outcome.is_ok(), "{} fails", path.display());
        count += 1;
    }
    assert!(count > 0, "an empty corpus checks nothing");
}

/// The fastest of a few runs: other tests share the machine, the minimum is the least disturbed.
fn fastest(text: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(explain(std::hint::black_box(text)));
            start.elapsed()
        })
        .min()
        .unwrap()
}

/// A data flow's Spark trace: hundreds of frames cost what their length costs, no more.
#[test]
fn a_stack_trace_costs_linear_time() {
    let frame = "\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.write(FileFormatWriter.scala:180)\n";
    let trace = |lines: usize| {
        format!(
            "{{\"StatusCode\":\"DF-Executor-UserError\",\"Message\":\"Job failed due to reason: at Sink 'sink1': boom\n{}Caused by: java.lang.RuntimeException: Cluster ran into out of memory issue during execution\n{}\",\"Details\":\"\"}}",
            frame.repeat(lines / 2),
            frame.repeat(lines / 2)
        )
    };
    let (small, large) = (trace(500), trace(8000));
    let d = explain(&small);
    assert_eq!(d.matches[0].id, "dataflow-cluster-out-of-memory");
    let (t_small, t_large) = (fastest(&small, 5), fastest(&large, 3));
    let bound = t_small * 16 * 6 + Duration::from_millis(100);
    assert!(
        t_large <= bound,
        "500 lines took {t_small:?}, 8000 lines {t_large:?}"
    );
}

proptest! {
    // Each case diagnoses about 1.5 MB; a few cases cover the shapes without slowing CI.
    #![proptest_config(config(6))]

    /// Sixteen times the text costs about sixteen times the time: a quadratic step would cost
    /// 256 times. The bound (six times linear, plus a fixed allowance) is generous, so a busy
    /// machine does not fail it, while quadratic growth does.
    #[test]
    fn time_grows_linearly_with_the_text(unit in error_text().prop_filter("not empty", |t| !t.is_empty())) {
        let small_size = 16 * 1024;
        let small = unit.repeat(small_size / unit.len() + 1);
        let large = small.repeat(16);
        let (t_small, t_large) = (fastest(&small, 5), fastest(&large, 3));
        let bound = t_small * 16 * 6 + Duration::from_millis(100);
        prop_assert!(
            t_large <= bound,
            "{} bytes took {t_small:?}, {} bytes {t_large:?} (bound {bound:?})",
            small.len(),
            large.len()
        );
    }
}
