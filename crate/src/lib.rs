//! ADF Troubleshooter: recognises Azure Data Factory and Synapse pipeline errors and explains
//! how to fix them, entirely offline.
//!
//! ```
//! let diagnosis = adf_troubleshooter::explain(
//!     "Failed to get service token from ADF service with key ****, the error code is: \
//!      InvalidGatewayKey, activityId is: 0 and detailed error message is Client IP address \
//!      isn't valid private ip",
//! );
//! let best = &diagnosis.matches[0];
//! assert_eq!(best.confidence, adf_troubleshooter::Confidence::High);
//! assert!(best.source.ends_with("#unable-to-register-ir-authentication-key-on-self-hosted-vms-due-to-private-link"));
//! ```
//!
//! The pipeline: [`normalize`] cleans the text (entities, escapes, wrapping), [`facts`] reads
//! codes and context from it, and [`matcher`] ranks the [`knowledge`] entries by evidence in a
//! single pass over the text, whatever the size of the knowledge base. [`secrets`] finds the
//! keys and passwords an error quotes, so that nothing shown repeats them.

pub mod automaton;
pub mod bm25;
pub mod card;
pub mod diagnosis;
pub mod facts;
pub mod fields;
pub mod fold;
pub mod hash;
pub mod index;
pub mod knowledge;
pub mod lz;
pub mod matcher;
pub mod normalize;
pub mod runs;
pub mod scoring;
pub mod secrets;
pub mod settings;
pub mod sort;
pub mod suggest;
pub mod surface;
pub mod team;
pub mod varint;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use diagnosis::{explain, Confidence, Diagnosis, Evidence, Match};
