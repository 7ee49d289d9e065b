//! Splits guidance text into styled spans, so no renderer ever interprets Markdown or HTML.
//!
//! ```
//! use adf_troubleshooter::knowledge::inline::{spans, Span};
//! assert_eq!(
//!     spans("Set **Allow** to `true`."),
//!     [Span::plain("Set "), Span::strong("Allow"), Span::plain(" to "), Span::code("true"), Span::plain(".")]
//! );
//! ```

use serde::Serialize;

/// A run of text with one style. Renderers put `text` into the page as text, never as markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    /// `plain`, `code`, `strong` or `emphasis`.
    pub style: &'static str,
    pub text: String,
}

impl Span {
    pub fn plain(text: &str) -> Span {
        Span {
            style: "plain",
            text: text.into(),
        }
    }
    pub fn code(text: &str) -> Span {
        Span {
            style: "code",
            text: text.into(),
        }
    }
    pub fn strong(text: &str) -> Span {
        Span {
            style: "strong",
            text: text.into(),
        }
    }
    pub fn emphasis(text: &str) -> Span {
        Span {
            style: "emphasis",
            text: text.into(),
        }
    }
}

/// Reads backtick code, `**strong**` and `*emphasis*`; unmatched markers stay as text.
pub fn spans(text: &str) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        let styled = match ch {
            '`' => delimited(rest, "`").map(|(inner, used)| (Span::code(inner), used)),
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(inner, used)| (Span::strong(inner), used))
            }
            '*' => delimited(rest, "*")
                .filter(|(inner, _)| !inner.starts_with(' '))
                .map(|(inner, used)| (Span::emphasis(inner), used)),
            _ => None,
        };
        match styled {
            Some((span, used)) => {
                if !plain.is_empty() {
                    out.push(Span::plain(&std::mem::take(&mut plain)));
                }
                out.push(span);
                rest = &rest[used..];
            }
            None => {
                plain.push(ch);
                rest = &rest[ch.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        out.push(Span::plain(&plain));
    }
    out
}

fn delimited<'a>(text: &'a str, marker: &str) -> Option<(&'a str, usize)> {
    let inner_start = marker.len();
    let close = text[inner_start..].find(marker)?;
    let inner = &text[inner_start..inner_start + close];
    (!inner.is_empty()).then_some((inner, inner_start + close + marker.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_lone_markers_and_markup_as_text() {
        assert_eq!(spans("a * b and 2*3"), [Span::plain("a * b and 2*3")]);
        assert_eq!(spans("<b>x</b> `"), [Span::plain("<b>x</b> `")]);
        assert_eq!(
            spans("*Allow* é"),
            [Span::emphasis("Allow"), Span::plain(" é")]
        );
    }
}
