//! Cleans pasted error text for matching, remembering where each byte came from.
//!
//! ```
//! use adf_troubleshooter::normalize::Normalized;
//! let n = Normalized::new("Message=It&#39;s   a \\\"key\\\"");
//! assert_eq!(n.text, "Message=It's a \"key\"");
//! // Offsets lead back to the original text, escapes and all.
//! assert_eq!(n.original_byte(n.text.find("key").unwrap()), 23);
//! ```
//!
//! Error texts reach users HTML-escaped (`&#39;`), JSON-escaped once or several times
//! (`\\\"`), re-wrapped by terminals and mail clients, and with typographic quotes. Knowledge
//! messages and pasted text both go through [`Normalized::new`], so a message matches however
//! the text travelled. Case is kept; matching ignores ASCII case on its own.

/// The cleaned text and, for each of its bytes, the byte offset in the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    pub text: String,
    origin: Vec<u32>,
}

impl Normalized {
    pub fn new(original: &str) -> Self {
        let mut out = Normalized {
            text: String::with_capacity(original.len()),
            origin: Vec::with_capacity(original.len()),
        };
        let bytes = original.as_bytes();
        let plain = |b: u8| b.is_ascii_graphic() && !matches!(b, b'\\' | b'&' | b'`');
        let mut i = 0;
        while i < bytes.len() {
            // Plain ASCII needs no decoding: the common case, copied a run at a time so that
            // large pastes stay cheap. A single space after a plain character stays as it is.
            let run = i;
            while i < bytes.len()
                && (plain(bytes[i]) || (bytes[i] == b' ' && i > run && bytes[i - 1] != b' '))
            {
                i += 1;
            }
            if i > run {
                out.push_run(original, run, i);
                continue;
            }
            let (ch, consumed) = match bytes[i] {
                b' ' => (' ', 1),
                _ => decode_at(original, i),
            };
            let ch = match ch {
                c if c.is_whitespace() => ' ',
                '\u{2018}' | '\u{2019}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c => c,
            };
            if ch == ' ' && (out.text.is_empty() || out.text.ends_with(' ')) {
                i += consumed;
                continue;
            }
            out.push(ch, i);
            i += consumed;
        }
        if out.text.ends_with(' ') {
            out.text.pop();
            out.origin.pop();
        }
        out
    }

    /// Copies `original[start..end]`, plain ASCII, unchanged.
    fn push_run(&mut self, original: &str, start: usize, end: usize) {
        self.text.push_str(&original[start..end]);
        match (u32::try_from(start), u32::try_from(end)) {
            (Ok(start), Ok(end)) => self.origin.extend(start..end),
            _ => self
                .origin
                .extend((start..end).map(|at| u32::try_from(at).unwrap_or(u32::MAX))),
        }
    }

    fn push(&mut self, ch: char, from: usize) {
        let from = u32::try_from(from).unwrap_or(u32::MAX);
        for _ in 0..ch.len_utf8() {
            self.origin.push(from);
        }
        self.text.push(ch);
    }

    /// The same text with the given byte ranges (sorted, disjoint, on character boundaries)
    /// blanked out: offsets, and the way back to the original, still hold.
    pub fn blank(&self, ranges: &[(usize, usize)]) -> Normalized {
        let mut text = String::with_capacity(self.text.len());
        let mut at = 0;
        for &(start, end) in ranges {
            text.push_str(&self.text[at..start]);
            text.extend(std::iter::repeat_n(' ', end - start));
            at = end;
        }
        text.push_str(&self.text[at..]);
        Normalized {
            text,
            origin: self.origin.clone(),
        }
    }

    /// The byte offset in the original text that produced byte `at` of the cleaned text.
    pub fn original_byte(&self, at: usize) -> usize {
        self.origin
            .get(at)
            .or(self.origin.last())
            .map_or(0, |&o| o as usize)
    }

    /// The original byte range behind a cleaned range (end exclusive).
    pub fn original_range(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        if end <= start {
            let at = self.original_byte(start);
            return (at, at);
        }
        let last = self.original_byte(end - 1);
        let last_len = original[last..].chars().next().map_or(0, char::len_utf8);
        (self.original_byte(start), last + last_len)
    }
}

