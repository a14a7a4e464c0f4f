//! Domain types and rules: pure, no I/O, no terminal.

/// A closed list of values the database stores by a stable code and the desk
/// sees by its label. Codes never change once written; labels may be reworded.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $code:literal => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code the database stores.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The words the desk sees.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            pub fn from_code(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }

            /// For what people type or import; never for what the database holds.
            pub fn from_label(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.label() == s)
            }
        }

        impl $crate::domain::Coded for $name {
            fn all() -> &'static [$name] {
                Self::ALL
            }
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn label(self) -> &'static str {
                $name::label(self)
            }
        }
    };
}

/// What every [`coded!`] list offers generic code: the migration that turns
/// stored labels into codes, and readers that show a stored code's label.
pub trait Coded: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;

    /// The place in the list: the order the domain gives, not the codes'.
    fn rank(self) -> usize {
        Self::all().iter().position(|v| *v == self).unwrap_or(usize::MAX)
    }

    /// The label of a stored code; an unknown code is shown as it is.
    fn label_of(code: &str) -> String {
        Self::all().iter().find(|v| v.code() == code).map_or_else(|| code.to_string(), |v| v.label().to_string())
    }
}

pub mod access;
pub mod calendar;
pub mod call_schedule;
pub mod case;
pub mod countdown;
pub mod deadline;
pub mod document;
pub mod event_kind;
pub mod id_card;
pub mod identity;
pub mod leader_metrics;
pub mod lifecycle;
pub mod mask;
pub mod metrics;
pub mod name;
pub mod numbering;
pub mod petitioner;
pub mod phone;
pub mod query;
pub mod query_code;
pub mod queue;
pub mod reminder;
pub mod screening;
pub mod status;
pub mod statute;
pub mod triage;
pub mod warning;

pub use case::{Case, CaseClass, CaseEvent, CaseFlags, ExternalRef, RepeatKind};
pub use petitioner::{IdType, KeyPersonKind, Petitioner, PetitionerPhone, PhoneOwner};
pub use status::CaseStatus;
