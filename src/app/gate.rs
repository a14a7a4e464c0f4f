//! The gate before any data: the first administrator on a database without
//! accounts, the sign-in, the forced change of a reset password, and the
//! lock screen of an idle or locked desk. It reads raw key events (no
//! shortcut applies while a password is typed) and shows nothing of the
//! cases behind it.

use chrono::NaiveDateTime;
use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers};

use super::Action;
use super::form::{Field, Form, Kind};
use crate::domain::access::{Role, SignInRules};
use crate::store::Store;
use crate::store::accounts::{self, Account, Actor, NewAccount};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum G {
    Login,
    Name,
    Password,
    Again,
    /// First run: the administrator also does casework (审批人).
    Casework,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// No account yet: the administrator is made first.
    FirstRun,
    SignIn,
    /// A reset password: a new one before anything else (`old` as just typed).
    MustChange {
        account: Account,
        old: String,
    },
    /// Idle or `Ctrl-L`: `who` signed in before.
    Locked {
        who: Actor,
    },
}

/// What the gate ended with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Passed {
    /// Signed in (or the first administrator made and signed in).
    In(Account),
    Quit,
}

#[derive(Debug, Clone)]
pub struct Gate {
    pub mode: Mode,
    pub form: Form<G>,
}

/// The gate's keys: nothing to cancel to, only sign in or leave.
const GATE_KEYS: &str = "Enter 确定  Tab/上下 换项  Ctrl-C 退出";

fn secret(key: G, label: &'static str) -> Field<G> {
    Field::new(key, label, Kind::Secret, "").required()
}

impl Gate {
    /// The first administrator, or the sign-in when accounts exist.
    pub fn open(store: &Store) -> Result<Gate, crate::store::StoreError> {
        Ok(if accounts::none_yet(store.conn())? { Gate::first_run() } else { Gate::sign_in("") })
    }

    fn first_run() -> Gate {
        let fields = vec![
            Field::new(G::Login, "管理员用户名", Kind::Text, "").required(),
            Field::new(G::Name, "姓名", Kind::Text, "").required(),
            secret(G::Password, "密码"),
            secret(G::Again, "再输入一次"),
            Field::new(G::Casework, "兼任审批人（可办理事项）", Kind::Toggle, "是"),
        ];
        Gate {
            mode: Mode::FirstRun, form: Form::new("首次使用：建立管理员账号", fields).with_keys(GATE_KEYS)
        }
    }

    fn sign_in(login: &str) -> Gate {
        let mut fields =
            vec![Field::new(G::Login, "用户名", Kind::Text, login).required(), secret(G::Password, "密码")];
        let mut form = Form::new("信访接待台 登录", std::mem::take(&mut fields)).with_keys(GATE_KEYS);
        if !login.is_empty() {
            form.focus = 1;
        }
        Gate { mode: Mode::SignIn, form }
    }

    /// The lock screen over `who`'s desk: their name filled in, the password asked.
    pub fn locked(who: &Actor) -> Gate {
        let mut g = Gate::sign_in(&who.login);
        g.form.title = format!("已锁定（{}）：输入密码继续；换人登录请改用户名", who.name);
        g.mode = Mode::Locked { who: who.clone() };
        g
    }

    fn must_change(account: Account, old: String) -> Gate {
        let fields = vec![secret(G::Password, "新密码"), secret(G::Again, "再输入一次")];
        let title = format!("{}：密码已被重置，请设置新密码", account.name);
        Gate { mode: Mode::MustChange { account, old }, form: Form::new(title, fields).with_keys(GATE_KEYS) }
    }

    /// One key. `Some` when the gate is passed (or the desk is quit).
    pub fn on_event(
        &mut self,
        event: &Event,
        store: &mut Store,
        rules: &SignInRules,
        now: NaiveDateTime,
    ) -> Option<Passed> {
        let Event::Key(k) = event else {
            if let Event::Paste(text) = event {
                self.form.paste(text);
            }
            return None;
        };
        if k.kind == KeyEventKind::Release {
            return None;
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('c') if ctrl => return Some(Passed::Quit),
            KeyCode::Enter => return self.submit(store, rules, now),
            KeyCode::Tab | KeyCode::Down => self.form.navigate(Action::NextField),
            KeyCode::BackTab | KeyCode::Up => self.form.navigate(Action::PrevField),
            _ => {
                if let Some(req) = tui_input::backend::crossterm::to_input_request(event) {
                    self.form.error = None;
                    self.form.edit(req);
                }
            }
        }
        None
    }

    fn submit(&mut self, store: &mut Store, rules: &SignInRules, now: NaiveDateTime) -> Option<Passed> {
        if let Some(missing) = self.form.missing() {
            self.form.error = Some(missing);
            return None;
        }
        let v = |k: G| self.form.value(k);
        let result = match &self.mode {
            Mode::FirstRun => self.make_admin(store, rules, now),
            Mode::SignIn | Mode::Locked { .. } => {
                let (login, password) = (v(G::Login), v(G::Password));
                accounts::sign_in(store, login.trim(), &password, rules, now).map(|a| {
                    if a.must_change {
                        *self = Gate::must_change(a, password);
                        None
                    } else {
                        Some(a)
                    }
                })
            }
            Mode::MustChange { account, old } => {
                if v(G::Password) != v(G::Again) {
                    Err(crate::store::StoreError::Invalid("两次输入的密码不一致".into()))
                } else {
                    let account = account.clone();
                    accounts::change_password(store, &account.actor(), old, &v(G::Password), now)
                        .map(|()| Some(Account { must_change: false, ..account }))
                }
            }
        };
        match result {
            Ok(Some(a)) => Some(Passed::In(a)),
            Ok(None) => None,
            Err(e) => {
                // Only the password is cleared: the name stays typed.
                self.form.set(G::Password, "");
                if self.form.field_mut(G::Again).is_some() {
                    self.form.set(G::Again, "");
                }
                self.form.error = Some(e.to_string());
                None
            }
        }
    }

    fn make_admin(
        &mut self,
        store: &mut Store,
        rules: &SignInRules,
        now: NaiveDateTime,
    ) -> Result<Option<Account>, crate::store::StoreError> {
        let v = |k: G| self.form.value(k);
        if v(G::Password) != v(G::Again) {
            return Err(crate::store::StoreError::Invalid("两次输入的密码不一致".into()));
        }
        let roles: &[Role] = if v(G::Casework).is_empty() { &[Role::Admin] } else { &[Role::Admin, Role::Approver] };
        let (login, name, password) = (v(G::Login), v(G::Name), v(G::Password));
        let new = NewAccount { login: login.trim(), name: &name, roles, password: &password, must_change: false };
        accounts::create(store, &new, None, now)?;
        accounts::sign_in(store, login.trim(), &password, rules, now).map(Some)
    }
}
