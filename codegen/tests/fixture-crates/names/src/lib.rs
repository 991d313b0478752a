//! The generator's `names` fixture (`codegen/tests/fixtures/names`): keyword members (`r#type`, `self_`), acronyms fixed with `rust_name`, and a list whose appending setter is named by `rust_singular`.
//!
//! `cargo xtask gen` writes `src/generated/` from the fixture spec (and
//! `cargo xtask gen --check` keeps it current), so building the workspace
//! proves that the code the snapshots in `codegen/tests/snapshots/` show
//! compiles, warning-free and clippy-clean.
#![deny(missing_docs)]

mod generated;

pub use generated::*;
