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

use adf_scan::fold::Stretch;
use adf_scan::words::Words;

/// The folded text and the way back from it to the cleaned text, with the cleaned text's words.
#[derive(Debug, Clone, Default)]
pub struct Folded {
    pub text: String,
    /// Where each stretch of the folded text starts, in order: one per run of letters and
    /// digits, and one per contraction's added letters. A map per stretch, not per byte, keeps
    /// folding a large paste to a copy of its runs.
    stretches: Vec<Stretch>,
    /// The cleaned text's runs of letters and digits, numbered as folding meets them: the
    /// matcher's codes and the related-text walk read the same words, walked and hashed once
    /// for both.
    pub words: Words,
}

impl Folded {
    /// Folds `cleaned` in a loop compiled for speed (`adf_scan`): every byte of a text is folded.
    pub fn new(cleaned: &str) -> Folded {
        let (text, stretches, words) = adf_scan::fold::fold(cleaned);
        Folded {
            text,
            stretches,
            words,
        }
    }

    /// The cleaned byte offset of folded byte `at` (0 past the end).
    fn cleaned_at(&self, at: usize) -> usize {
        adf_scan::fold::cleaned_at(&self.stretches, self.text.len(), at)
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
