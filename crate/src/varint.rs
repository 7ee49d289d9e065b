//! Unsigned LEB128 varints, as the compiled knowledge's own tables write them ([`crate::bm25`],
//! [`crate::runs`]): `adf_scan`'s, compiled for speed. The build script includes this file.

pub use adf_scan::varint::{push_varint, read_varint};
