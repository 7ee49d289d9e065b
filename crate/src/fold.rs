//! Folds cleaned text into the form messages are matched in: ASCII letters and digits only,
//! lowercase, contractions spelled out, with a map back to the cleaned text.
//!
//! ```
//! use adf_troubleshooter::fold::Folded;
//! let a = Folded::new("Client IP address isn't valid private ip");
//! let b = Folded::new("Client IP address is not valid\nprivate ip");
//! assert_eq!(a.text, b.text);
//! // A narrow pane that wrapped a word, or a copy that split a code, folds the same way.
//! assert_eq!(Folded::new("User ErrorInvalid Param").text, "usererrorinvalidparam");
//! assert_eq!(Folded::new("Unable to conn ect").text, Folded::new("Unable to connect").text);
//! ```
//!
//! Spaces, line breaks and punctuation carry no meaning in a message match, and dropping them
//! makes a match survive hard wrapping mid-word, codes split by a line break, quotes around
//! placeholders and changes of punctuation between versions of a message. Words can no longer
//! be told apart in this form, so only message pieces and long codes are matched here; whole
//! words (keywords, connectors, codes) are matched in the cleaned text.

/// The folded text and the way back from it to the cleaned text.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// Where each stretch of the folded text starts, in order: one per run of letters and
    /// digits, and one per contraction's added letters. A map per stretch, not per byte, keeps
    /// folding a large paste to a copy of its runs.
    stretches: Vec<Stretch>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Stretch {
    /// Byte offset in the folded text.
    folded: u32,
    /// Byte offset in the cleaned text of its first byte.
    cleaned: u32,
    /// Copied letters advance with the cleaned text; a contraction's added letters all come
    /// from its apostrophe.
    copied: bool,
}

fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl Folded {
    pub fn new(cleaned: &str) -> Folded {
        let bytes = cleaned.as_bytes();
        let mut out = Folded {
            text: String::with_capacity(cleaned.len()),
            stretches: Vec::new(),
        };
        let mut at = 0;
        while at < bytes.len() {
            let run = at;
            while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
                at += 1;
            }
            if at > run {
                out.stretch(out.text.len(), run, true);
                out.text.push_str(&cleaned[run..at]);
                continue;
            }
            // Letters are lowercased once at the end, in one pass: until then they are compared
            // ignoring case.
            let folded = out.text.as_bytes();
            let ends_with = |tail: &[u8]| {
                folded.len() >= tail.len()
                    && folded[folded.len() - tail.len()..].eq_ignore_ascii_case(tail)
            };
            if bytes[at] == b'\'' && ends_with(b"n") && is_contraction_end(bytes, at) {
                // `isn't` -> `isnot`, `doesn't` -> `doesnot`, `can't` -> `cannot` (the long forms
                // fold to the same letters since spaces are dropped: `is not`, `can not`).
                let can = ends_with(b"can") && out.starts_word(bytes, out.text.len() - "can".len());
                out.stretch(out.text.len(), at, false);
                if can {
                    out.text.push('n');
                }
                out.text.push('o');
            }
            at += 1;
        }
        out.text.make_ascii_lowercase();
        out
    }

    fn stretch(&mut self, folded: usize, cleaned: usize, copied: bool) {
        self.stretches.push(Stretch {
            folded: offset(folded),
            cleaned: offset(cleaned),
            copied,
        });
    }

    /// The cleaned byte offset of folded byte `at` (0 past the end).
    fn cleaned_at(&self, at: usize) -> usize {
        if at >= self.text.len() {
            return 0;
        }
        let found = self.stretches.partition_point(|s| s.folded as usize <= at);
        let Some(s) = found.checked_sub(1).map(|k| self.stretches[k]) else {
            return 0;
        };
        let within = if s.copied { at - s.folded as usize } else { 0 };
        s.cleaned as usize + within
    }

    /// Whether folded byte `at` starts a word of the cleaned text.
    fn starts_word(&self, cleaned: &[u8], at: usize) -> bool {
        let first = self.cleaned_at(at);
        first == 0 || !cleaned[first - 1].is_ascii_alphanumeric()
    }

    /// The cleaned byte range behind a folded range (end exclusive).
    pub fn cleaned_range(&self, start: usize, end: usize) -> (usize, usize) {
        if end <= start || self.text.is_empty() {
            let from = self.cleaned_at(start.min(self.text.len().saturating_sub(1)));
            return (from, from);
        }
        (self.cleaned_at(start), self.cleaned_at(end - 1) + 1)
    }

    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// `'t` closing a word: the apostrophe of `n't`.
fn is_contraction_end(bytes: &[u8], apostrophe: usize) -> bool {
    matches!(bytes.get(apostrophe + 1), Some(b't' | b'T'))
        && !bytes
            .get(apostrophe + 2)
            .is_some_and(u8::is_ascii_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_short_forms_fold_alike() {
        for (short, long) in [
            ("isn't", "is not"),
            ("doesn't exist", "does not exist"),
            ("can't", "cannot"),
            ("can't", "can not"),
            ("couldn't", "could not"),
            ("DON'T", "do not"),
        ] {
            assert_eq!(Folded::new(short).text, Folded::new(long).text, "{short}");
        }
        assert_eq!(Folded::new("pecan't").text, "pecanot");
    }

    #[test]
    fn ranges_lead_back_to_the_cleaned_text() {
        let cleaned = "Error: Client IP address isn't valid";
        let folded = Folded::new(cleaned);
        let start = folded.text.find("clientip").unwrap();
        let end = folded.text.len();
        let (a, b) = folded.cleaned_range(start, end);
        assert_eq!(&cleaned[a..b], "Client IP address isn't valid");
        assert_eq!(folded.cleaned_range(3, 3), (3, 3));
        assert_eq!(Folded::new("").cleaned_range(0, 0), (0, 0));
    }
}
