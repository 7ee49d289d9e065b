//! Hand-written matchers for the fact patterns of `words.rs`, each meaning what its regex did.

use super::words::Field;
use std::ops::Range;

/// A pattern's match in a window: where it starts and ends, and the part the fact comes from
/// (the regex's first group, or the whole match for patterns without one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: Range<usize>,
}

/// `\s` as regex-lite reads it: ASCII only, vertical tab and form feed included.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ')
}

/// `\w` (and what `\b` looks at), ASCII only.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// `[A-Za-z0-9_.-]`
fn is_code(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// `[A-Za-z0-9_-]`
fn is_code_no_dot(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')
}

/// A position in a window. Every step either succeeds and moves on, or fails and stays, so a
/// failed alternative is retried from a copy.
#[derive(Clone, Copy)]
struct Cursor<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Cursor { text, at: 0 }
    }

    fn rest(&self) -> &'t [u8] {
        &self.text.as_bytes()[self.at..]
    }

    /// One byte of the class (ASCII classes only: a non-ASCII byte never matches them).
    fn one(&mut self, class: impl Fn(u8) -> bool) -> bool {
        let hit = self.rest().first().is_some_and(|&b| class(b));
        self.at += usize::from(hit);
        hit
    }

    fn byte(&mut self, byte: u8) -> bool {
        self.one(|b| b == byte)
    }

    fn any_of(&mut self, set: &[u8]) -> bool {
        self.one(|b| set.contains(&b))
    }

    /// Bytes of the class, as many as there are up to `max`; how many were taken.
    fn run_max(&mut self, class: impl Fn(u8) -> bool, max: usize) -> usize {
        let taken = self
            .rest()
            .iter()
            .take(max)
            .take_while(|&&b| class(b))
            .count();
        self.at += taken;
        taken
    }

    fn run(&mut self, class: impl Fn(u8) -> bool) -> usize {
        self.run_max(class, usize::MAX)
    }

    /// `\s*`; whether any was taken (for `\s+`).
    fn spaces(&mut self) -> bool {
        self.run(is_space) > 0
    }

    /// Exactly these bytes.
    fn literal(&mut self, word: &str) -> bool {
        let hit = self.rest().starts_with(word.as_bytes());
        self.at += if hit { word.len() } else { 0 };
        hit
    }

    /// These bytes, ASCII letters in either case: `(?i)` in regex-lite folds ASCII only.
    fn word(&mut self, word: &str) -> bool {
        let hit = self
            .rest()
            .get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word.as_bytes()));
        self.at += if hit { word.len() } else { 0 };
        hit
    }

    /// Two words with at most one of `between` between them (`failure ?type`).
    fn joined(&mut self, head: &str, between: &[u8], tail: &str) -> bool {
        self.attempt(|c| {
            c.word(head) && {
                c.any_of(between);
                c.word(tail)
            }
        })
    }

    fn spaced(&mut self, head: &str, tail: &str) -> bool {
        self.joined(head, b" ", tail)
    }

    /// The first of these words that is here.
    fn first_word(&mut self, words: &[&str]) -> bool {
        words.iter().any(|w| self.word(w))
    }

    fn first_literal(&mut self, words: &[&str]) -> bool {
        words.iter().any(|w| self.literal(w))
    }

    /// What may stand between a label and its value: `Q?\s*[=:]?\s*Q?`, `Q` one of `quotes`.
    fn separator(&mut self, quotes: &[u8]) {
        self.any_of(quotes);
        self.spaces();
        self.any_of(b"=:");
        self.spaces();
        self.any_of(quotes);
    }

    /// Runs `step` on a copy and keeps its moves only when it succeeds.
    fn attempt(&mut self, step: impl FnOnce(&mut Self) -> bool) -> bool {
        let mut c = *self;
        let hit = step(&mut c);
        if hit {
            *self = c;
        }
        hit
    }

    /// One character other than those in `excluded`, a whole UTF-8 character as `.` is.
    fn char_except(&mut self, excluded: &[char]) -> bool {
        match self.text[self.at..].chars().next() {
            Some(c) if !excluded.contains(&c) => {
                self.at += c.len_utf8();
                true
            }
            _ => false,
        }
    }

    fn found(self, value: Range<usize>) -> Option<Found> {
        Some(Found {
            start: 0,
            end: self.at,
            value,
        })
    }

    fn whole(self) -> Option<Found> {
        self.found(0..self.at)
    }

    /// `[1-5][0-9][0-9]`: an HTTP status.
    fn http_status(&mut self) -> bool {
        self.attempt(|c| {
            c.one(|b| (b'1'..=b'5').contains(&b))
                && c.one(|b| b.is_ascii_digit())
                && c.one(|b| b.is_ascii_digit())
        })
    }

    /// A capture group of one byte of the first class then a run of the second: its range.
    fn group(
        &mut self,
        first: impl Fn(u8) -> bool,
        rest: impl Fn(u8) -> bool,
    ) -> Option<Range<usize>> {
        let start = self.at;
        if !self.one(first) {
            return None;
        }
        self.run(rest);
        Some(start..self.at)
    }
}

