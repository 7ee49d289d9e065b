//! The command-line contract documented in the README: formats, batch mode, bad input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_adf-troubleshooter"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
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
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown option `--yaml`"));
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
