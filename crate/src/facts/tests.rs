//! Table-driven cases: one per error shape users meet.

use super::*;

#[test]
fn the_embedded_fixed_word_automaton_is_current() {
    assert!(patterns::embedded_automaton_is_current());
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
        name: "monitoring pane pasted with Markdown bold labels",
        text: "**Error code**\n2108\n**Failure type**\nUser configuration issue\n**Details**\nInvoking Web Activity failed with HttpStatusCode - 'NotFound'.",
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
        name: "data flow output cut short inside an escaped message",
        text: r#"{"errorCode": "DFExecutorUserError", "message": "{\"StatusCode\":\"DF-Executor-InvalidPath\",\"Message\":\"Job failed due to reason: at Source 'srcOrders': Path /landing/2024 does not resol"#,
        codes: &["DFExecutorUserError", "DF-Executor-InvalidPath"],
        forms: &[],
        activity: None,
        side: None,
    },
    Case {
        name: "data preview banner heading its message with the code",
        text: "Data preview failed. DF-Executor-BroadcastTimeout: at Join 'joinCustomers': Broadcast join timeout error",
        codes: &["DF-Executor-BroadcastTimeout"],
        forms: &["data-flow"],
        activity: None,
        side: None,
    },
    Case {
        name: "a data flow's reason line without a code",
        text: "Job failed due to reason: at Sink 'sink1': Operation timeout while writing data.",
        codes: &[],
        forms: &["data-flow"],
        activity: None,
        side: None,
    },
    Case {
        name: "a data flow debug session's expression resolver names the data flow",
        text: "ErrorCode=InvalidTemplate, ErrorMessage=Unable to parse expression 'body('DataFlowDebugExpressionResolver')?.Lookup1?.output': expected token 'EndOfData'",
        codes: &["InvalidTemplate"],
        forms: &["data-flow"],
        activity: None,
        side: None,
    },
    Case {
        name: "a data flow code in a sentence is not in position",
        text: "I looked up DF-Executor-BroadcastTimeout in the docs and it does not fit at sink time",
        codes: &[],
        forms: &["data-flow"],
        activity: None,
        side: None,
    },
    Case {
        name: "HTTP status code field stays a status",
        text: r#"{"statusCode": 400, "StatusCode":"404", "message": "Not found"}"#,
        codes: &[],
        forms: &[],
        activity: None,
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

#[test]
fn finds_stack_frames() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "Scala frames, one range",
            "java.lang.RuntimeException: boom \tat com.microsoft.dataflow.Sink.write(Sink.scala:12)\n\tat scala.Option.map(Option.scala:230)\nCaused by: x",
            &["at com.microsoft.dataflow.Sink.write(Sink.scala:12) at scala.Option.map(Option.scala:230)"],
        ),
        (
            "native and unknown sources",
            "e at sun.nio.ch.FileDispatcherImpl.read0(Native Method) and at a.B$1.run(Unknown Source)",
            &["at sun.nio.ch.FileDispatcherImpl.read0(Native Method)", "at a.B$1.run(Unknown Source)"],
        ),
        (
            ".NET frame with its source line",
            "SqlException: x at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean b) in C:\\src\\Conn.cs:line 42 end",
            &["at System.Data.SqlClient.SqlConnection.OnError(SqlException exception, Boolean b) in C:\\src\\Conn.cs:line 42"],
        ),
        (
            "prose and transformation names are not frames",
            "Job failed due to reason: at Sink 'sink1': failed at step (2) at noon. at Source (x)",
            &[],
        ),
        ("unclosed frame", "at a.b.c(Sink.scala:1", &[]),
        ("non-ASCII around", "at é.b(ü) at a.b(é.scala:1)", &["at a.b(é.scala:1)"]),
    ];
    for (name, text, expected) in cases {
        let cleaned = crate::normalize::Normalized::new(text).text;
        let found: Vec<&str> = frames::stack_frames(&cleaned)
            .iter()
            .map(|&(s, e)| &cleaned[s..e])
            .collect();
        assert_eq!(found, *expected, "{name}");
    }
}

#[test]
fn stack_frames_cost_one_pass() {
    let line = "\tat org.apache.spark.sql.execution.SparkPlan.execute(SparkPlan.scala:180)\n";
    let trace = format!(
        "Job failed due to reason: boom\n{}Caused by: inner",
        line.repeat(20_000)
    );
    let cleaned = crate::normalize::Normalized::new(&trace).text;
    let frames = frames::stack_frames(&cleaned);
    assert_eq!(frames.len(), 1);
    assert!(cleaned[frames[0].1..].starts_with(" Caused by"));
}

#[test]
fn reads_a_complaint_of_slowness() {
    let complaints = [
        "Why is the copy from Table storage to the lake so slow?",
        "the nightly load now takes 7 hours instead of 40 minutes",
        "it ran for 2-3 hrs and then we cancelled it",
        "This pipeline has been running for hours without writing a row",
        "One copy keeps running for a long time on the same source",
        "We see poor performance when writing Parquet to ADLS",
        "the lookup takes too long and the pipeline times out",
        "the copy from the file share takes forever",
    ];
    for text in complaints {
        assert_eq!(extract(text).symptom, Some("slow"), "{text}");
    }
    let no_complaint = [
        "Copy to the lake failed: ErrorCode=UserErrorFailedFileOperation",
        // An `hours` field, office hours, a word that only contains the letters.
        r#"{"schedule": {"hours": [6, 18]}, "errorCode": "2200"}"#,
        "Please contact the support desk during office hours",
        "Snapshot file backslowdata.csv not found",
        "The specified path, file name, or both are too long.",
        "the node stays in Updating status forever",
    ];
    for text in no_complaint {
        assert_eq!(extract(text).symptom, None, "{text}");
    }
}

#[test]
fn reads_which_activity_the_text_is_about() {
    let cases = [
        (
            "Failure happened on 'Sink' side. ErrorCode=SomethingNew",
            Some("copy"),
        ),
        (
            "The copy from Table storage to the lake takes 9 hours",
            Some("copy"),
        ),
        ("99% of the tables were copied without issues", Some("copy")),
        ("My mapping data flow fails on the sink", Some("data-flow")),
        // A data flow's error, whatever its message says about copying.
        (
            "Job failed due to reason: at Sink 'sink1': could not copy the file",
            Some("data-flow"),
        ),
        (
            "The copy activity and the data flow both write to this folder",
            None,
        ),
        ("Copyright (c) Contoso: the pipeline failed", None),
        ("The linked service test connection failed", None),
    ];
    for (text, kind) in cases {
        assert_eq!(extract(text).activity_kind, kind, "{text}");
    }
}
