//! The generator's `types` fixture (`codegen/tests/fixtures/types`): every scalar type, nested lists, a signed integer enum, optional and nullable members, and models used one way or both.
//!
//! `cargo xtask gen` writes `src/generated/` from the fixture spec (and
//! `cargo xtask gen --check` keeps it current), so building the workspace
//! proves that the code the snapshots in `codegen/tests/snapshots/` show
//! compiles, warning-free and clippy-clean.
#![deny(missing_docs)]

mod generated;

pub use generated::*;
