//! Matching behaviours, one row each: the text, the entry that must come first (or none),
//! and the confidence it must have.

use adf_troubleshooter::{explain, Confidence};

struct Row {
    why: &'static str,
    text: &'static str,
    first: Option<&'static str>,
    confidence: Option<Confidence>,
}

const ROWS: &[Row] = &[
    Row {
        why: "an inner message beats the generic wrapper that shares its code",
        text: "ErrorCode=SqlOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=A database operation failed. Please search error to get more details.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.InvalidOperationException,Message=String or binary data would be truncated in table 'dbo.Customer', column 'Zip'.,Source=System.Data,'",
        first: Some("sql-string-or-binary-data-truncated"),
        confidence: Some(Confidence::High),
    },
    Row {
        why: "a specific outer code keeps its entry when the inner message belongs elsewhere",
        text: "ErrorCode=SqlBatchWriteTransactionFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=SQL transaction commits failed.,Source=Microsoft.DataTransfer.ClientLibrary,''Type=System.Data.SqlClient.SqlException,Message=A transport-level error has occurred when receiving results from the server.,Source=.Net SqlClient Data Provider,'",
        first: Some("sql-batch-write-transaction-failed"),
        confidence: Some(Confidence::High),
    },
    Row {
        why: "a message truncated by the UI still earns its entry",
        text: "Cannot connect to the data factory. Please check whether the factory has enabled public net",
        first: Some("shir-auth-key-invalid-after-public-access-disabled"),
        confidence: None,
    },
    Row {
        why: "HTML entities and JSON escaping do not hide a message",
        text: "{\\\"message\\\":\\\"The Authentication key is invalid or empty.\\\"} &#39;shir-01&#39;",
        first: Some("shir-auth-key-invalid-after-public-access-disabled"),
        confidence: Some(Confidence::High),
    },
    Row {
        why: "a bare unique code is a confident answer",
        text: "ErrorCode=InvalidGatewayKey",
        first: Some("shir-register-key-private-link"),
        confidence: Some(Confidence::High),
    },
    Row {
        why: "a generic numeric code alone is no diagnosis",
        text: "Error code 2200",
        first: None,
        confidence: None,
    },
    Row {
        why: "an unknown ADF-shaped code gets no confident answer",
        text: "Operation on target Copy1 failed: ErrorCode=SomethingNobodyKnows,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=The frobnicator refused.,Source=Microsoft.DataTransfer.ClientLibrary,'",
        first: None,
        confidence: None,
    },
    Row {
        why: "keywords alone never make a confident answer",
        text: "we use a private endpoint and a firewall and a proxy and DNS and a self-hosted IR",
        first: None,
        confidence: None,
    },
];

#[test]
fn matching_table() {
    let mut failures = Vec::new();
    for row in ROWS {
        let d = explain(row.text);
        let best = d.matches.first();
        let ok = match row.first {
            Some(id) => {
                best.is_some_and(|m| m.id == id)
                    && row
                        .confidence
                        .is_none_or(|c| best.is_some_and(|m| m.confidence == c))
            }
            None => best.is_none_or(|m| m.confidence != Confidence::High),
        };
        if !ok {
            failures.push(format!(
                "{}: got {:?}",
                row.why,
                d.matches
                    .iter()
                    .map(|m| (&m.id, m.confidence, m.score))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
