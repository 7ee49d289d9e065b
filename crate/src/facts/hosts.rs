//! Finds cloud host names and IPv4 addresses by hand: a generic host pattern has no literal
//! to search for, and without a DFA the regex engine would crawl over a multi-megabyte paste.

/// Domains of the services pipelines talk to; a host is reported only with one of these.
pub(super) const CLOUD_SUFFIXES: &[&str] = &[
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

/// The host name that `CLOUD_SUFFIXES[suffix]`, found at `start..end`, ends, as written in the
/// text: `None` when the suffix continues (`.windows.network`) or starts the name.
pub(super) fn cloud_host(text: &str, suffix: usize, start: usize, end: usize) -> Option<&str> {
    let bytes = text.as_bytes();
    if end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'-') {
        return None;
    }
    let mut start = start;
    while start > 0 && is_host_byte(bytes[start - 1]) {
        start -= 1;
    }
    let host = text[start..end].trim_start_matches(['.', '-']);
    (host.len() > CLOUD_SUFFIXES[suffix].len()).then_some(host)
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
            // Trimmed by bytes: `trim_end_matches('.')` builds a character searcher, and every
            // run of digits in a log (times, dates, counts) comes here.
            // The run starts with a digit: the loop stops there at the latest.
            let mut digits_end = end;
            while bytes[digits_end - 1] == b'.' {
                digits_end -= 1;
            }
            let candidate = &text[start..digits_end];
            let followed_by_word = end < bytes.len() && bytes[end].is_ascii_alphanumeric();
            if !followed_by_word && is_ipv4(candidate) {
                return Some(candidate);
            }
        }
        None
    })
}

/// Whether digits and dots form four numbers of one to three digits, each at most 255.
fn is_ipv4(candidate: &str) -> bool {
    // Every run of digits in a log is a candidate (times, dates, counts): reject most by their
    // dots, without allocating.
    let bytes = candidate.as_bytes();
    if bytes.iter().filter(|&&b| b == b'.').count() != 3 {
        return false;
    }
    bytes.split(|&b| b == b'.').all(|part| {
        (1..=3).contains(&part.len())
            && part.iter().all(u8::is_ascii_digit)
            && part.iter().fold(0u32, |n, &b| n * 10 + u32::from(b - b'0')) <= 255
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cloud_hosts_and_addresses() {
        let text = "Endpoint: https://Contoso.blob.core.windows.net/, server tcp:sql01.database.windows.net,1433; not x.windows.network; IPs 10.0.0.4:443 and 52.239.10.4, version 1.2.3.4.5, 300.1.1.1";
        assert_eq!(
            super::super::extract(text).endpoints,
            [
                "Contoso.blob.core.windows.net",
                "sql01.database.windows.net",
                "10.0.0.4",
                "52.239.10.4"
            ]
        );
        let ips: Vec<&str> = ipv4s(text).collect();
        assert_eq!(ips, ["10.0.0.4", "52.239.10.4"]);
    }

    /// An address ends before the dots that end its run, however many.
    #[test]
    fn addresses_end_before_trailing_dots() {
        let text = "a 10.0.0.4. b 10.0.0.5... c 1.2.3.4.5. d 10.0.0.6.x 7. 10.0.0.7";
        let ips: Vec<&str> = ipv4s(text).collect();
        assert_eq!(ips, ["10.0.0.4", "10.0.0.5", "10.0.0.7"]);
    }
}
