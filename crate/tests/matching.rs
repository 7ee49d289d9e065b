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
        why: "a generic .NET message through the self-hosted IR is not the managed virtual network's problem",
        text: "Copy to our firewalled storage account through the self-hosted integration runtime fails: Failure happened on 'Sink' side. ErrorCode=UserErrorFailedToConnect,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to connect to the remote server,Source=System,'",
        first: Some("copy-cloud-datastore-connectivity"),
        confidence: None,
    },
    Row {
        why: "a wrapper code that carries any ODBC failure decides nothing on its own",
        text: "ErrorCode=UserErrorOdbcOperationFailed",
        first: None,
        confidence: None,
    },
    Row {
        why: "a wrapper code around an unrelated Oracle error is no confident answer",
        text: "ErrorCode=UserErrorOdbcOperationFailed,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=ERROR [HY000] [Microsoft][ODBC Oracle Wire Protocol driver][Oracle]ORA-01017: invalid username/password; logon denied,Source=Microsoft.DataTransfer.Runtime.GenericOdbcConnectors,'",
        first: None,
        confidence: None,
    },
    Row {
        why: "SQL Server's own truncation error in SSMS is not an ADF answer",
        text: "Msg 2628, Level 16, State 1, Line 3\nString or binary data would be truncated in table 'Sales.dbo.Customer', column 'Zip'. Truncated value: '12345-6789'.",
        first: None,
        confidence: None,
    },
    Row {
        why: "a login failure in another application's SqlException is not an ADF answer",
        text: "Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed for user 'appuser'.\n   at Microsoft.Data.SqlClient.SqlInternalConnection.OnError(SqlException exception, Boolean breakConnection)",
        first: None,
        confidence: None,
    },
    Row {
        why: "an ADLS Gen1 ACL failure in Databricks is not an ADF answer",
        text: "org.apache.hadoop.security.AccessControlException: LISTSTATUS failed with error 0x83090aa2 (Forbidden. ACL verification failed. Either the resource does not exist or the user is not authorized to perform the requested operation.). [a4b2c1d0-0000-4000-8000-000000000000] failed with error 0x83090aa2",
        first: None,
        confidence: None,
    },
    Row {
        why: "the long form of a contraction matches the documented short form",
        text: "detailed error message is Client IP address is not valid private ip",
        first: Some("shir-register-key-private-link"),
        confidence: None,
    },
    Row {
        why: "a template's placeholders match any value, and doesn't equals does not",
        text: "Column 'CustomerKey' doesn't exist in the table 'dbo.DimCustomer', ServerName: 'sqlsrv01.database.windows.net', DatabaseName: 'dw'.",
        first: Some("sql-invalid-column-name"),
        confidence: Some(Confidence::High),
    },
    Row {
        why: "a code split by a line break in a narrow pane is still its code",
        text: "Error code\nInvalidGateway\nKey",
        first: Some("shir-register-key-private-link"),
        confidence: None,
    },
    Row {
        why: "a message hard-wrapped in the middle of a word still matches",
        text: "Cannot connect to the data fac\ntory. Please check whether the factory has enabled public net\nwork access or the machine is hosted in a approved private endpoint Virtual Network.",
        first: Some("shir-auth-key-invalid-after-public-access-disabled"),
        confidence: Some(Confidence::High),
    },
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

const CONTAINER: &str = "ErrorCode=AzureBlobFailedToCreateContainer,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Unable to create Azure Blob container. Endpoint: https://lake.blob.core.windows.net/, Container Name: staging.,Source=Microsoft.DataTransfer.ClientLibrary,'";

/// The same code is documented twice: in the Blob article, and in the security article for the
/// managed virtual network. Without context the answer is "one of these"; context decides.
#[test]
fn entries_that_fit_equally_are_one_of_these_until_context_decides() {
    let both = [
        "blob-failed-to-create-container",
        "blob-public-endpoint-from-managed-vnet",
    ];
    let d = explain(CONTAINER);
    assert!(d.ambiguous, "{:?}", d.matches);
    let tied: Vec<&str> = d.tied_with_best().iter().map(|m| m.id.as_str()).collect();
    assert!(both.iter().all(|id| tied.contains(id)), "{tied:?}");
    let card = adf_troubleshooter::card::Card::from_diagnosis(&d, CONTAINER).unwrap();
    assert_eq!(card.one_of.len(), tied.len());
    assert!(card.plain_text().contains("One of these"));

    let vnet = explain(&format!(
        "{CONTAINER} (copy on the managed virtual network IR)"
    ));
    assert!(!vnet.ambiguous);
    assert_eq!(vnet.matches[0].id, both[1]);
    let shir = explain(&format!("{CONTAINER} (copy on the self-hosted IR)"));
    assert!(!shir.ambiguous);
    assert_eq!(shir.matches[0].id, both[0]);
}

/// A message cut after its variable part (`Column 'Prop_0' doesn't exist…`) no longer says
/// which template it was: the entry is among the first answers, not necessarily the first.
#[test]
fn a_message_cut_after_its_variable_part_is_among_the_first_answers() {
    let d = explain("Failure happened on 'Sink' side. Message=Column 'Prop_0' doesn't exist…");
    let first_three: Vec<&str> = d.matches.iter().take(3).map(|m| m.id.as_str()).collect();
    assert!(
        first_three.contains(&"sql-invalid-column-name"),
        "{first_three:?}"
    );
    let message = d
        .matches
        .iter()
        .find(|m| m.id == "sql-invalid-column-name")
        .unwrap();
    assert!(message
        .evidence
        .iter()
        .any(|e| e.signal == "message" && e.how == "truncated"));
}

#[test]
fn evidence_offsets_point_at_the_original_characters() {
    let text = "Erreur « Copy » : Cannot connect to the data fac\ntory. Please check whether the factory has enabled public network access";
    let d = explain(text);
    let message = d.matches[0]
        .evidence
        .iter()
        .find(|e| e.signal == "message")
        .expect("a message evidence");
    let chars: Vec<char> = text.chars().collect();
    let found: String = chars[message.start.unwrap()..message.end.unwrap()]
        .iter()
        .collect();
    assert!(
        found.starts_with("Cannot connect to the data fac"),
        "{found:?}"
    );
    assert!(found.ends_with("public network access"), "{found:?}");
}
