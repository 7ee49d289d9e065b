//! Reads error texts as users have them: files or standard input, UTF-8 with or without a
//! byte-order mark, UTF-16 with one, bounded in size, and JSON lines from other writers.

use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// The most an input (or one `--jsonl` line) may hold; larger is refused, not read into memory.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Opens `path` (standard input for `-` or none) as UTF-8: a UTF-8 byte-order mark is dropped,
/// and UTF-16 with a byte-order mark (what PowerShell's `>` writes) is converted as it is read.
pub fn open(path: Option<&Path>) -> Result<Box<dyn BufRead>, String> {
    let (raw, name): (Box<dyn Read>, Cow<str>) = match path {
        None => (Box::new(io::stdin().lock()), "standard input".into()),
        Some(p) if p == Path::new("-") => (Box::new(io::stdin().lock()), "standard input".into()),
        Some(p) => {
            let file =
                std::fs::File::open(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            (Box::new(file), p.display().to_string().into())
        }
    };
    decoded(raw).map_err(|e| format!("cannot read {name}: {e}"))
}

/// The whole text of `path`, refused when larger than [`MAX_INPUT_BYTES`]. Bytes that are not
/// UTF-8 (logs copied from Windows machines) become U+FFFD: what can be read is read.
pub fn read_text(path: Option<&Path>) -> Result<String, String> {
    let mut bytes = Vec::new();
    open(path)?
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the input: {e}"))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(format!("input is larger than {} MB", MAX_INPUT_BYTES >> 20));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn decoded(mut raw: Box<dyn Read>) -> io::Result<Box<dyn BufRead>> {
    let mut head = Vec::with_capacity(3);
    (&mut raw).take(3).read_to_end(&mut head)?;
    let (encoding, bom) = match head.as_slice() {
        [0xEF, 0xBB, 0xBF, ..] => (None, 3),
        [0xFF, 0xFE, ..] => (Some(Endian::Little), 2),
        [0xFE, 0xFF, ..] => (Some(Endian::Big), 2),
        _ => (None, 0),
    };
    let rest = Cursor::new(head.split_off(bom)).chain(raw);
    Ok(match encoding {
        None => Box::new(BufReader::new(rest)),
        Some(endian) => Box::new(BufReader::new(Utf16Reader::new(rest, endian))),
    })
}

#[derive(Clone, Copy)]
enum Endian {
    Little,
    Big,
}

/// UTF-16 in, UTF-8 out, in chunks, so a large file never sits whole in memory. Unpaired
/// surrogates and a dangling last byte become U+FFFD.
struct Utf16Reader<R> {
    inner: R,
    endian: Endian,
    odd_byte: Option<u8>,
    high_surrogate: Option<u16>,
    out: Vec<u8>,
    at: usize,
}

impl<R: Read> Utf16Reader<R> {
    fn new(inner: R, endian: Endian) -> Self {
        Utf16Reader {
            inner,
            endian,
            odd_byte: None,
            high_surrogate: None,
            out: Vec::new(),
            at: 0,
        }
    }

    fn push(&mut self, ch: char) {
        let mut utf8 = [0; 4];
        self.out
            .extend_from_slice(ch.encode_utf8(&mut utf8).as_bytes());
    }

    fn push_unit(&mut self, unit: u16) {
        match (self.high_surrogate.take(), unit) {
            (None, 0xD800..=0xDBFF) => self.high_surrogate = Some(unit),
            (Some(high), 0xDC00..=0xDFFF) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                self.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            (Some(_), _) => {
                self.push(char::REPLACEMENT_CHARACTER);
                self.push_unit(unit);
            }
            (None, unit) => {
                self.push(char::from_u32(unit.into()).unwrap_or(char::REPLACEMENT_CHARACTER))
            }
        }
    }

    /// Converts the next chunk; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.at = 0;
        let mut raw = [0; 8192];
        let n = self.inner.read(&mut raw)?;
        if n == 0 {
            if self.high_surrogate.take().is_some() || self.odd_byte.take().is_some() {
                self.push(char::REPLACEMENT_CHARACTER);
            }
            return Ok(!self.out.is_empty());
        }
        let mut bytes = self
            .odd_byte
            .take()
            .into_iter()
            .chain(raw[..n].iter().copied());
        while let Some(first) = bytes.next() {
            let Some(second) = bytes.next() else {
                self.odd_byte = Some(first);
                break;
            };
            let unit = match self.endian {
                Endian::Little => u16::from_le_bytes([first, second]),
                Endian::Big => u16::from_be_bytes([first, second]),
            };
            self.push_unit(unit);
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// One line of a batch.
pub enum Line {
    /// The line without its line break (and without a byte-order mark: files joined with
    /// `cat` may carry one at the start of each).
    Text(String),
    /// The line was longer than [`MAX_INPUT_BYTES`]; it was skipped, not held.
    TooLong,
}

/// Reads the next line into `buffer`, holding at most [`MAX_INPUT_BYTES`] of it; `None` at the
/// end of the input.
pub fn next_line(reader: &mut impl BufRead, buffer: &mut Vec<u8>) -> io::Result<Option<Line>> {
    next_line_within(reader, buffer, MAX_INPUT_BYTES)
}

fn next_line_within(
    reader: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Option<Line>> {
    buffer.clear();
    let (mut read_any, mut too_long) = (false, false);
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        read_any = true;
        let newline = chunk.iter().position(|&b| b == b'\n');
        let part = &chunk[..newline.unwrap_or(chunk.len())];
        if !too_long && buffer.len() + part.len() > limit {
            too_long = true;
            *buffer = Vec::new();
        }
        if !too_long {
            buffer.extend_from_slice(part);
        }
        let used = part.len() + usize::from(newline.is_some());
        reader.consume(used);
        if newline.is_some() {
            break;
        }
    }
    if !read_any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(Line::TooLong));
    }
    let text = String::from_utf8_lossy(buffer);
    let text = text.trim_end_matches('\r');
    Ok(Some(Line::Text(
        text.strip_prefix('\u{FEFF}').unwrap_or(text).to_string(),
    )))
}

/// Parses one JSON line, with how many lone UTF-16 surrogate escapes it held. JSON writers in
/// JavaScript, .NET or Python may cut a string between the two halves of a surrogate pair and
/// write `"\ud83d"`; serde_json refuses that, so such escapes are read as U+FFFD instead.
pub fn parse_json_line(line: &str) -> Result<(serde_json::Value, usize), serde_json::Error> {
    match serde_json::from_str(line) {
        Ok(value) => Ok((value, 0)),
        Err(error) => match replace_lone_surrogates(line) {
            (repaired, count) if count > 0 => Ok((serde_json::from_str(&repaired)?, count)),
            _ => Err(error),
        },
    }
}

/// `\uD800`-`\uDFFF` escapes that are not a high-low pair become `\uFFFD`.
fn replace_lone_surrogates(line: &str) -> (Cow<'_, str>, usize) {
    let bytes = line.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        let hex = bytes.get(i..i + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let (mut out, mut copied, mut count, mut i) = (String::new(), 0, 0, 0);
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        let Some(unit) = unit_at(i) else {
            // Any other escape, `\\` included, is two bytes.
            i += 2;
            continue;
        };
        let low_follows = unit_at(i + 6).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u));
        match unit {
            0xD800..=0xDBFF if low_follows => i += 12,
            0xD800..=0xDFFF => {
                out.push_str(&line[copied..i]);
                out.push_str("\\ufffd");
                count += 1;
                i += 6;
                copied = i;
            }
            _ => i += 6,
        }
    }
    if count == 0 {
        return (Cow::Borrowed(line), 0);
    }
    out.push_str(&line[copied..]);
    (Cow::Owned(out), count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut out = Vec::new();
        decoded(Box::new(Cursor::new(bytes.to_vec())))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    fn utf16(text: &str, endian: Endian) -> Vec<u8> {
        let units = text.encode_utf16();
        match endian {
            Endian::Little => [0xFF, 0xFE]
                .into_iter()
                .chain(units.flat_map(u16::to_le_bytes))
                .collect(),
            Endian::Big => [0xFE, 0xFF]
                .into_iter()
                .chain(units.flat_map(u16::to_be_bytes))
                .collect(),
        }
    }

    #[test]
    fn reads_the_encodings_windows_tools_write() {
        // Long enough to cross the converter's chunks, with pairs split between them.
        let text = "ErrorCode=InvalidGatewayKey 😀 Café\r\n".repeat(1000);
        assert_eq!(decode(&utf16(&text, Endian::Little)), text);
        assert_eq!(decode(&utf16(&text, Endian::Big)), text);
        assert_eq!(decode(b"\xEF\xBB\xBFErrorCode=X"), "ErrorCode=X");
        assert_eq!(decode(b"\xEF\xBB"), "\u{FFFD}");
        assert_eq!(decode(b"ab"), "ab");
        assert_eq!(decode(b""), "");
        // A lone high surrogate, then a dangling last byte.
        assert_eq!(
            decode(&[0xFF, 0xFE, 0x3D, 0xD8, 0x41, 0x00, 0x42]),
            "\u{FFFD}A\u{FFFD}"
        );
    }

    #[test]
    fn an_oversized_line_is_skipped_and_the_next_one_read() {
        let input = format!("{}\n{{\"text\": \"b\"}}\r\n\u{FEFF}c", "a".repeat(100));
        let mut reader = BufReader::with_capacity(16, input.as_bytes());
        let mut buffer = Vec::new();
        let mut lines = Vec::new();
        while let Some(line) = next_line_within(&mut reader, &mut buffer, 50).unwrap() {
            lines.push(match line {
                Line::TooLong => None,
                Line::Text(text) => Some(text),
            });
        }
        assert_eq!(
            lines,
            [
                None,
                Some("{\"text\": \"b\"}".to_string()),
                Some("c".to_string())
            ]
        );
    }

    #[test]
    fn lone_surrogate_escapes_become_replacement_characters() {
        for (line, text, count) in [
            (r#"{"text": "a\ud800b"}"#, "a\u{FFFD}b", 1),
            (r#"{"text": "\udc00\ud83d"}"#, "\u{FFFD}\u{FFFD}", 2),
            (r#"{"text": "\ud83d\ude00 ok"}"#, "😀 ok", 0),
            (r#"{"text": "\\ud800 is text"}"#, "\\ud800 is text", 0),
            (r#"{"text": "\\\ud800"}"#, "\\\u{FFFD}", 1),
        ] {
            let (value, repaired) = parse_json_line(line).unwrap();
            assert_eq!(value["text"], text, "{line}");
            assert_eq!(repaired, count, "{line}");
        }
        assert!(parse_json_line("{\"text\": ").is_err());
    }
}
