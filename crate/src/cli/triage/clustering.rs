//! Message templates: what varies between occurrences of one problem, masked.

// Without templates, every unexplained failure would be its own line: a new recurring problem
// must show up as one line with its count even though the knowledge does not know it.

use regex_lite::Regex;
use std::sync::OnceLock;

/// What replaces each kind of varying part, in the order they are masked: URLs before paths
/// (a URL holds slashes), times and GUIDs before numbers.
fn rules() -> &'static [(Regex, &'static str)] {
    static RULES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    RULES.get_or_init(|| {
        [
            (r"(?i)\b(?:https?|wasbs?|abfss?|adl|s3|gs|ftp|sftp)://[^\s'\x22,;)]+", "<url>"),
            (r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", "<email>"),
            (
                r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?",
                "<time>",
            ),
            (
                r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                "<guid>",
            ),
            // Quoted names, but not the error chain's quoted `Type=...,Message=...` parts.
            (r"'[^'=\n]{1,128}'", "'<name>'"),
            (r#""[^"=\n]{1,128}""#, "\"<name>\""),
            (r#"\[[^\]=\n'"]{1,128}\]"#, "[<name>]"),
            // Windows paths, UNC paths, and slash-separated paths of two parts or more.
            (r#"(?:[A-Za-z]:|\\\\)\\[^\s'",;]*"#, "<path>"),
            (r#"/?[^\s'",;:=/]+(?:/[^\s'",;:=/]+)+/?"#, "<path>"),
            // What follows a label that names a resource.
            (
                r"(?i)\b((?:container|file|folder|table|database|server|account|host|user|schema|bucket|directory|blob|endpoint|share|queue|workspace|cluster|path)\s?(?:name)?\s?[:=]\s?)[^\s,;'\x22]+",
                "${1}<name>",
            ),
            (r"(?i)\b0x[0-9a-f]+\b|\b[0-9a-f]*\d[0-9a-f]*[a-f][0-9a-f]*\b", "<hex>"),
            (r"\d+(?:[.,:]\d+)*", "<n>"),
        ]
        .into_iter()
        .map(|(pattern, with)| (Regex::new(pattern).expect("a valid pattern"), with))
        .collect()
    })
}

/// The template of a message (already masked of secrets): varying parts replaced, runs of
/// white space made one space, cut to a readable length.
pub fn template(message: &str) -> String {
    let message = message.trim();
    if message.is_empty() {
        return "(no error message)".into();
    }
    // Templates group; the examples show the whole text. The first 600 characters tell apart
    // what the service writes, without costing time on megabyte-long stack traces.
    let mut text: String = message.chars().take(600).collect();
    for (pattern, with) in rules() {
        if let std::borrow::Cow::Owned(replaced) = pattern.replace_all(&text, *with) {
            text = replaced;
        }
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if message.chars().nth(600).is_some() {
        out.push_str(" …");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::template;

    #[test]
    fn occurrences_of_one_problem_share_a_template() {
        for group in [
            [
                "Request 1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b to https://api.contoso.com/v2/orders?page=3 timed out after 30 s",
                "Request 9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d to https://api.contoso.com/v2/customers timed out after 120 s",
            ],
            [
                "Cannot find the file 'landing/sales/2024/06/01/orders.csv' at 2024-06-01T02:00:13Z",
                "Cannot find the file 'landing/hr/2024/06/02/people.csv' at 2024-06-02T02:00:09.1234567Z",
            ],
            [
                "Table [dbo].[FactSales] has 12 rows over quota in database sqldb-prod-01",
                "Table [stg].[DimCustomer] has 4410 rows over quota in database sqldb-prod-02",
            ],
            [
                "Upload of D:\\exports\\daily\\a.csv failed with status 0x80070005",
                "Upload of E:\\share\\b.csv failed with status 0x80004005",
            ],
        ] {
            assert_eq!(template(group[0]), template(group[1]), "{group:?}");
        }
        assert_eq!(
            template("Request 1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b timed out after 30 s"),
            "Request <guid> timed out after <n> s"
        );
    }

    #[test]
    fn different_problems_keep_different_templates() {
        assert_ne!(
            template("Cannot find the file 'a.csv'"),
            template("Cannot open the file 'a.csv'")
        );
        // The error chain's quoted parts are the message, not names.
        let chain = "ErrorCode=UserErrorFileNotFound,'Type=Microsoft.DataTransfer.Common.Shared.HybridDeliveryException,Message=Path not found.,Source=Microsoft.DataTransfer.ClientLibrary,'";
        assert!(template(chain).contains("Message=Path not found."));
        assert_eq!(template("  "), "(no error message)");
    }
}
