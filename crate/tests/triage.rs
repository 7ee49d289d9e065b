//! `adf-troubleshooter triage` on the fixtures of tests/data/triage (made by its
//! make_fixtures.py): three nights of one invented factory, in every export format, compressed
//! and not, plus malformed and hostile records.

mod common;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

fn data(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/triage")
        .join(path)
}

/// `triage` with the given arguments, colour off.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let args: Vec<&str> = std::iter::once("triage")
        .chain(args.iter().copied())
        .collect();
    common::run_with_env(&args, stdin, &[("NO_COLOR", "1")])
}

fn report(args: &[&str]) -> Value {
    let output = run(&[&["--json"], args].concat(), b"");
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

fn fixture(path: &str) -> String {
    data(path).display().to_string()
}

/// Known problems of the three nights: the Learn section (as labelled in tests/data/eval.jsonl
/// for these error shapes) and how many failures it explains.
const THREE_NIGHTS: &[(&str, u64)] = &[
    (
        "connector-troubleshoot-azure-blob-storage#error-code-azurebloboperationfailed",
        6,
    ),
    (
        "connector-troubleshoot-synapse-sql#error-code-sqlfailedtoconnect",
        6,
    ),
    ("data-factory-troubleshoot-guide#error-code-2507", 3),
    (
        "data-flow-troubleshoot-guide#error-code-df-executor-unreachablestorageaccount",
        3,
    ),
    (
        "connector-troubleshoot-rest#error-code-restsourcecallfailed",
        3,
    ),
    (
        "connector-troubleshoot-ftp-sftp-http#error-code-sftppermissiondenied",
        3,
    ),
];

/// The failures no entry explains, one template each however their details vary.
const THREE_NIGHTS_UNEXPLAINED: &[(&str, u64)] = &[
    ("[2011] ErrorCode=UserErrorInvalidPipelineVariableScope,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Variable '<name>' cannot be set from inside a parallel ForEach iteration.,Source=Microsoft.DataTransfer.ClientLibrary,'", 3),
    ("[2011] Webhook callback for activity Notify_Finance was not received within <n>; correlation <guid>", 3),
    ("[3250] Partner feed fabrikam-eu rejected batch <n>-<n>: <n> records failed schema validation (first: line <n>, field '<name>').", 3),
];

const ONE_NIGHT: &[(&str, u64)] = &[
    (
        "connector-troubleshoot-synapse-sql#error-code-sqlfailedtoconnect",
        3,
    ),
    (
        "connector-troubleshoot-azure-blob-storage#error-code-azurebloboperationfailed",
        2,
    ),
    ("data-factory-troubleshoot-guide#error-code-2507", 1),
    (
        "data-flow-troubleshoot-guide#error-code-df-executor-unreachablestorageaccount",
        1,
    ),
    (
        "connector-troubleshoot-rest#error-code-restsourcecallfailed",
        1,
    ),
    (
        "connector-troubleshoot-ftp-sftp-http#error-code-sftppermissiondenied",
        1,
    ),
];

struct Case {
    path: &'static str,
    format: &'static str,
    records: u64,
    skipped: u64,
    groups: &'static [(&'static str, u64)],
}

/// Log Analytics writes an InProgress and an end record per run; the API one object per run.
const CASES: &[Case] = &[
    Case {
        path: "log-analytics/ADFActivityRun.csv",
        format: "csv",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "log-analytics/ADFActivityRun.csv.gz",
        format: "csv",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "log-analytics/SynapseIntegrationActivityRuns.csv",
        format: "csv",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "log-analytics/az-monitor-query.json",
        format: "log-analytics-json",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "log-analytics/az-monitor-query.json.gz",
        format: "log-analytics-json",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "diagnostic",
        format: "diagnostic",
        records: 174,
        skipped: 141,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "diagnostic-records/PT1H.json",
        format: "diagnostic",
        records: 60,
        skipped: 48,
        groups: ONE_NIGHT,
    },
    Case {
        path: "diagnostic-records/PT1H.json.gz",
        format: "diagnostic",
        records: 60,
        skipped: 48,
        groups: ONE_NIGHT,
    },
    Case {
        path: "rest/query-by-pipeline-run.json",
        format: "activity-runs",
        records: 87,
        skipped: 54,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "rest/query-by-pipeline-run.json.gz",
        format: "activity-runs",
        records: 87,
        skipped: 54,
        groups: THREE_NIGHTS,
    },
    Case {
        path: "powershell/Get-AzDataFactoryV2ActivityRun.json",
        format: "activity-runs",
        records: 87,
        skipped: 54,
        groups: THREE_NIGHTS,
    },
];

