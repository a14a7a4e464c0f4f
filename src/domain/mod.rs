//! Domain types and rules: pure, no I/O, no terminal.

/// A closed list of values stored and shown by their Chinese label.
macro_rules! labelled {
    ($name:ident { $($variant:ident => $label:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_label(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.label() == s)
            }
        }
    };
}

pub mod calendar;
pub mod case;
pub mod deadline;
pub mod event_kind;
pub mod id_card;
pub mod lifecycle;
pub mod mask;
pub mod metrics;
pub mod name;
pub mod numbering;
pub mod petitioner;
pub mod phone;
pub mod query;
pub mod queue;
pub mod reminder;
pub mod screening;
pub mod status;
pub mod triage;
pub mod warning;

pub use case::{Case, CaseClass, CaseEvent, CaseFlags, ExternalRef, RepeatKind};
pub use petitioner::{IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner};
pub use status::CaseStatus;
