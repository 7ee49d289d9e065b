//! Finds cloud host names and IPv4 addresses by hand: a generic host pattern has no literal
//! to search for, and without a DFA the regex engine would crawl over a multi-megabyte paste.

use crate::automaton::Automaton;
use std::sync::OnceLock;

/// Domains of the services pipelines talk to; a host is reported only with one of these.
const CLOUD_SUFFIXES: &[&str] = &[
    ".windows.net",
    ".azure.com",
    ".azure.net",
    ".azure.cn",
    ".azure.us",
    ".usgovcloudapi.net",
    ".chinacloudapi.cn",
    ".azuresynapse.net",
    ".fabric.microsoft.com",
    ".snowflakecomputing.com",
    ".salesforce.com",
    ".service-now.com",
    ".amazonaws.com",
    ".sharepoint.com",
    ".dynamics.com",
];

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// Host names ending in a cloud suffix, as written in the text.
pub(super) fn cloud_hosts(text: &str) -> impl Iterator<Item = &str> {
    static SUFFIXES: OnceLock<Automaton> = OnceLock::new();
    let suffixes = SUFFIXES.get_or_init(|| Automaton::new(CLOUD_SUFFIXES, true));
    let bytes = text.as_bytes();
    suffixes
        .non_overlapping(text)
        .into_iter()
        .filter_map(move |(suffix, start, end)| {
            if end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-') {
                return None;
            }
            let mut start = start;
            while start > 0 && is_host_byte(bytes[start - 1]) {
                start -= 1;
            }
            let host = text[start..end].trim_start_matches(['.', '-']);
            (host.len() > CLOUD_SUFFIXES[suffix].len()).then_some(host)
        })
}

/// Dotted-quad IPv4 addresses not embedded in longer dotted numbers (versions, OIDs).
pub(super) fn ipv4s(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() {
            let start = at;
            if !bytes[at].is_ascii_digit() || (at > 0 && is_host_byte(bytes[at - 1])) {
                at += 1;
                continue;
            }
            let mut end = at;
            while end < bytes.len() && (bytes[end].is_ascii_digit() || bytes[end] == b'.') {
                end += 1;
            }
            at = end.max(start + 1);
            let candidate = text[start..end].trim_end_matches('.');
            let followed_by_word = end < bytes.len() && bytes[end].is_ascii_alphanumeric();
            if !followed_by_word && is_ipv4(candidate) {
                return Some(candidate);
            }
        }
        None
    })
}

fn is_ipv4(candidate: &str) -> bool {
    let parts: Vec<&str> = candidate.split('.').collect();
    parts.len() == 4
        && parts
            .iter()
            .all(|p| (1..=3).contains(&p.len()) && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cloud_hosts_and_addresses() {
        let text = "Endpoint: https://Contoso.blob.core.windows.net/, server tcp:sql01.database.windows.net,1433; not x.windows.network; IPs 10.0.0.4:443 and 52.239.10.4, version 1.2.3.4.5, 300.1.1.1";
        let hosts: Vec<&str> = cloud_hosts(text).collect();
        assert_eq!(
            hosts,
            [
                "Contoso.blob.core.windows.net",
                "sql01.database.windows.net"
            ]
        );
        let ips: Vec<&str> = ipv4s(text).collect();
        assert_eq!(ips, ["10.0.0.4", "52.239.10.4"]);
    }
}
