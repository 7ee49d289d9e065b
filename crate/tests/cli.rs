//! The command-line contract documented in the README: formats, batch mode, bad input.

mod common;

use common::run_with_env;
use std::process::Output;

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with_env(args, stdin, &[])
}

fn json_lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

const SEED: &str = "https://learn.microsoft.com/en-us/azure/data-factory/security-and-access-control-troubleshoot-guide#";

/// The seed article's own error texts, each with the section that explains it.
const SEED_MESSAGES: &[(&str, &str)] = &[
    ("The Authentication key is invalid or empty.", "invalid-or-empty-authentication-key-issue-after-public-network-access-is-disabled"),
    ("Cannot connect to the data factory. Please check whether the factory has enabled public network access or the machine is hosted in a approved private endpoint Virtual Network.", "invalid-or-empty-authentication-key-issue-after-public-network-access-is-disabled"),
    ("Failed to get service token from ADF service with key *************** and time cost is: 0.1250079 second, the error code is: InvalidGatewayKey, activityId is: XXXXXXX and detailed error message is Client IP address isn't valid private ip Cause Data factory couldn't access the public network thereby not able to reach out to the cloud to make the successful connection.", "unable-to-register-ir-authentication-key-on-self-hosted-vms-due-to-private-link"),
    ("<LogProperties><Text>Invoke callback url with req: \"ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to create Azure Blob container. Endpoint: XXXXXXX/, Container Name: test.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=Microsoft.WindowsAzure.Storage.StorageException,Message=Unable to connect to the remote server,Source=Microsoft.WindowsAzure.Storage,''Type=System.Net.WebException,Message=Unable to connect to the remote server,Source=System,''Type=System.Net.Sockets.SocketException,Message=A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond public ip:443,Source=System,'\",\"Details\":null}}</Text></LogProperties>.", "connection-error-in-public-endpoint"),
    ("{\\\"error\\\":{\\\"code\\\":\\\"InternalError\\\",\\\"message\\\":\\\"Internal error has occurred.\\\"}}", "internal-error-while-trying-to-delete-a-data-factory-or-synapse-workspace-with-customer-managed-key-cmk-and-user-assigned-managed-identity-ua-mi"),
];

#[test]
fn jsonl_puts_the_seed_entry_first_with_high_confidence() {
    let input: String = SEED_MESSAGES
        .iter()
        .map(|(text, _)| serde_json::json!({ "text": text }).to_string() + "\n")
        .collect();
    let output = run(&["explain", "--jsonl"], input.as_bytes());
    assert!(output.status.success());
    let lines = json_lines(&output);
    assert_eq!(lines.len(), SEED_MESSAGES.len());
    for (line, (text, anchor)) in lines.iter().zip(SEED_MESSAGES) {
        let best = &line["matches"][0];
        assert_eq!(best["source"], format!("{SEED}{anchor}"), "for {text}");
        assert_eq!(best["confidence"], "high", "for {text}");
    }
}

