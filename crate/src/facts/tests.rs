//! Table-driven cases: one per error shape users meet.

use super::*;

#[test]
fn every_extraction_pattern_compiles() {
    patterns::compile_all();
}

struct Case {
    name: &'static str,
    text: &'static str,
    codes: &'static [&'static str],
    forms: &'static [&'static str],
    activity: Option<&'static str>,
    side: Option<Side>,
}

const CASES: &[Case] = &[
    Case {
        name: "activity output JSON with a chained message",
        text: r#"{"errorCode": "2200", "message": "Failure happened on 'Sink' side. ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to create Azure Blob container. Endpoint: https://contoso.blob.core.windows.net/, Container Name: test.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.Net.WebException,Message=Unable to connect to the remote server,Source=System,'", "failureType": "UserError", "target": "Copy data1", "details": []}"#,
        codes: &["2200", "AzureBlobFailedToCreateContainer"],
        forms: &["activity-json", "error-chain"],
        activity: Some("Copy data1"),
        side: Some(Side::Sink),
    },
    Case {
        name: "ARM error escaped inside a string",
        text: r#"Deployment failed: {\"error\":{\"code\":\"InternalError\",\"message\":\"Internal error has occurred.\"}}"#,
        codes: &["InternalError"],
        forms: &["arm-error"],
        activity: None,
        side: None,
    },
    Case {
        name: "errors array with capitalised keys",
        text: r#"{"errors":[{"Code":"DF-Executor-OutOfMemoryError","Message":"Cluster ran into out of memory issue"}]}"#,
        codes: &["DF-Executor-OutOfMemoryError"],
        forms: &["errors-array"],
        activity: None,
        side: None,
    },
    Case {
        name: "self-hosted IR log line",
        text: "Failed to get service token from ADF service with key *************** and time cost is: 0.1250079 second, the error code is: InvalidGatewayKey, activityId is: 1f0e0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6 and detailed error message is Client IP address isn't valid private ip",
        codes: &["InvalidGatewayKey"],
        forms: &["shir-log"],
        activity: None,
        side: None,
    },
    Case {
        name: "monitoring pane copied as text",
        text: "Error code\n2108\nFailure type\nUser configuration issue\nDetails\nInvoking Web Activity failed with HttpStatusCode - 'NotFound'.",
        codes: &["2108"],
        forms: &["monitoring-pane"],
        activity: None,
        side: None,
    },
    Case {
        name: "monitoring pane one-liner, HTML-escaped",
        text: "Operation on target Copy_orders failed: Failure happened on &#39;Source&#39; side. ErrorCode=SqlFailedToConnect,&#39;Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Cannot connect to SQL Database.,Source=Microsoft.DataTransfer.ClientLibrary,&#39;",
        codes: &["SqlFailedToConnect"],
        forms: &["error-chain", "monitoring-pane"],
        activity: Some("Copy_orders"),
        side: Some(Side::Source),
    },
    Case {
        name: "truncated activity JSON still yields its code",
        text: r#"{"errorCode": "2200", "message": "ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [HY000] [Microsoft][Hardy] (35) Error from server: error code: '0' error message: 'ExecuteStatement fa"#,
        codes: &["2200", "UserErrorOdbcOperationFailed"],
        forms: &["error-chain"],
        activity: None,
        side: None,
    },
    Case {
        name: "data flow status code in the monitoring pane",
        text: r#"Operation on target Dataflow1 failed: {"StatusCode":"DF-Executor-OutOfMemoryError","Message":"Job failed due to reason: Cluster ran into out of memory issue during execution.","Details":""}"#,
        codes: &["DF-Executor-OutOfMemoryError"],
        forms: &["monitoring-pane"],
        activity: Some("Dataflow1"),
        side: None,
    },
    Case {
        name: "prose mentioning an error code in words",
        text: "The error code returned was not useful, please help",
        codes: &[],
        forms: &[],
        activity: None,
        side: None,
    },
];

#[test]
fn reads_every_error_shape() {
    for case in CASES {
        let facts = extract(case.text);
        assert_eq!(facts.error_codes, case.codes, "{}", case.name);
        for form in case.forms {
            assert!(
                facts.forms.contains(form),
                "{}: {form} in {:?}",
                case.name,
                facts.forms
            );
        }
        assert_eq!(facts.activity.as_deref(), case.activity, "{}", case.name);
        assert_eq!(facts.side, case.side, "{}", case.name);
    }
}

#[test]
fn reads_details_around_the_code() {
    let facts = extract(CASES[0].text);
    assert_eq!(facts.failure_type.as_deref(), Some("UserError"));
    assert_eq!(
        facts.exception_types,
        [
            "Microsoft.DataTransfer.Common.Shared.HybridDeliveryException",
            "System.Net.WebException"
        ]
    );
    assert!(facts
        .endpoints
        .contains(&"contoso.blob.core.windows.net".to_string()));
    assert!(facts
        .message
        .unwrap()
        .starts_with("Failure happened on 'Sink' side."));

    let shir = extract(CASES[3].text);
    assert_eq!(
        shir.activity_id.as_deref(),
        Some("1f0e0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6")
    );
    // "Gateway" is the self-hosted IR's old name, still in its error codes.
    assert_eq!(shir.ir_kind, Some("self-hosted"));

    let http = extract("The remote server returned status code 403 (Forbidden) from 10.0.0.4:443 via integration runtime 'shir-prod-01' (self-hosted)");
    assert_eq!(http.http_status, [403]);
    assert_eq!(http.endpoints, ["10.0.0.4"]);
    assert_eq!(http.integration_runtime.as_deref(), Some("shir-prod-01"));
    assert_eq!(http.ir_kind, Some("self-hosted"));
}

#[test]
fn survives_hostile_input() {
    let deep = "{\"a\":".repeat(100_000);
    let braces = "{".repeat(1_000_000);
    let unterminated = format!("{}{}", "{\"k\":\"".repeat(1000), "x".repeat(1_000_000));
    let junk: String = (0..200_000u32)
        .filter_map(|i| char::from_u32(i % 0x3000))
        .collect();
    for input in [
        deep.as_str(),
        &braces,
        &unterminated,
        &junk,
        "",
        "\\",
        "&#",
        "&#99999999;",
    ] {
        let _ = extract(input);
    }
}
