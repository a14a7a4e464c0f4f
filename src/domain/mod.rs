//! Domain types and rules: pure, no I/O, no terminal.

pub mod calendar;
pub mod case;
pub mod deadline;
pub mod id_card;
pub mod lifecycle;
pub mod mask;
pub mod name;
pub mod numbering;
pub mod petitioner;
pub mod phone;
pub mod query;
pub mod reminder;
pub mod status;
pub mod triage;

pub use case::{Case, CaseClass, CaseEvent, CaseFlags, ExternalRef, RepeatKind};
pub use petitioner::{IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner};
pub use status::CaseStatus;