#[test]
fn jsonl_reports_bad_lines_and_goes_on() {
    let input = "{\"text\": \"ErrorCode=InvalidGatewayKey\"}\nnot json\n{\"other\": 1}\n\n{\"text\": \"\"}\n";
    let lines = json_lines(&run(&["explain", "--jsonl", "-"], input.as_bytes()));
    assert_eq!(lines.len(), 5);
    assert!(lines[0]["matches"].is_array());
    assert!(lines[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("line 2: not JSON"));
    assert!(lines[2]["error"].as_str().unwrap().contains("\"text\""));
    assert!(lines[3]["error"].is_string());
    assert_eq!(lines[4]["matches"], serde_json::json!([]));
}

#[test]
fn json_output_carries_facts_and_located_evidence() {
    let text = "Pipeline failed. ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to create Azure Blob container. Endpoint: https://émoji.blob.core.windows.net/, Container Name: test.,Source=x,'";
    let output = run(&["explain", "--json"], text.as_bytes());
    let d = &json_lines(&output)[0];
    assert_eq!(
        d["facts"]["error_codes"][0],
        "AzureBlobFailedToCreateContainer"
    );
    let evidence = d["matches"][0]["evidence"].as_array().unwrap();
    let code = evidence.iter().find(|e| e["signal"] == "code").unwrap();
    let chars: Vec<char> = text.chars().collect();
    let (start, end) = (
        code["start"].as_u64().unwrap() as usize,
        code["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(
        chars[start..end].iter().collect::<String>(),
        "AzureBlobFailedToCreateContainer"
    );
    for field in ["id", "title", "source", "confidence", "score"] {
        assert!(!d["matches"][0][field].is_null(), "{field}");
    }
}

#[test]
fn an_unrelated_error_gets_no_confident_match() {
    let traceback = "Traceback (most recent call last):\n  File \"/app/etl.py\", line 42, in <module>\n    conn = pyodbc.connect(conn_str)\npyodbc.OperationalError: ('08001', '[08001] [Microsoft][ODBC Driver 18 for SQL Server]TCP Provider: Error code 0x2749 (10057)')";
    let d = &json_lines(&run(&["explain", "--json"], traceback.as_bytes()))[0];
    for m in d["matches"].as_array().unwrap() {
        assert_ne!(m["confidence"], "high", "{m}");
    }
}

#[test]
fn text_output_reads_like_a_diagnosis() {
    let output = run(&["explain"], SEED_MESSAGES[2].0.as_bytes());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("high confidence"));
    assert!(text.contains("How to fix it\n  1. "));
    assert!(text.contains(&format!("{SEED}{}", SEED_MESSAGES[2].1)));
    assert!(!text.contains('\x1b'), "no colour when not on a terminal");

    let none = String::from_utf8(run(&["explain"], b"hello world").stdout).unwrap();
    assert!(none.starts_with("No known match"));
}

#[test]
fn hostile_inputs_get_an_answer() {
    let big = "x".repeat(5 * 1024 * 1024) + " ErrorCode=InvalidGatewayKey";
    let deep = "[".repeat(100_000) + &"{\"a\":".repeat(100_000);
    let junk: Vec<u8> = (0..100_000u32).map(|i| (i * 7919 % 256) as u8).collect();
    for input in [big.as_bytes(), deep.as_bytes(), &junk] {
        let output = run(&["explain", "--json"], input);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(json_lines(&output).len(), 1);
    }
}

#[test]
fn list_and_usage_errors() {
    let list = run(&["list", "--json"], b"");
    let entries = json_lines(&list);
    assert!(entries.len() >= 8);
    assert!(entries
        .iter()
        .all(|e| e["source"].as_str().unwrap().contains('#')));

    let bad = run(&["explain", "--yaml"], b"");
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unexpected argument '--yaml'"));
    let missing = run(&["explain", "/no/such/file"], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(run(&[], b"").status.code(), Some(2));
}

/// An `&` followed by non-ASCII text within an entity's length used to slice a character in
/// two: pipeline names in Japanese, Chinese, accented letters or emoji.
#[test]
fn ampersand_before_non_ascii_text_gets_an_answer() {
    let texts = [
        "Operation on target Copy_データ & 分析パイプライン failed",
        "Operation on target Café&é failed: ErrorCode=InvalidGatewayKey",
        "ErrorCode=SqlFailedToConnect & 🚀🚀🚀 &#x;&#;&;&",
    ];
    for text in texts {
        let output = run(&["explain", "--json"], text.as_bytes());
        assert_eq!(output.status.code(), Some(0), "{text}: {output:?}");
        let diagnosis = &json_lines(&output)[0];
        assert!(diagnosis["matches"].is_array(), "{text}");
    }
    let batch: String = texts
        .iter()
        .map(|t| serde_json::json!({ "text": t }).to_string() + "\n")
        .collect();
    let output = run(&["explain", "--jsonl"], batch.as_bytes());
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), texts.len());
    assert!(lines.iter().all(|l| l.get("error").is_none()), "{lines:?}");
    assert_eq!(
        lines[0]["facts"]["activity"],
        "Copy_データ & 分析パイプライン"
    );
}

