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

/// The folded text and, for each of its bytes, the byte offset in the cleaned text.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    origin: Vec<u32>,
}

impl Folded {
    pub fn new(cleaned: &str) -> Folded {
        let bytes = cleaned.as_bytes();
        // Written by index into buffers sized up front: no call per byte in the size-optimised
        // wasm. An apostrophe may add a letter (`can't` -> `cannot`): room for each.
        let room = bytes.len() + bytes.iter().filter(|&&b| b == b'\'').count();
        let mut text = vec![0u8; room];
        let mut origin = vec![0u32; room];
        let mut len = 0;
        for (at, &b) in bytes.iter().enumerate() {
            let from = u32::try_from(at).unwrap_or(u32::MAX);
            if b.is_ascii_alphanumeric() {
                text[len] = b.to_ascii_lowercase();
                origin[len] = from;
                len += 1;
            } else if b == b'\'' && text[..len].ends_with(b"n") && is_contraction_end(bytes, at) {
                // `isn't` -> `isnot`, `doesn't` -> `doesnot`, `can't` -> `cannot` (the long forms
                // fold to the same letters since spaces are dropped: `is not`, `can not`).
                if ends_with_word(&text[..len], bytes, &origin[..len], b"can") {
                    text[len] = b'n';
                    origin[len] = from;
                    len += 1;
                }
                text[len] = b'o';
                origin[len] = from;
                len += 1;
            }
        }
        text.truncate(len);
        origin.truncate(len);
        Folded {
            // Letters and digits only: always UTF-8.
            text: String::from_utf8(text).unwrap_or_else(|_| unreachable!("ASCII is UTF-8")),
            origin,
        }
    }

    /// The cleaned byte range behind a folded range (end exclusive).
    pub fn cleaned_range(&self, start: usize, end: usize) -> (usize, usize) {
        let at = |i: usize| self.origin.get(i).map_or(0, |&o| o as usize);
        if end <= start || self.origin.is_empty() {
            let from = at(start.min(self.origin.len().saturating_sub(1)));
            return (from, from);
        }
        (at(start), at(end - 1) + 1)
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

/// Whether the folded text ends with `word` and that word starts a word of the cleaned text.
fn ends_with_word(folded: &[u8], cleaned: &[u8], origin: &[u32], word: &[u8]) -> bool {
    if !folded.ends_with(word) {
        return false;
    }
    let first = origin[origin.len() - word.len()] as usize;
    first == 0 || !cleaned[first - 1].is_ascii_alphanumeric()
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