fn groups(report: &Value) -> Vec<(String, u64)> {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let source = g["source"].as_str().unwrap();
            let section = source.rsplit('/').next().unwrap().to_string();
            (section, g["count"].as_u64().unwrap())
        })
        .collect()
}

fn clusters(report: &Value) -> Vec<(String, u64)> {
    report["unexplained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["template"].as_str().unwrap().to_string(),
                c["count"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn owned(table: &[(&str, u64)]) -> Vec<(String, u64)> {
    table.iter().map(|(s, n)| (s.to_string(), *n)).collect()
}

#[test]
fn every_format_compressed_or_not_gives_the_same_triage() {
    for case in CASES {
        let report = report(&[&fixture(case.path)]);
        let totals = &report["totals"];
        let failures: u64 = case.groups.iter().map(|g| g.1).sum::<u64>()
            + if case.groups == ONE_NIGHT { 3 } else { 9 };
        assert_eq!(totals["records"], case.records, "{}", case.path);
        assert_eq!(totals["skipped"], case.skipped, "{}", case.path);
        assert_eq!(totals["failures"], failures, "{}", case.path);
        assert_eq!(totals["malformed"], 0, "{}", case.path);
        for file in report["files"].as_array().unwrap() {
            assert_eq!(file["format"], case.format, "{}: {file}", case.path);
        }
        assert_eq!(groups(&report), owned(case.groups), "{}", case.path);
        let unexplained = clusters(&report);
        if case.groups == THREE_NIGHTS {
            assert_eq!(
                unexplained,
                owned(THREE_NIGHTS_UNEXPLAINED),
                "{}",
                case.path
            );
        } else {
            assert_eq!(unexplained.len(), 3, "{}", case.path);
        }
    }
}

#[test]
fn groups_say_where_when_and_how_to_fix() {
    let report = report(&[&fixture("rest/query-by-pipeline-run.json")]);
    let sql = &report["groups"][1];
    assert_eq!(sql["id"], "sql-failed-to-connect");
    assert_eq!(sql["high"], 6);
    assert_eq!(
        sql["pipelines"],
        serde_json::json!([{"name": "PL_Load_SalesDW", "count": 6}])
    );
    assert_eq!(sql["activities"][0]["name"], "Copy_Orders_To_SalesDW");
    assert_eq!(
        sql["integration_runtimes"][0]["name"],
        "AutoResolveIntegrationRuntime (West Europe)"
    );
    // The problem began on the second night.
    assert_eq!(sql["first_seen"], "2024-06-04T02:00:13Z");
    assert_eq!(sql["last_seen"], "2024-06-05T02:10:13Z");
    let examples = sql["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 3);
    assert_eq!(examples[0]["time"], "2024-06-04T02:00:13Z");
    assert!(examples
        .iter()
        .all(|e| e["activity_run_id"].as_str().unwrap().len() == 36));
    assert!(sql["steps"][0].as_str().unwrap().starts_with("1. "));
    assert!(sql["example_message"]
        .as_str()
        .unwrap()
        .contains("SqlFailedToConnect"));
    assert_eq!(report["totals"]["distinct_texts"], 23);
    assert_eq!(report["totals"]["explained"], 24);
}

#[test]
fn a_directory_tree_is_read_recursively_gzip_or_not() {
    let report = report(&[&fixture("diagnostic")]);
    let files = report["files"].as_array().unwrap();
    assert_eq!(files.len(), 18);
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with("PT1H.json.gz")).count(),
        6
    );
    assert!(
        names.iter().all(|n| n.contains("/y=2024/m=06/d=0")),
        "{names:?}"
    );
    // Sorted by path: the y=/m=/d=/h= layout is read in time order.
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    // Several inputs add up.
    let both = self::report(&[
        &fixture("diagnostic-records/PT1H.json"),
        &fixture("rest/query-by-pipeline-run.json.gz"),
    ]);
    assert_eq!(both["totals"]["failures"], 12 + 33);
}

#[test]
fn malformed_records_are_counted_with_their_line_and_the_rest_is_read() {
    let report = report(&[&fixture("malformed")]);
    let listed: Vec<(String, u64, String)> = report["malformed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let file = m["file"].as_str().unwrap();
            (
                file.rsplit('/').next().unwrap().to_string(),
                m["line"].as_u64().unwrap(),
                m["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "ADFActivityRun-broken.csv",
            3,
            "3 fields where the header has 32",
        ),
        (
            "ADFActivityRun-broken.csv",
            4,
            "unreadable start time 'yesterday'",
        ),
        (
            "ADFActivityRun-broken.csv",
            6,
            "the file ends inside a quoted field",
        ),
        ("PT1H-broken.json", 2, "not JSON"),
        (
            "PT1H-broken.json",
            3,
            "expected an activity run object, found a number",
        ),
        ("PT1H-broken.json", 5, "not an activity run"),
        ("PT1H-broken.json", 6, "unreadable start time 'soon "),
        ("truncated-rest.json", 131, "the JSON document ends early"),
    ];
    assert_eq!(listed.len(), expected.len(), "{listed:#?}");
    for ((file, line, reason), (want_file, want_line, want_reason)) in listed.iter().zip(expected) {
        assert_eq!((file.as_str(), *line), (want_file, want_line), "{reason}");
        assert!(reason.starts_with(want_reason), "{file}:{line}: {reason}");
    }
    let totals = &report["totals"];
    assert_eq!(totals["malformed"], 8);
    // The failed runs among the good records around the bad ones: 2 in the CSV, 2 in the JSON
    // lines (line 4 is blank), and 3 among the records before the JSON document was cut.
    assert_eq!(totals["failures"], 7);
    let terminal = run(&[&fixture("malformed")], b"");
    let text = String::from_utf8(terminal.stdout).unwrap();
    assert!(
        text.contains("Malformed records (8), counted and left out:"),
        "{text}"
    );
    assert!(
        text.contains("PT1H-broken.json:3: expected an activity run object"),
        "{text}"
    );
}

#[test]
fn a_bad_record_inside_a_json_document_is_named_by_its_line() {
    let document = "{\n  \"value\": [\n    {\"status\": \"Failed\", \"activityName\": \"a\", \"error\": {\"errorCode\": \"2507\", \"message\": \"The folder path does not exist or is empty: x\"}},\n    42,\n    {\"status\": \"Succeeded\", \"activityName\": \"b\"}\n  ]\n}\n";
    let output = run(&["--json", "-"], document.as_bytes());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["malformed"][0]["line"], 4);
    assert_eq!(report["malformed"][0]["file"], "standard input");
    assert_eq!(report["totals"]["failures"], 1);
    assert_eq!(report["totals"]["skipped"], 1);
}

#[test]
fn standard_input_is_read_gzip_or_not() {
    for path in [
        "log-analytics/ADFActivityRun.csv",
        "rest/query-by-pipeline-run.json.gz",
    ] {
        let bytes = std::fs::read(data(path)).unwrap();
        let output = run(&["--json"], &bytes);
        assert!(output.status.success(), "{path}");
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(report["totals"]["failures"], 33, "{path}");
        // No progress bar or other noise when piped.
        assert!(
            output.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn filters_keep_a_time_window_and_pipelines() {
    let path = fixture("log-analytics/ADFActivityRun.csv");
    for (args, failures, outside) in [
        (vec!["--since", "2024-06-05"], 12, 21),
        (vec!["--until", "2024-06-04"], 9, 24),
        (
            vec![
                "--since",
                "2024-06-04T00:00:00Z",
                "--until",
                "2024-06-05T00:00:00Z",
            ],
            12,
            21,
        ),
        (vec!["--pipeline", "PL_Load_*"], 6, 27),
        (
            vec!["--pipeline", "pl_ingest_sales", "--pipeline", "PL_Notify"],
            12,
            21,
        ),
    ] {
        let report = report(&[&args[..], &[path.as_str()]].concat());
        assert_eq!(report["totals"]["failures"], failures, "{args:?}");
        assert_eq!(report["totals"]["filtered_out"], outside, "{args:?}");
    }
    let output = run(&["--since", "last tuesday", &path], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("'last tuesday' is not a time"));
}

#[test]
fn the_format_can_be_forced_and_unknown_files_are_named() {
    let dir = std::env::temp_dir().join(format!("triage-format-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("notes.csv");
    std::fs::write(&other, "name,colour\nx,blue\n").unwrap();
    let output = run(&[other.to_str().unwrap()], b"");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a recognised export"));
    // Beside a readable file, an unknown one is reported and the run goes on.
    let mixed = report(&[
        other.to_str().unwrap(),
        &fixture("rest/query-by-pipeline-run.json"),
    ]);
    assert!(mixed["files"][0]["error"]
        .as_str()
        .unwrap()
        .contains("not a recognised export"));
    assert_eq!(mixed["totals"]["failures"], 33);
    // Forced, each row is read (and is not an activity run).
    let forced = report(&["--format", "csv", other.to_str().unwrap()]);
    assert_eq!(forced["totals"]["malformed"], 1);
    // JSON lines forced as diagnostic read the same as detected.
    let lines = report(&[
        "--format",
        "diagnostic",
        &fixture("hostile/activity-runs.jsonl"),
    ]);
    assert_eq!(lines["totals"]["failures"], 3);
    let missing = run(&[dir.join("missing.json").to_str().unwrap()], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn every_output_masks_secrets_and_keeps_markup_as_text() {
    let hostile = fixture("hostile/activity-runs.jsonl");
    let html_path = std::env::temp_dir().join(format!("triage-{}.html", std::process::id()));
    let terminal = run(&["--html", html_path.to_str().unwrap(), &hostile], b"");
    assert!(terminal.status.success());
    let html = std::fs::read_to_string(&html_path).unwrap();
    std::fs::remove_file(&html_path).unwrap();
    let outputs = [
        ("terminal", String::from_utf8(terminal.stdout).unwrap()),
        (
            "json",
            String::from_utf8(run(&["--json", &hostile], b"").stdout).unwrap(),
        ),
        (
            "markdown",
            String::from_utf8(run(&["--markdown", &hostile], b"").stdout).unwrap(),
        ),
        ("html", html.clone()),
    ];
    for (name, text) in &outputs {
        for secret in ["Hunter2FAKE", "Other3FAKE", "q0tYh8Zr"] {
            assert!(!text.contains(secret), "{name} shows {secret}");
        }
        let masked = if *name == "markdown" {
            "Password=\\*\\*\\*\\*"
        } else {
            "Password=****"
        };
        assert!(text.contains(masked), "{name}: {text}");
    }
    // In HTML, markup from the logs is text: no element is made from it.
    assert!(!html.contains("<script"), "a script element in the report");
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;"));
    assert!(html.contains("PL_&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"//"));
    // In Markdown, markup is escaped.
    let markdown = &outputs[2].1;
    assert!(
        markdown.contains("PL\\_\\<img src=x onerror=alert(1)\\>"),
        "{markdown}"
    );
}

#[test]
fn the_markdown_report_has_the_tables_and_the_fixes() {
    let output = run(
        &[
            "--markdown",
            "--top",
            "3",
            &fixture("log-analytics/ADFActivityRun.csv"),
        ],
        b"",
    );
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("## ADF activity failures: triage\n"));
    assert!(text.contains(
        "| # | Failures | Problem | Pipelines | Integration runtimes | First seen | Last seen |"
    ));
    assert!(text.contains("\n3 more known problems.\n"), "{text}");
    assert!(text.contains("**How to fix it**"));
    assert!(
        text.contains("| 2 | 6 | [Copy or linked service can't connect"),
        "{text}"
    );
}

#[test]
fn the_terminal_table_lists_problems_and_templates() {
    let output = run(&[&fixture("diagnostic")], b"");
    let text = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Triage: 33 failed activity runs in 18 files (174 records, 141 other runs skipped, 0 malformed)"), "{text}");
    assert!(lines[1].starts_with("2024-06-03 01:01 to 2024-06-05 06:07 UTC · 24 explained by 6 known problems · 9 unexplained in 3 templates"), "{text}");
    assert!(text.contains("Known problems\n  #  Failures  Confidence  Pipelines  Last seen (UTC)   Problem\n  1         6  medium              1  2024-06-05 01:06  Blob operation failed"), "{text}");
    assert!(text.contains("   Fix:        1. "), "{text}");
    assert!(!text.contains('\u{1b}'), "colour when NO_COLOR is set");
}

#[test]
fn long_first_lines_in_compressed_json_lines_are_still_json_lines() {
    use flate2::write::GzEncoder;
    // A stack trace of 200 KB in the first record: more than one read of the decompressor gives.
    let long = "at Microsoft.DataTransfer.Runtime.Stage.Execute() ".repeat(4000);
    let record = |status: &str, message: &str| {
        serde_json::json!({"status": status, "activityName": "Copy_Big", "pipelineName": "PL_Big",
            "activityRunStart": "2024-06-03T01:00:00Z",
            "error": {"errorCode": "2200", "message": message, "failureType": "SystemError"}})
        .to_string()
    };
    let text = format!(
        "{}\n{}\n{}\n",
        record("Failed", &long),
        record("Succeeded", ""),
        record("Failed", "short")
    );
    let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let output = run(&["--json", "-"], &gz.finish().unwrap());
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["totals"]["failures"], 2, "{report}");
    assert_eq!(report["totals"]["skipped"], 1);
    assert_eq!(report["totals"]["malformed"], 0);
}
