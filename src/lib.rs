//! xfdesk (信访接待台): a terminal front desk for a district Letters and Visits Bureau.
//!
//! Layers, data flowing one way:
//! - [`domain`]: pure types and rules (validation, masking, numbering, status machine).
//! - [`store`]: SQLite — connection, migrations, queries; the only place with SQL.
//! - [`app`]: application state and the update step (keys → actions → state); no drawing.
//! - [`ui`]: drawing only, from state.
//! - [`text`]: every display-width computation.
//! - [`cli`], [`config`], [`paths`]: the thin command-line entry.

pub mod anchors;
pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod import;
pub mod listing;
pub mod logging;
pub mod papers;
pub mod paths;
pub mod reports;
pub mod store;
pub mod synth;
pub mod text;
pub mod tui;
pub mod ui;
