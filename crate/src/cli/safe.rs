//! What text read from an error may look like on a terminal: control characters, escape
//! sequences and bidirectional overrides shown escaped (`\x1b`), in plain text and in JSON.
//!
//! An error text is data from elsewhere: written raw, `ESC [ 2 J` clears the screen, an OSC
//! sequence retitles the window or plants a link, and U+202E reorders what the reader sees.

use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

/// Characters a terminal acts on instead of showing: C0 and C1 controls, DEL, and the
/// bidirectional formatting characters. Tab only moves to the next column.
fn is_unsafe(ch: char) -> bool {
    (ch.is_control() && ch != '\t')
        || matches!(ch, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as an escape: `\x1b`, `\u{202e}`.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            c if !is_unsafe(c) => out.push(c),
            c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `value` as one line of JSON. serde_json escapes C0 controls already; DEL, C1 controls and
/// bidirectional overrides are escaped too (`\u009b`), which every JSON reader reads back the same.
pub fn json(value: &impl Serialize) -> String {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, EscapeUnsafe);
    match value.serialize(&mut serializer) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(e) => serde_json::json!({ "error": e.to_string() }).to_string(),
    }
}

struct EscapeUnsafe;

impl serde_json::ser::Formatter for EscapeUnsafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut from = 0;
        for (at, ch) in fragment.char_indices().filter(|&(_, c)| is_unsafe(c)) {
            writer.write_all(&fragment.as_bytes()[from..at])?;
            write!(writer, "\\u{:04x}", ch as u32)?;
            from = at + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[from..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        for (text, shown) in [
            ("plain, café 😀\tok", "plain, café 😀\tok"),
            ("\x1b[2J\x1b]0;owned\x07", "\\x1b[2J\\x1b]0;owned\\x07"),
            ("a\u{9b}31mb\u{7f}", "a\\u{9b}31mb\\x7f"),
            ("user\u{202E}txt.exe", "user\\u{202e}txt.exe"),
            ("line\r\nbreak", "line\\x0d\\x0abreak"),
        ] {
            assert_eq!(visible(text), shown);
        }
    }

    #[test]
    fn json_escapes_them_and_reads_back_the_same() {
        let text = "x\u{1b}[31m\u{9b}\u{7f}\u{202E}é";
        let line = json(&serde_json::json!({ "text": text }));
        assert_eq!(line, r#"{"text":"x\u001b[31m\u009b\u007f\u202eé"}"#);
        let back: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(back["text"], text);
    }
}