/// Runs the pattern that reads this field on a window of text.
pub(super) fn read(field: Field, text: &str) -> Option<Found> {
    let c = Cursor::new(text);
    match field {
        Field::Code => code_label(c),
        Field::StatusCode => status_code_json(c),
        Field::DataFlowCode => data_flow_code(c),
        Field::DataFlow => data_flow(c),
        Field::ShirLog => shir_code(c),
        Field::ChainStart => chain_start(c),
        Field::FailureType => failure_type(c),
        Field::OperationTarget => operation_target(c),
        Field::Side => side(c),
        Field::ExceptionType => exception_type(c),
        Field::HttpStatus => http_status(c),
        Field::HttpReason => http_reason(text),
        Field::UrlHost => url_host(c),
        Field::RuntimeName => runtime_name(c),
        Field::ActivityId => activity_id(c),
    }
}

fn code_label(mut c: Cursor) -> Option<Found> {
    if !(c.joined("error", b" _", "code") || c.word("\"code\"")) {
        return None;
    }
    c.run_max(|b| b == b'*', 2);
    // The regex's alternatives in its order: the first that lets a code follow wins.
    let separators: [fn(&mut Cursor) -> bool; 3] = [
        |c| {
            c.byte(b'"');
            c.spaces();
            c.any_of(b"=:")
        },
        |c| {
            let hit = c.spaces() && c.literal("is");
            c.byte(b':');
            hit
        },
        |c| c.one(is_space),
    ];
    separators.iter().find_map(|separator| {
        let mut c = c;
        if !separator(&mut c) {
            return None;
        }
        c.spaces();
        c.any_of(b"'\"");
        let value = c.group(|b| b.is_ascii_alphanumeric(), is_code)?;
        c.found(value)
    })
}

fn status_code_json(mut c: Cursor) -> Option<Found> {
    if !(c.byte(b'"') && c.word("statuscode") && c.byte(b'"')) {
        return None;
    }
    c.spaces();
    if !c.byte(b':') {
        return None;
    }
    c.spaces();
    if !c.byte(b'"') {
        return None;
    }
    let value = c.group(|b| b.is_ascii_alphabetic(), is_code)?;
    c.byte(b'"').then(|| c.found(value))?
}

fn data_flow_code(mut c: Cursor) -> Option<Found> {
    let ok = c.literal("DF-")
        && c.run(|b| b.is_ascii_alphanumeric()) > 0
        && c.byte(b'-')
        && c.run(is_word) > 0;
    if !ok {
        return None;
    }
    let mut after = c;
    if after.byte(b':') && after.one(is_space) {
        c = after;
    }
    c.whole()
}

fn data_flow(mut c: Cursor) -> Option<Found> {
    (c.word("job failed due to reason") || c.literal("DataFlowDebug")).then(|| c.whole())?
}

fn shir_code(mut c: Cursor) -> Option<Found> {
    if !c.word("the error code is") {
        return None;
    }
    c.byte(b':');
    c.spaces();
    let value = c.group(is_code_no_dot, is_code_no_dot)?;
    c.found(value)
}

fn chain_start(mut c: Cursor) -> Option<Found> {
    let ok = c.literal("ErrorCode=") && c.run(is_code_no_dot) > 0 && c.byte(b',');
    if !ok {
        return None;
    }
    c.spaces();
    c.byte(b'\'');
    c.literal("Type=").then(|| c.whole())?
}

fn failure_type(mut c: Cursor) -> Option<Found> {
    if !c.spaced("failure", "type") {
        return None;
    }
    c.run_max(|b| b == b'*', 2);
    c.separator(b"\"");
    let start = c.at;
    let named = c.spaced("user", "error")
        || c.spaced("system", "error")
        || c.first_word(&["user configuration issue", "transient error"]);
    named.then(|| c.found(start..c.at))?
}

