//! Secrets the command line reads: a backup passphrase or an account's
//! password, from the terminal without echo, or from a file only its owner
//! can read (for scheduled jobs).

use std::io::IsTerminal;
use std::path::Path;

use age::secrecy::SecretString;

/// The shortest passphrase an encrypted backup accepts.
const MIN_CHARS: usize = 8;

/// A passphrase from `file` (mode 0600) or typed twice at the terminal.
pub fn passphrase(file: Option<&Path>, new: bool) -> anyhow::Result<SecretString> {
    let text = match file {
        Some(f) => from_file(f)?,
        None => typed(new)?,
    };
    anyhow::ensure!(!text.is_empty(), "口令不能为空");
    anyhow::ensure!(text.len() <= 1024, "口令太长（最多 1024 字节）");
    anyhow::ensure!(!text.chars().any(char::is_control), "口令不能含控制字符");
    if new {
        anyhow::ensure!(text.chars().count() >= MIN_CHARS, "口令至少 {MIN_CHARS} 个字符");
    }
    Ok(SecretString::from(text))
}

/// An account's password for sign-in: from `file` (mode 0600) or typed at
/// the terminal without echo. Not checked here beyond being readable text:
/// sign-in refuses what no password can be.
pub fn password(file: Option<&Path>, prompt: &str) -> anyhow::Result<String> {
    match file {
        Some(f) => from_file(f),
        None => {
            anyhow::ensure!(
                std::io::stdin().is_terminal(),
                "没有可输入密码的终端：请用 --password-file 给出密码文件（权限 600）"
            );
            Ok(rpassword::prompt_password(prompt)?)
        }
    }
}

/// A new password: from `file`, or typed twice at the terminal.
pub fn new_password(file: Option<&Path>, login: &str) -> anyhow::Result<String> {
    let pw = match file {
        Some(f) => from_file(f)?,
        None => {
            let first = password(None, &format!("{login} 的新密码："))?;
            let again = password(None, "再输入一次：")?;
            anyhow::ensure!(first == again, "两次输入的密码不一致，未保存");
            first
        }
    };
    crate::domain::access::check_new_password(&pw, login).map_err(|e| anyhow::anyhow!(e))?;
    Ok(pw)
}

fn from_file(f: &Path) -> anyhow::Result<String> {
    let shown = crate::text::sanitize_line(&f.display().to_string()).into_owned();
    let meta = std::fs::metadata(f).map_err(|e| anyhow::anyhow!("无法读取口令文件 {shown}：{e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        anyhow::ensure!(mode & 0o077 == 0, "口令文件 {shown} 的权限为 {mode:o}，应只允许本人读取（chmod 600）");
    }
    let _ = meta;
    let bytes = std::fs::read(f).map_err(|e| anyhow::anyhow!("无法读取口令文件 {shown}：{e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("口令文件 {shown} 不是 UTF-8 文本"))?;
    Ok(text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text).to_string())
}

fn typed(new: bool) -> anyhow::Result<String> {
    anyhow::ensure!(
        std::io::stdin().is_terminal(),
        "没有可输入口令的终端：请用 --passphrase-file 给出口令文件（权限 600）"
    );
    let first = rpassword::prompt_password("备份口令：")?;
    if new {
        let again = rpassword::prompt_password("再输入一次：")?;
        anyhow::ensure!(first == again, "两次输入的口令不一致，未备份");
    }
    Ok(first)
}
