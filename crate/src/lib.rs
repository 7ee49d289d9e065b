//! placeholder
pub mod knowledge;