fn operation_target(mut c: Cursor) -> Option<Found> {
    if !c.literal("Operation on target ") {
        return None;
    }
    let start = c.at;
    // `.{1,160}?`: the shortest name (in characters, none a line break) before " failed".
    for _ in 0..160 {
        if !c.char_except(&['\n']) {
            return None;
        }
        let end = c.at;
        if c.literal(" failed") {
            return c.found(start..end);
        }
    }
    None
}

fn side(mut c: Cursor) -> Option<Found> {
    if !(c.word("failure happened on") && c.byte(b' ')) {
        return None;
    }
    c.byte(b'\'');
    let start = c.at;
    if !c.first_word(&["source", "sink"]) {
        return None;
    }
    let value = start..c.at;
    c.byte(b'\'');
    (c.byte(b' ') && c.word("side")).then(|| c.found(value))?
}

fn exception_type(mut c: Cursor) -> Option<Found> {
    if !c.literal("Type=") {
        return None;
    }
    let start = c.at;
    if !c.one(|b| b.is_ascii_alphabetic() || b == b'_') {
        return None;
    }
    let first = c.at;
    let mut end = c;
    end.run(|b| is_word(b) || b == b'.');
    // The name runs as far as it can, then gives back until a kind word follows: the last one.
    (first..=end.at).rev().find_map(|at| {
        let mut c = Cursor { at, ..c };
        if !c.first_literal(&["Exception", "Error", "Fault"]) {
            return None;
        }
        c.run(is_word);
        c.found(start..c.at)
    })
}

fn http_status(mut c: Cursor) -> Option<Found> {
    let named = c.spaced("status", "code")
        || c.attempt(|c| {
            let hit = c.word("http status");
            // ` code` is taken when here: left, it could not be read as the status anyway.
            c.word(" code");
            hit
        })
        || c.attempt(|c| c.word("http/1.") && c.any_of(b"01"))
        || c.word("response status");
    if !named {
        return None;
    }
    c.run(|b| is_space(b) || matches!(b, b'\'' | b'"' | b':' | b'='));
    if c.literal("is") {
        c.spaces();
    }
    c.any_of(b"'\"");
    let start = c.at;
    let status = c.http_status();
    // `\b` after a digit: no letter, digit or underscore follows.
    let boundary = c.rest().first().is_none_or(|&b| !is_word(b));
    (status && boundary).then(|| c.found(start..c.at))?
}

/// The only unanchored pattern: the leftmost status in the window that a reason follows.
fn http_reason(text: &str) -> Option<Found> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|start| {
        if start > 0 && is_word(bytes[start - 1]) {
            return None;
        }
        let mut c = Cursor { text, at: start };
        if !c.http_status() {
            return None;
        }
        let value = start..c.at;
        c.byte(b' ');
        c.byte(b'(').then_some(Found {
            start,
            end: c.at,
            value,
        })
    })
}

fn url_host(mut c: Cursor) -> Option<Found> {
    let scheme = if c.word("http") || c.word("ftp") {
        c.word("s");
        true
    } else {
        c.word("sftp") || c.attempt(|c| c.word("jdbc:") && c.run(|b| b.is_ascii_alphabetic()) > 0)
    };
    if !(scheme && c.literal("://")) {
        return None;
    }
    let value = c.group(is_code, is_code)?;
    c.found(value)
}

fn runtime_name(mut c: Cursor) -> Option<Found> {
    if !(c.spaced("integration", "runtime") || c.literal("IR")) {
        return None;
    }
    c.spaces();
    let mut kind = c;
    if kind.byte(b'(') && kind.first_word(&["self-hosted", "azure", "managed"]) && kind.byte(b')') {
        kind.spaces();
        c = kind;
    }
    c.word("name");
    c.any_of(b":=");
    c.spaces();
    if !c.byte(b'\'') {
        return None;
    }
    let start = c.at;
    if !c.char_except(&['\'', '\t', '\n', '\r', ' ']) {
        return None;
    }
    for _ in 0..79 {
        if !c.char_except(&['\'']) {
            break;
        }
    }
    let value = start..c.at;
    c.byte(b'\'').then(|| c.found(value))?
}

