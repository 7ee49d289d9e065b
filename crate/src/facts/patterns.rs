//! The textual forms of ADF errors, each read by one pattern anchored on a fixed word.

use super::{push_unique, Facts, Side};
use regex::Regex;

use std::sync::OnceLock;

struct Patterns {
    code: Regex,
    failure_type: Regex,
    operation_target: Regex,
    side: Regex,
    exception_type: Regex,
    chain_message: Regex,
    shir_log: Regex,
    http_status: Regex,
    http_reason: Regex,
    url_host: Regex,
    runtime_name: Regex,
    activity_id: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        // ASCII mode (`(?-u)`) keeps the Unicode tables out of the wasm; the few parts that
        // must span any character say so with `(?u:...)`. Every pattern is a literal of this
        // file, and `facts::tests` compiles each one natively with the same regex features.
        let re = |p: &str| Regex::new(&format!("(?-u){p}")).expect("extraction pattern compiles");
        Patterns {
            code: re(r#"(?i:\berror[ _]?code|"code")(?:"?\s*[=:]|\s+is:?|\s)\s*['"]?([A-Za-z0-9][A-Za-z0-9_.-]*)"#),
            failure_type: re(
                r#"(?i:failure ?type)"?\s*[=:]?\s*"?((?i:user ?error|system ?error|user configuration issue|system error|transient error|user error))"#,
            ),
            operation_target: re(r"\bOperation on target ((?u:.){1,160}?) failed"),
            side: re(r"(?i:failure happened on) '?(?i:(source|sink))'? side"),
            exception_type: re(r"\bType=([A-Za-z_][A-Za-z0-9_.]*(?:Exception|Error|Fault)[A-Za-z0-9_]*)"),
            chain_message: re(r"\bErrorCode=[A-Za-z0-9_-]+,\s*'?Type="),
            shir_log: re(r"(?i:the error code is):?\s*([A-Za-z0-9_-]+)"),
            http_status: re(
                r#"(?i:status ?code|http status(?: code)?|statuscode|http/1\.[01]|response status)['":=\s]*(?:is\s*)?['"]?([1-5][0-9][0-9])\b"#,
            ),
            http_reason: re(
                r"\b([1-5][0-9][0-9]) ?\((?:BadRequest|Unauthorized|Forbidden|NotFound|Conflict|InternalServerError|BadGateway|ServiceUnavailable|GatewayTimeout|TooManyRequests|RequestTimeout)\)",
            ),
            url_host: re(r"(?i:https?|sftp|ftps?|jdbc:[a-z]+)://([A-Za-z0-9._-]+)"),
            runtime_name: re(
                r"(?i:integration ?runtime|\bIR)\s*(?:\((?i:self-hosted|azure|managed)\)\s*)?(?i:name)?[:=]?\s*'((?u:[^'\t\n\r ])(?u:[^']){0,79})'",
            ),
            activity_id: re(
                r"(?i:activity ?id)(?:\s+is)?['\x22]?\s*[:=]?\s*['\x22]?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})",
            ),
        }
    })
}

#[cfg(test)]
pub(super) fn compile_all() {
    let _ = patterns();
}

pub(super) fn read_patterns(text: &str, facts: &mut Facts) {
    let p = patterns();
    for c in p.code.captures_iter(text).take(64) {
        facts.add_code(&c[1]);
    }
    if let Some(c) = p.shir_log.captures(text) {
        facts.add_code(&c[1]);
        facts.add_form("shir-log");
    }
    if p.chain_message.is_match(text) {
        facts.add_form("error-chain");
    }
    if let Some(c) = p.failure_type.captures(text) {
        facts.failure_type.get_or_insert_with(|| c[1].to_string());
    }
    if let Some(c) = p.operation_target.captures(text) {
        facts
            .activity
            .get_or_insert_with(|| c[1].trim().to_string());
        facts.add_form("monitoring-pane");
    }
    if let Some(c) = p.side.captures(text) {
        let side = if c[1].eq_ignore_ascii_case("sink") {
            Side::Sink
        } else {
            Side::Source
        };
        facts.side.get_or_insert(side);
    }
    for c in p.exception_type.captures_iter(text).take(64) {
        push_unique(&mut facts.exception_types, &c[1]);
    }
    if facts.message.is_none() {
        if let Some(start) = text.find("Message=") {
            let rest = &text[start + "Message=".len()..];
            let end = rest.find(",Source=").unwrap_or(rest.len());
            facts.add_message(&rest[..end]);
        }
    }
    for c in p
        .http_status
        .captures_iter(text)
        .chain(p.http_reason.captures_iter(text))
        .take(32)
    {
        if let Ok(status) = c[1].parse::<u16>() {
            if !facts.http_status.contains(&status) && facts.http_status.len() < 8 {
                facts.http_status.push(status);
            }
        }
    }
    for c in p.url_host.captures_iter(text).take(32) {
        push_unique(&mut facts.endpoints, c[1].trim_end_matches('.'));
    }
    for host in super::hosts::cloud_hosts(text)
        .chain(super::hosts::ipv4s(text))
        .take(32)
    {
        push_unique(&mut facts.endpoints, host);
    }
    if let Some(c) = p.runtime_name.captures(text) {
        facts
            .integration_runtime
            .get_or_insert_with(|| c[1].to_string());
    }
    if let Some(c) = p.activity_id.captures(text) {
        facts.activity_id.get_or_insert_with(|| c[1].to_string());
    }
    if is_monitoring_pane_copy(text) {
        facts.add_form("monitoring-pane");
    }
    facts.ir_kind = facts.ir_kind.or_else(|| ir_kind(text));
}

/// The monitoring error dialog, copied as text, lists its fields as labels.
fn is_monitoring_pane_copy(text: &str) -> bool {
    let head = &text[..floor_boundary(text, 4096)];
    head.contains("Error code") && (head.contains("Failure type") || head.contains("Details"))
}

fn ir_kind(text: &str) -> Option<&'static str> {
    let lower = text[..floor_boundary(text, 64 * 1024)].to_ascii_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["managed virtual network", "managed vnet", "managedvnet"]) {
        Some("managed-vnet")
    } else if has(&[
        "self-hosted",
        "selfhosted",
        "self hosted",
        "shir",
        "diawp",
        "dmgcmd",
        "gateway",
    ]) {
        Some("self-hosted")
    } else if has(&["ssis"]) {
        Some("ssis")
    } else if has(&[
        "autoresolveintegrationruntime",
        "azure ir",
        "azure integration runtime",
    ]) {
        Some("azure")
    } else {
        None
    }
}

fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