/// Extra or conflicting arguments are refused with a usage error: none of them silently wins.
#[test]
fn extra_or_conflicting_arguments_are_usage_errors() {
    let file = std::env::temp_dir().join("adf-troubleshooter-cli-args.txt");
    std::fs::write(&file, "ErrorCode=InvalidGatewayKey").unwrap();
    let file = file.to_str().unwrap();
    for (args, says) in [
        (vec!["explain", "--json", "--jsonl"], "cannot be used with"),
        (
            vec!["explain", "--jsonl", "--json", file],
            "cannot be used with",
        ),
        (
            vec!["explain", "--json", "--json", file],
            "cannot be used multiple times",
        ),
        (vec!["explain", file, file], "unexpected argument"),
        (vec!["list", "--json", "extra"], "unexpected argument"),
        (vec!["eval", file, file], "unexpected argument"),
        (
            vec!["eval", file, "--min-top1", "0.5", "--min-top1", "0.9"],
            "cannot be used multiple times",
        ),
        (vec!["eval"], "required"),
    ] {
        let output = run(&args, b"");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let help = run(&["explain", "--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("--jsonl"));
}

/// Floors are shares from 0 to 1: `90` (meant as 90%) would fail every run, `-1` pass every one.
#[test]
fn eval_floors_must_be_numbers_from_0_to_1() {
    let set = std::env::temp_dir().join("adf-troubleshooter-cli-eval.jsonl");
    std::fs::write(
        &set,
        format!(
            "\u{FEFF}{}\n",
            serde_json::json!({"text": SEED_MESSAGES[0].0, "expected": format!("{SEED}{}", SEED_MESSAGES[0].1)})
        ),
    )
    .unwrap();
    let set = set.to_str().unwrap();
    for floor in [
        "--min-top1",
        "--min-top3",
        "--max-confident-wrong",
        "--max-high",
    ] {
        for value in ["90", "-0.1", "1.5", "abc", "NaN", "", "90%"] {
            let output = run(&["eval", set, floor, value], b"");
            assert_eq!(output.status.code(), Some(2), "{floor} {value}");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                stderr.contains("between 0 and 1"),
                "{floor} {value}: {stderr}"
            );
        }
    }
    let ok = run(
        &[
            "eval",
            set,
            "--min-top1",
            "1",
            "--max-high",
            "1e0",
            "--quiet",
        ],
        b"",
    );
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let failed = run(&["eval", set, "--max-high", "0", "--quiet"], b"");
    assert_eq!(failed.status.code(), Some(1));
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let units = std::iter::once(0xFEFF).chain(text.encode_utf16());
    if big_endian {
        units.flat_map(u16::to_be_bytes).collect()
    } else {
        units.flat_map(u16::to_le_bytes).collect()
    }
}

/// Byte-order marks and UTF-16 (PowerShell's `>`, Notepad's "Unicode") read like plain UTF-8.
#[test]
fn byte_order_marks_and_utf16_read_like_utf8() {
    let text = SEED_MESSAGES[2].0;
    let plain = json_lines(&run(&["explain", "--json"], text.as_bytes()));
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
    for (name, input) in [
        ("UTF-8 with BOM", with_bom),
        ("UTF-16 LE", utf16(text, false)),
        ("UTF-16 BE", utf16(text, true)),
    ] {
        let answer = json_lines(&run(&["explain", "--json"], &input));
        assert_eq!(answer, plain, "{name}");
    }

    let batch: String = SEED_MESSAGES
        .iter()
        .map(|(text, _)| serde_json::json!({ "text": text }).to_string() + "\r\n")
        .collect();
    let expected = json_lines(&run(&["explain", "--jsonl"], batch.as_bytes()));
    let file = std::env::temp_dir().join("adf-troubleshooter-cli-utf16.jsonl");
    for input in [
        [b"\xEF\xBB\xBF".as_slice(), batch.as_bytes()].concat(),
        utf16(&batch, false),
        utf16(&batch, true),
    ] {
        std::fs::write(&file, input).unwrap();
        let output = run(&["explain", "--jsonl", file.to_str().unwrap()], b"");
        assert_eq!(output.status.code(), Some(0));
        assert_eq!(json_lines(&output), expected);
    }
}

/// Other JSON writers cut strings inside a surrogate pair; the line is still explained, and
/// the replacement is reported.
#[test]
fn lone_surrogate_escapes_in_jsonl_are_replaced_and_reported() {
    let input = "{\"text\": \"ErrorCode=InvalidGatewayKey \\ud83d\"}\n{\"text\": \"\\udc00 ok \\ud83d\\ude00\"}\n";
    let output = run(&["explain", "--jsonl"], input.as_bytes());
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["facts"]["error_codes"][0], "InvalidGatewayKey");
    assert!(lines[1]["matches"].is_array(), "{}", lines[1]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 1: 1 lone UTF-16 surrogate"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 2: 1 lone UTF-16 surrogate"),
        "{stderr}"
    );
}

/// One line over the 64 MB limit costs that line: the run goes on without holding it.
#[test]
fn an_oversized_jsonl_line_is_refused_alone() {
    let mut input = Vec::with_capacity(65 << 20);
    input.extend_from_slice(b"{\"text\": \"");
    input.resize(input.len() + (64 << 20) + 1, b'x');
    input.extend_from_slice(b"\"}\n{\"text\": \"ErrorCode=InvalidGatewayKey\"}\n");
    let output = run(&["explain", "--jsonl"], &input);
    assert_eq!(output.status.code(), Some(0));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["error"], "line 1: longer than 64 MB; skipped");
    assert_eq!(lines[1]["facts"]["error_codes"][0], "InvalidGatewayKey");
}