fn activity_id(mut c: Cursor) -> Option<Found> {
    if !c.spaced("activity", "id") {
        return None;
    }
    let mut is = c;
    if is.spaces() && is.literal("is") {
        c = is;
    }
    c.separator(b"'\"");
    let start = c.at;
    let uuid = [8, 4, 4, 4, 12].iter().enumerate().all(|(part, &len)| {
        (part == 0 || c.byte(b'-')) && c.run_max(|b| b.is_ascii_hexdigit(), len) == len
    });
    uuid.then(|| c.found(start..c.at))?
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    //! Each reader against the regex it replaced, on texts made of the pattern's own pieces.

    use super::{read, Field, Found};
    use proptest::prelude::*;
    use regex_lite::Regex;

    /// Each pattern's regex (as `words.rs` shows it), the words a match may start with, and
    /// pieces of its own that the rest of a text is made from.
    const CASES: &[(Field, &str, &[&str], &[&str])] = &[
        (
            Field::Code,
            r#"^(?i:error[ _]?code|"code")\*{0,2}(?:"?\s*[=:]|\s+is:?|\s)\s*['"]?([A-Za-z0-9][A-Za-z0-9_.-]*)"#,
            &[
                "error code",
                "errorcode",
                "error_code",
                "\"code\"",
                "error  code",
                "error-code",
            ],
            &["**", "is", "is:", "code", "2108", "DF-Foo", "x_1.2-3"],
        ),
        (
            Field::StatusCode,
            r#"^"(?i:statuscode)"\s*:\s*"([A-Za-z][A-Za-z0-9_.-]*)""#,
            &[
                "\"statuscode\"",
                "\"statuscode",
                "\"statuscode\":\"",
                "\"statuscode\" : \"",
            ],
            &[
                "DF-Executor",
                "DFExecutorUserError",
                "1abc",
                "\"DF-Executor\"",
                ": \"",
            ],
        ),
        (
            Field::DataFlowCode,
            r"^DF-[A-Za-z0-9]+-[A-Za-z0-9_]+(?::\s)?",
            &["DF-", "df-", "DF-Executor-", "DF-x9-"],
            &["Executor", "Invalid_Path", ": ", "x9", "Executor-"],
        ),
        (
            Field::DataFlow,
            r"^(?:(?i:job failed due to reason)|DataFlowDebug)",
            &[
                "job failed due to reason",
                "job failed due to reaso",
                "DataFlowDebug",
                "dataflowdebug",
            ],
            &["job", "reason", "ExpressionResolver", "Debug"],
        ),
        (
            Field::ShirLog,
            r"^(?i:the error code is):?\s*([A-Za-z0-9_-]+)",
            &["the error code is", "the error code i"],
            &["InvalidGatewayKey", "is"],
        ),
        (
            Field::ChainStart,
            r"^ErrorCode=[A-Za-z0-9_-]+,\s*'?Type=",
            &["ErrorCode=", "ErrorCode=Sql_Failed-1,", "ErrorCode=x,'"],
            &["Sql_Failed-1", ",", "Type=", "''", ",'Type="],
        ),
        (
            Field::FailureType,
            r#"^(?i:failure ?type)\*{0,2}"?\s*[=:]?\s*"?((?i:user ?error|system ?error|user configuration issue|transient error))"#,
            &["failure type", "failuretype", "failure  type"],
            &[
                "**",
                "user error",
                "usererror",
                "system error",
                "systemerror",
                "user configuration issue",
                "transient error",
                "transient  error",
                "user",
                "error",
            ],
        ),
        (
            Field::OperationTarget,
            r"^Operation on target (.{1,160}?) failed",
            &["Operation on target ", "operation on target "],
            &[
                " failed",
                "failed",
                "Copy data1",
                "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                "éééééééééééééééééééééééééééééé",
            ],
        ),
        (
            Field::Side,
            r"^(?i:failure happened on) '?((?i:source|sink))'? (?i:side)",
            &[
                "failure happened on",
                "failure happened on ",
                "failure happened on '",
            ],
            &[
                "source",
                "sink",
                "side",
                "sinks",
                "sourc",
                "'sink' side",
                "source side",
                " side",
            ],
        ),
        (
            Field::ExceptionType,
            r"^Type=([A-Za-z_][A-Za-z0-9_.]*(?:Exception|Error|Fault)[A-Za-z0-9_]*)",
            &["Type=", "Type=_", "Type=System."],
            &[
                "System.Net.WebException",
                "Exception",
                "Error",
                "Fault",
                "Err",
                "Exc",
                "Faul",
                "Microsoft.",
                "Sql",
                "x1",
            ],
        ),
        (
            Field::HttpStatus,
            r#"^(?i:status ?code|http status(?: code)?|statuscode|http/1\.[01]|response status)['":=\s]*(?:is\s*)?['"]?([1-5][0-9][0-9])\b"#,
            &[
                "status code",
                "statuscode",
                "status  code",
                "http status",
                "http status code",
                "http/1.1",
                "http/1.0",
                "http/1.2",
                "http/1.",
                "response status",
            ],
            &[
                "is",
                "404",
                "500",
                "200",
                "600",
                "4044",
                "40",
                "code",
                " code",
                "response status",
            ],
        ),
        (
            Field::HttpReason,
            r"\b([1-5][0-9][0-9]) ?\(",
            &["", "404 ", "a404", "(BadRequest)", "500("],
            &["404", "500", "4040", "(NotFound)", "12", "6"],
        ),
        (
            Field::UrlHost,
            r"^(?i:https?|sftp|ftps?|jdbc:[a-z]+)://([A-Za-z0-9._-]+)",
            &[
                "http://",
                "https://",
                "sftp://",
                "ftp://",
                "ftps://",
                "jdbc:",
                "jdbc:sqlserver://",
                "httpss://",
                "jdbc:://",
                "jdbc:sql",
            ],
            &[
                "contoso.blob.core.windows.net",
                "://",
                "sqlserver",
                "a_b-c.d",
                "/",
            ],
        ),
        (
            Field::RuntimeName,
            r"^(?:(?i:integration ?runtime)|IR)\s*(?:\((?i:self-hosted|azure|managed)\)\s*)?(?i:name)?[:=]?\s*'([^'\t\n\r ][^']{0,79})'",
            &[
                "integration runtime",
                "integrationruntime",
                "IR",
                "ir",
                "integration  runtime",
                "IR (self-hosted)",
            ],
            &[
                "(self-hosted)",
                "(azure)",
                "(managed)",
                "(other)",
                "name",
                "MyIR",
                "'My IR'",
                "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
                "éééééééééééééééééééé",
            ],
        ),
        (
            Field::ActivityId,
            r#"^(?i:activity ?id)(?:\s+is)?['"]?\s*[:=]?\s*['"]?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"#,
            &["activity id", "activityid", "activity  id"],
            &[
                "is",
                "1f0e0c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
                "1f0e0c1a",
                "2b3c",
                "a1b2c3d4e5f6",
                "g",
            ],
        ),
    ];

    /// Pieces every text may have: the separators, quotes and classes the patterns read, and
    /// characters regex-lite's ASCII-only classes and case folding must not take.
    const COMMON: &[&str] = &[
        " ", "  ", "\t", "\n", "\r", "\x0B", "\x0C", "\"", "'", "=", ":", "*", "-", "_", ".", "0",
        "7", "a", "Z", "é", "\u{212A}", "\u{17F}", "(", ")", "\u{A0}",
    ];

    fn expected(regex: &Regex, text: &str) -> Option<Found> {
        let m = regex.captures(text)?;
        let whole = m.get(0)?;
        let value = m.get(1).unwrap_or(whole).range();
        Some(Found {
            start: whole.start(),
            end: whole.end(),
            value,
        })
    }

    /// ASCII letters of `word` in upper case where `mask`'s bits say.
    fn recase(word: &str, mask: u64) -> String {
        word.chars()
            .enumerate()
            .map(|(i, c)| {
                if mask >> (i % 64) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c
                }
            })
            .collect()
    }

    fn text(case: usize) -> impl Strategy<Value = String> {
        let (_, _, starts, own) = CASES[case];
        let piece = prop_oneof![
            1 => proptest::sample::select(own),
            1 => proptest::sample::select(COMMON),
        ];
        (
            proptest::sample::select(starts),
            any::<u64>(),
            proptest::collection::vec((piece, any::<u64>()), 0..10),
        )
            .prop_map(|(start, mask, pieces)| {
                // Mostly as written, so that case-sensitive words match too.
                let recased = |word: &str, mask: u64| {
                    if mask.is_multiple_of(3) {
                        recase(word, mask)
                    } else {
                        word.to_string()
                    }
                };
                let mut text = recased(start, mask);
                for (piece, mask) in pieces {
                    text.push_str(&recased(piece, mask));
                }
                text
            })
    }

    fn agree(case: usize, text: &str) -> Result<(), TestCaseError> {
        let (field, regex, _, _) = CASES[case];
        let regex = Regex::new(regex).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(
            read(field, text),
            expected(&regex, text),
            "{:?} on {:?}",
            field,
            text
        );
        Ok(())
    }

    #[test]
    fn every_pattern_has_a_case() {
        for (index, case) in CASES.iter().enumerate() {
            assert_eq!(
                super::super::words::PATTERNS[index].field,
                case.0,
                "CASES follows PATTERNS"
            );
        }
        assert_eq!(CASES.len(), super::super::words::PATTERNS.len());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn readers_agree_with_their_regexes(
            (case, text) in (0..CASES.len()).prop_flat_map(|case| (Just(case), text(case)))
        ) {
            agree(case, &text)?;
        }
    }
}
