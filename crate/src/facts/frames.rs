//! Finds the stack frames of Java, Scala and .NET traces (`at x.y.Z.m(File.scala:12)`).

/// The longest qualified method name or argument list read as one frame's.
const MAX_PART: usize = 400;

/// Byte ranges of the stack frames in a cleaned text (line breaks already spaces), in order.
/// Each `at ` is examined once, over a bounded window, and the scan resumes after what it
/// read: the cost stays linear in the text however many frames it holds.
pub fn stack_frames(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut frames: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some(start) = next_at(text, from) {
        from = start + 3;
        let name_end = scan(bytes, from, |b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$' | b'<' | b'>' | b'`')
        });
        let name = &bytes[from..name_end];
        if bytes.get(name_end) != Some(&b'(') || !name.contains(&b'.') || name.len() > MAX_PART {
            from = name_end.max(from);
            continue;
        }
        let args_end = scan(bytes, name_end + 1, |b| b != b')' && b != b'(');
        if bytes.get(args_end) != Some(&b')') || args_end - name_end > MAX_PART {
            from = name_end + 1;
            continue;
        }
        let mut end = args_end + 1;
        // .NET adds where the source was: ` in C:\src\Reader.cs:line 42`.
        if let Some(rest) = text[end..].strip_prefix(" in ") {
            if let Some(line) = rest[..rest.floor_char_boundary(MAX_PART)].find(":line ") {
                end += 4 + line + 6;
                end = scan(bytes, end, |b| b.is_ascii_digit());
            }
        }
        // Consecutive frames form one range: what lies between them is a space.
        match frames.last_mut() {
            Some(last) if last.1 + 1 >= start => last.1 = end,
            _ => frames.push((start, end)),
        }
        from = end;
    }
    frames
}

/// Where the next `at ` at or after `from` starts the text or follows a space. Searched as
/// ` at `: a log's `at ` inside words (`heartbeat 1`) would each cost a new search.
fn next_at(text: &str, from: usize) -> Option<usize> {
    let rest = &text[from..];
    if rest.starts_with("at ") && (from == 0 || text.as_bytes()[from - 1] == b' ') {
        return Some(from);
    }
    rest.find(" at ").map(|found| from + found + 1)
}

fn scan(bytes: &[u8], from: usize, keep: impl Fn(u8) -> bool) -> usize {
    let mut at = from;
    while at < bytes.len() && at - from <= MAX_PART && keep(bytes[at]) {
        at += 1;
    }
    at
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// `next_at` finds what a search of `at ` checked for the space before it finds.
        #[test]
        fn next_at_is_the_next_at_after_a_space(text in "[at eé(.)]{0,30}", from in 0usize..32) {
            let from = text.floor_char_boundary(from);
            let bytes = text.as_bytes();
            let expected = (from..text.len()).find(|&p| {
                bytes[p..].starts_with(b"at ") && (p == 0 || bytes[p - 1] == b' ')
            });
            proptest::prop_assert_eq!(super::next_at(&text, from), expected);
        }
    }
}
