//! What the user can ask for. Keys map to actions (see `keymap`); the update
//! step turns actions into state changes.

use super::Screen;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    /// Close the topmost overlay (help); does nothing when none is open.
    CloseOverlay,
    GoTo(Screen),
    NextScreen,
    PrevScreen,
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    Refresh,
}
