//! What the user can ask for. Keys map to actions (see `keymap`); the update
//! step turns actions into state changes.

use super::Screen;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    /// Lock the desk now (leaving it): everything hidden until the password.
    LockNow,
    ToggleHelp,
    /// Close the help overlay.
    CloseOverlay,
    GoTo(Screen),
    NextScreen,
    PrevScreen,
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    PageDown,
    PageUp,
    /// Enter: open what is selected.
    Open,
    /// Esc on a screen: close its popup, clear its field, or leave it.
    Back,
    ToggleOpenOnly,
    Refresh,
    NextField,
    PrevField,
    /// ↓/↑ in a form: the next line inside a multi-line field, else the next field.
    CaretDown,
    CaretUp,
    Save,
    AddPerson,
    RemovePerson,
    /// Take the selected earlier petitioner into the form.
    TakeOver,
    /// Take the petitioner over as a new matter (the person only).
    NewMatter,
    /// Link the new case to the next earlier case instead.
    LinkNext,
    NewLine,
    /// A case action (转送, 受理, 答复 …) on the open case.
    Case(crate::domain::lifecycle::ActionKind),
    RevealContent,
    RevealIdentity,
    /// 档案: edit the petitioner's record (each change with its reason).
    EditPerson,
    /// 工作台 `h`: the year's 节假日安排.
    EditHolidays,
    /// 档案: merge another record of the same person into this one.
    MergePerson,
    /// Left/Right on a choice field of an action form.
    OptionPrev,
    OptionNext,
    /// 文书: the papers of the case at hand (`P`).
    Papers,
    /// 文书: issue a correction of the selected paper.
    CorrectPaper,
    /// Open the reminder-call form for the case at hand.
    Remind,
    /// Log a failed call (未接通) for the selected case: the form, ready to save.
    FailedCall,
    /// Open the selected case in the detail pane.
    OpenCase,
    /// 督促: between the due list and the units' records.
    ToggleUnits,
    /// 接访队列: record the leader's instruction for the ticket in talk.
    Instruct,
    /// 接访队列: priority for the selected waiting ticket, with a reason.
    GrantPriority,
    /// 接访队列: schedule a new reception day.
    NewDay,
    /// 接访队列: the shown day's appointments.
    Appointments,
    /// 接访队列: change the shown reception day.
    EditDay,
    /// 接访队列: the list of reception days, to show another.
    ChooseDay,
    /// 接访队列: between the live queue and the day's ledger (台账).
    ToggleLedger,
    /// Give the open case's petitioner a number in today's reception queue.
    CheckIn,
    /// 报表: show one of its views.
    ShowReport(super::reports::ReportTab),
    /// 报表: the next metrics period preset (近一年, 本周, 本月 …).
    CyclePeriod,
    /// 报表: between Table A and Table B of the weekly report.
    ToggleTable,
    /// 报表: write the report on screen to an Excel file.
    Export,
    /// 接访队列: call next (`Call`) or move the selected ticket.
    Ticket(crate::domain::queue::TicketMove),
}