const HOSTILE: &str = "Operation on target Copy\u{1b}[2J\u{1b}]8;;https://evil.example/\u{7}click\u{9b}31m\u{202E}fdp.exe failed: ErrorCode=InvalidGatewayKey, Client IP address isn't valid private ip";

/// Escape sequences in the error never reach the terminal raw, with colour on or off.
#[test]
fn control_characters_from_the_input_are_shown_escaped() {
    for env in [&[][..], &[("CLICOLOR_FORCE", "1")][..]] {
        let output = run_with_env(&["explain"], HOSTILE.as_bytes(), env);
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(
            text.contains(
                "Copy\\x1b[2J\\x1b]8;;https://evil.example/\\x07click\\u{9b}31m\\u{202e}fdp.exe"
            ),
            "{env:?}: {text}"
        );
        for raw in ["\u{1b}[2J", "\u{1b}]", "\u{7}", "\u{9b}", "\u{202E}"] {
            assert!(!text.contains(raw), "{env:?}: {raw:?} written raw");
        }
    }
    let json = run(&["explain", "--json"], HOSTILE.as_bytes());
    let line = String::from_utf8(json.stdout).unwrap();
    assert!(
        !line.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202E}']),
        "{line}"
    );
    assert!(
        line.contains("\\u009b") && line.contains("\\u202e"),
        "{line}"
    );
    assert!(
        json_lines(&run(&["explain", "--json"], HOSTILE.as_bytes()))[0]["facts"]["activity"]
            .as_str()
            .unwrap()
            .contains('\u{202E}')
    );
}

/// Colour follows NO_COLOR, CLICOLOR and CLICOLOR_FORCE (https://bixense.com/clicolors/).
#[test]
fn colour_follows_the_environment() {
    let text = SEED_MESSAGES[2].0.as_bytes();
    for (env, colour) in [
        (&[][..], false),
        (&[("CLICOLOR_FORCE", "1")][..], true),
        (&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")][..], false),
        (&[("CLICOLOR", "0")][..], false),
    ] {
        let output = run_with_env(&["explain"], text, env);
        let out = String::from_utf8(output.stdout).unwrap();
        assert_eq!(out.contains("\u{1b}[1m"), colour, "{env:?}: {out}");
        // Off a colour terminal, inline code keeps its backticks.
        assert_eq!(!out.contains('`'), colour, "{env:?}");
    }
}

/// Secrets quoted by the error are masked wherever the tool shows read text, and located
/// exactly in the JSON answer.
#[test]
fn secrets_are_masked_on_the_terminal_and_located_in_json() {
    let text = "Operation on target Copy sig=Zm9vYmFyYmF6 failed: ErrorCode=InvalidGatewayKey, Client IP address isn't valid private ip. Server=tcp:db.database.windows.net;Password=Hunter2!Hunter2;";
    let shown = String::from_utf8(run(&["explain"], text.as_bytes()).stdout).unwrap();
    assert!(shown.contains("activity Copy sig=****"), "{shown}");
    assert!(
        !shown.contains("Zm9vYmFyYmF6") && !shown.contains("Hunter2"),
        "{shown}"
    );

    let d = &json_lines(&run(&["explain", "--json"], text.as_bytes()))[0];
    let chars: Vec<char> = text.chars().collect();
    let secrets: Vec<(String, String)> = d["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let (start, end) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            (
                s["kind"].as_str().unwrap().to_string(),
                chars[start..end].iter().collect(),
            )
        })
        .collect();
    assert_eq!(
        secrets,
        [
            ("sas-signature".to_string(), "Zm9vYmFyYmF6".to_string()),
            ("password".to_string(), "Hunter2!Hunter2".to_string())
        ]
    );
}

