//! The knowledge entry as the engine stores it: the signals to match and the guidance to show.
//!
//! `build.rs` fills these types from `crate/knowledge/**/*.md`; the library reads them back from
//! the embedded JSON. Keep this file free of crate-internal imports: the build script includes it.

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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<String>,
    /// `self-hosted`, `azure`, `managed-vnet` or `ssis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ir: Option<String>,
    /// Connector names as they appear in error texts (`AzureBlobStorage`, `Snowflake`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connectors: Vec<String>,
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

/// One piece of guidance text. Inline code is kept in backticks for the renderer.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    Text(String),
    Step(String),
    Bullet(String),
    Code(String),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Text(t) | Block::Step(t) | Block::Bullet(t) | Block::Code(t) => t,
        }
    }
}
