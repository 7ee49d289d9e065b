//! The embedded knowledge base: entries written under `crate/knowledge/`, validated, indexed and
//! written as bytes by `build.rs` ([`compiled`]), each part read back once on first use.
//!
//! ```
//! let entries = adf_troubleshooter::knowledge::entries();
//! assert!(entries.iter().all(|e| e.source.contains('#')));
//! ```

#[cfg(not(target_arch = "wasm32"))]
pub mod articles;
pub mod compiled;
pub mod entries;
#[cfg(not(target_arch = "wasm32"))]
pub mod entry_file;
pub mod model;

use crate::index::Index;
use crate::suggest::Related;
use std::sync::OnceLock;

pub use entries::Entries;
pub use model::{Block, BlockKind, Context, Entry, Examples, Style, Styled};

static COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/knowledge.bin"));

/// The sections of the embedded knowledge. The bytes come from our own build script, written
/// from validated entries by the same types, so they always read back.
fn sections() -> &'static compiled::Sections<'static> {
    static SECTIONS: OnceLock<compiled::Sections<'static>> = OnceLock::new();
    SECTIONS.get_or_init(|| {
        compiled::sections(COMPILED)
            .unwrap_or_else(|_| unreachable!("the embedded knowledge has its three sections"))
    })
}

/// Every knowledge entry, in a stable order (by guide, then id); each is read on first use.
pub fn entries() -> &'static Entries {
    static ENTRIES: OnceLock<Entries> = OnceLock::new();
    ENTRIES.get_or_init(|| sections().entries())
}

impl Index {
    /// The index of the embedded knowledge base, read on first use.
    pub fn shared() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| {
            sections()
                .index(entries())
                .unwrap_or_else(|| unreachable!("the embedded index reads back"))
        })
    }
}

impl Related {
    /// The related-text tables of the embedded knowledge base, read on first use.
    pub fn shared() -> &'static Related {
        static RELATED: OnceLock<Related> = OnceLock::new();
        RELATED.get_or_init(|| {
            sections()
                .related()
                .unwrap_or_else(|| unreachable!("the embedded related-text tables read back"))
        })
    }
}

/// The generic codes and messages of the entries ([`compiled::generic_values`]), sorted.
pub fn generic_values() -> &'static [&'static str] {
    &sections().generic
}

/// Looks an entry up by id.
pub fn entry(id: &str) -> Option<&'static Entry> {
    entries().find(id)
}

/// The examples of every entry, by id. Kept out of the wasm build: only tests and the CLI use them.
#[cfg(not(target_arch = "wasm32"))]
pub fn examples() -> std::collections::BTreeMap<String, Examples> {
    static EXAMPLES_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/examples.json"));
    serde_json::from_str(EXAMPLES_JSON).expect("embedded examples are valid JSON")
}