/// The same text gets the same answer in every run, to the last field: which connector a
/// context names must not depend on a hash map's order.
#[test]
fn the_answer_is_the_same_in_every_run() {
    let text = "Failure happened on 'Sink' side. ErrorCode=DynamicsOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Dynamics operation failed with error code: -2147220891, error message: A validation error occurred.,Source=Microsoft.DataTransfer.ClientLibrary.DynamicsPlugin,' (sink: Dataverse, Dynamics 365, CommonDataServiceForApps, DynamicsCrm)";
    let first = run(&["explain", "--json"], text.as_bytes()).stdout;
    for _ in 0..8 {
        assert_eq!(run(&["explain", "--json"], text.as_bytes()).stdout, first);
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("adf-check-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("data-flow-troubleshoot-guide")).unwrap();
        Scratch(dir)
    }

    fn entry(&self, id: &str, text: &str) -> String {
        let path = self
            .0
            .join("data-flow-troubleshoot-guide")
            .join(format!("{id}.md"));
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const NEW_ENTRY: &str = "---
id: dataflow-invented-widget-failure
title: Widget transformation cannot spin
products: [adf]
source: https://learn.microsoft.com/en-us/azure/data-factory/data-flow-troubleshoot-guide#error-code-df-invented-widget
codes: [DF-Widget-CannotSpin]
messages:
  - \"The widget transformation cannot spin while the flux capacitor is detached\"
examples:
  match:
    - '{\"StatusCode\":\"DF-Widget-CannotSpin\",\"Message\":\"Job failed due to reason: at Widget ''w1'': The widget transformation cannot spin while the flux capacitor is detached\",\"Details\":\"\"}'
---
## Symptoms
The widget step stops.

## Cause
The capacitor is detached.

## Resolution
1. Attach the capacitor.
";

#[test]
fn check_judges_a_new_entry_as_it_would_ship() {
    let scratch = Scratch::new("new");
    let path = scratch.entry("dataflow-invented-widget-failure", NEW_ENTRY);
    // No saved articles are beside the temporary folder: the anchor and wording checks say so.
    let output = run(&["check", &path], b"");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{stderr}\n{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        stderr.contains("checked 1 entry: 0 with problems"),
        "{stderr}"
    );
    assert!(stderr.contains("skipped"), "{stderr}");
}

#[test]
fn check_prints_each_problem_with_its_file_and_line() {
    let scratch = Scratch::new("bad");
    let bad = NEW_ENTRY
        .replace("products: [adf]", "products: [fabric]")
        .replace("1. Attach the capacitor.", "1. Attach the capacitor.\n\n### Notes\n\n| a | b |\n|---|---|\n| 1 | 2 |")
        .replace(
            "    - '{\"StatusCode\"",
            "    - 'ErrorCode=InvalidGatewayKey, Client IP address is not valid private ip'\n    - '{\"StatusCode\"",
        );
    let path = scratch.entry("dataflow-invented-widget-failure", &bad);
    let output = run(&["check", &path], b"");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let expected = [
        (4, "products must list"),
        (11, "example does not rank the entry first"),
        (23, "a level-3 heading"),
        (25, "a table"),
    ];
    for (line, problem) in expected {
        let prefix = format!("{path}:{line}: {problem}");
        assert!(
            stdout.lines().any(|l| l.starts_with(&prefix)),
            "{prefix}\nin:\n{stdout}"
        );
    }
    assert_eq!(stdout.lines().count(), expected.len(), "{stdout}");
}

#[test]
fn check_passes_the_bundled_knowledge_and_refuses_missing_files() {
    let output = run(
        &["check", concat!(env!("CARGO_MANIFEST_DIR"), "/knowledge")],
        b"",
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let missing = run(&["check", "no/such/entry.md"], b"");
    assert_eq!(missing.status.code(), Some(2));
}

/// An options-page export (`{"rules": [...]}`) in `--rules`: its valid rules match, each
/// invalid one is named on standard error and left out.
#[test]
fn rules_exported_as_json_keep_the_valid_ones() {
    let folder = std::env::temp_dir().join(format!("adf-rules-json-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let rules = serde_json::json!({"rules": [
        {"id": "nightly-gateway", "title": "Nightly gateway key rotated", "codes": ["ContosoGatewayRotated"],
         "cause": "The key vault rotates the gateway key at night.", "steps": ["Re-register the node."],
         "link": "https://wiki.contoso.com/data/gateway"},
        {"id": "no-signal", "title": "A rule with nothing to match", "cause": "c", "steps": ["s"],
         "link": "https://wiki.contoso.com/data/x"},
        {"id": "unknown-field", "title": "t", "codes": ["X1"], "cause": "c", "steps": ["s"],
         "link": "https://wiki.contoso.com/data/y", "colour": "red"}
    ]});
    std::fs::write(folder.join("export.json"), rules.to_string()).unwrap();
    let output = run(
        &[
            "explain",
            "--json",
            "--rules",
            folder.to_str().unwrap(),
            "-",
        ],
        b"ErrorCode=ContosoGatewayRotated at 02:00",
    );
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(output.status.success());
    let answer: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answer["matches"][0]["id"], "team:nightly-gateway");
    let errors = String::from_utf8(output.stderr).unwrap();
    assert!(
        errors.contains("no-signal") && errors.contains("unknown-field"),
        "{errors}"
    );
    assert!(!errors.contains("nightly-gateway"), "{errors}");
}
