//! The embedded knowledge base: entries written under `crate/knowledge/`, validated and turned
//! into JSON by `build.rs`, parsed once on first use.
//!
//! ```
//! let entries = adf_troubleshooter::knowledge::entries();
//! assert!(entries.iter().all(|e| e.source.contains('#')));
//! ```

#[cfg(not(target_arch = "wasm32"))]
pub mod articles;
#[cfg(not(target_arch = "wasm32"))]
pub mod entry_file;
pub mod model;

use std::sync::OnceLock;

pub use model::{Block, BlockKind, Context, Entry, Examples, Style, Styled};

static KNOWLEDGE_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/knowledge.json"));

/// Every knowledge entry, in a stable order (by guide, then id).
pub fn entries() -> &'static [Entry] {
    static ENTRIES: OnceLock<Vec<Entry>> = OnceLock::new();
    ENTRIES.get_or_init(|| {
        // The JSON is produced by our own build script from validated entries.
        serde_json::from_str(KNOWLEDGE_JSON)
            .unwrap_or_else(|_| unreachable!("embedded knowledge is valid JSON"))
    })
}

/// Looks an entry up by id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    entries().iter().find(|e| e.id == id)
}

/// The examples of every entry, by id. Kept out of the wasm build: only tests and the CLI use them.
#[cfg(not(target_arch = "wasm32"))]
pub fn examples() -> std::collections::BTreeMap<String, Examples> {
    static EXAMPLES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/examples.json"));
    serde_json::from_str(EXAMPLES_JSON).expect("embedded examples are valid JSON")
}