/// Decodes one logical character at byte `i`: an escape sequence or entity counts as one.
fn decode_at(text: &str, i: usize) -> (char, usize) {
    let rest = &text[i..];
    let first = rest.chars().next().unwrap_or(' ');
    match first {
        '\\' => decode_escape(rest),
        '&' => decode_entity(rest).unwrap_or(('&', 1)),
        c => (c, c.len_utf8()),
    }
}

/// JSON escaping may be nested (`\\\"`): every backslash run before a quote or letter escape
/// collapses to the character itself.
fn decode_escape(rest: &str) -> (char, usize) {
    let slashes = rest.bytes().take_while(|&b| b == b'\\').count();
    let after = &rest[slashes..];
    match after.as_bytes().first() {
        Some(b'"') => ('"', slashes + 1),
        Some(b'\'') => ('\'', slashes + 1),
        Some(b'/') => ('/', slashes + 1),
        // A Windows path may lose a letter here (`C:\\new`); paths are wildcards in messages.
        Some(b'n' | b'r' | b't') => (' ', slashes + 1),
        Some(b'u') => after
            .get(1..5)
            .and_then(|hex| u32::from_str_radix(hex, 16).ok())
            .and_then(char::from_u32)
            .map_or(('\\', slashes), |c| (c, slashes + 5)),
        _ if slashes > 1 => ('\\', slashes),
        _ => ('\\', 1),
    }
}

/// The longest entity worth reading (`&#x1F600;` is 10 bytes); the window may end inside a
/// multi-byte character when the `&` is plain text followed by Japanese, accents or emoji.
const MAX_ENTITY_BYTES: usize = 12;

fn decode_entity(rest: &str) -> Option<(char, usize)> {
    let end = rest[..rest.floor_char_boundary(MAX_ENTITY_BYTES)].find(';')?;
    let name = &rest[1..end];
    let ch = match name {
        "quot" => '"',
        "apos" => '\'',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => ' ',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()?
            } else {
                name.strip_prefix('#')?.parse().ok()?
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_the_ways_error_texts_travel() {
        for (input, expected) in [
            ("a  \n\t b", "a b"),
            (
                "It&#39;s &quot;x&quot; &amp; &#x27;y&#x27;",
                "It's \"x\" & 'y'",
            ),
            (
                r#"{\"error\":{\"code\":\"InternalError\"}}"#,
                r#"{"error":{"code":"InternalError"}}"#,
            ),
            (r#"\\\"nested\\\""#, r#""nested""#),
            ("line\\nbreak", "line break"),
            ("C:\\Windows\\System32", "C:\\Windows\\System32"),
            ("\u{2018}Sink\u{2019} side", "'Sink' side"),
            ("\\u0027quoted\\u0027", "'quoted'"),
            ("&unknown; & ", "&unknown; &"),
            (
                "Copy_データ & 分析パイプライン",
                "Copy_データ & 分析パイプライン",
            ),
            ("a &é;", "a &é;"),
            ("&#x1F600; &#128512;", "\u{1F600} \u{1F600}"),
            ("   ", ""),
        ] {
            assert_eq!(Normalized::new(input).text, expected, "input {input:?}");
        }
    }

    #[test]
    fn blanked_ranges_keep_offsets() {
        let original = "a &#39;é&#39; at x.y(Z.java:1) b";
        let n = Normalized::new(original);
        let frame = n.text.find("at x").unwrap();
        let blanked = n.blank(&[(frame, frame + "at x.y(Z.java:1)".len())]);
        assert_eq!(blanked.text, format!("a 'é' {} b", " ".repeat(16)));
        let b = blanked.text.rfind('b').unwrap();
        assert_eq!(
            &original[blanked.original_range(b, b + 1, original).0..],
            "b"
        );
    }

    #[test]
    fn maps_cleaned_ranges_back_to_the_original() {
        let original = "x &#39;Sink&#39;  side é";
        let n = Normalized::new(original);
        let start = n.text.find("Sink").unwrap();
        let (a, b) = n.original_range(start, start + 4, original);
        assert_eq!(&original[a..b], "Sink");
        let e = n.text.find('é').unwrap();
        let (a, b) = n.original_range(e, e + 'é'.len_utf8(), original);
        assert_eq!(&original[a..b], "é");
    }
}
