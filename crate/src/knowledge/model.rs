//! The knowledge entry as the engine stores it: the signals to match and the guidance to show.
//!
//! `build.rs` fills these types from `crate/knowledge/**/*.md`; the library reads them back from
//! the embedded bytes (postcard, [`super::compiled`]). Every field is always written: postcard
//! is not self-describing, so a skipped field would shift the rest. Keep this file free of
//! crate-internal imports: the build script includes it.

use serde::{Deserialize, Serialize};

/// One known problem: how to recognise it and how to fix it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub id: String,
    /// The folder the entry lives in: the Learn article it comes from.
    pub guide: String,
    pub title: String,
    pub products: Vec<String>,
    /// The Learn URL with the section anchor.
    pub source: String,
    /// Exact error codes (`InvalidGatewayKey`, `2200`, `DF-Executor-OutOfMemoryError`).
    #[serde(default)]
    pub codes: Vec<String>,
    /// Verbatim message fragments; `*` stands for a variable part (a name, a path, a number).
    #[serde(default)]
    pub messages: Vec<String>,
    /// Supporting words and phrases; never enough on their own.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Codes and messages of this entry that other problems and other products show too
    /// (wrapper codes, .NET/Java/HTTP messages): they support the entry, never decide it.
    #[serde(default)]
    pub generic: Vec<String>,
    #[serde(default)]
    pub context: Context,
    pub symptoms: Vec<Block>,
    pub cause: Vec<Block>,
    pub resolution: Vec<Block>,
}

/// Where the problem shows up; used to tell apart entries that share a code.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// `source` or `sink`.
    #[serde(default)]
    pub side: Option<String>,
    /// `self-hosted`, `azure`, `managed-vnet` or `ssis`.
    #[serde(default)]
    pub ir: Option<String>,
    /// Connector names as they appear in error texts (`AzureBlobStorage`, `Snowflake`).
    #[serde(default)]
    pub connectors: Vec<String>,
    /// A complaint (`slow`) the entry answers in general: a text that makes it and says nothing
    /// more specific is the entry's business.
    #[serde(default)]
    pub symptom: Option<String>,
}

/// Texts that must match the entry first, and near-misses that must not.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(rename = "match", default)]
    pub matches: Vec<String>,
    #[serde(default)]
    pub near_miss: Vec<String>,
}

/// One block of guidance: its plain text and the styled ranges inside it. The Markdown was
/// read at build time, so nothing downstream interprets markup.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(from = "BlockData", into = "BlockData")]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
    /// Byte ranges of `text` shown as code, strong or emphasis, in order, not overlapping.
    pub styled: Vec<Styled>,
}

/// A block as the embedded knowledge stores it: `[kind, text, [[style, start, end], ...]]`. A
/// sequence needs no field-name matching, which keeps the wasm's knowledge reader small.
type BlockData = (BlockKind, String, Vec<(Style, u32, u32)>);

impl From<BlockData> for Block {
    fn from((kind, text, styled): BlockData) -> Block {
        let styled = styled
            .into_iter()
            .map(|(style, start, end)| Styled { style, start, end })
            .collect();
        Block { kind, text, styled }
    }
}

impl From<Block> for BlockData {
    fn from(block: Block) -> BlockData {
        let styled = block
            .styled
            .into_iter()
            .map(|s| (s.style, s.start, s.end))
            .collect();
        (block.kind, block.text, styled)
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    Text,
    Step,
    Bullet,
    Code,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    Plain,
    Code,
    Strong,
    Emphasis,
}

/// A styled byte range of a block's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Styled {
    pub style: Style,
    pub start: u32,
    pub end: u32,
}

impl Block {
    /// A block without inline styles.
    pub fn plain(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            text: text.to_string(),
            styled: Vec::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text cut into runs of one style, in order; a code block is one code run.
    pub fn runs(&self) -> Vec<(Style, &str)> {
        if self.kind == BlockKind::Code {
            return vec![(Style::Code, self.text.as_str())];
        }
        let mut runs = Vec::with_capacity(self.styled.len() * 2 + 1);
        let mut at = 0;
        for styled in &self.styled {
            let (start, end) = (styled.start as usize, styled.end as usize);
            // Ranges come from our build script; a bad one is skipped rather than trusted.
            let (Some(before), Some(inside)) =
                (self.text.get(at..start), self.text.get(start..end))
            else {
                continue;
            };
            if !before.is_empty() {
                runs.push((Style::Plain, before));
            }
            runs.push((styled.style, inside));
            at = end;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            runs.push((Style::Plain, rest));
        }
        runs
    }
}
