//! Encrypted backups (age): for a copy that leaves the host. A passphrase
//! (scrypt) or one or more recipients' public keys (X25519, `age1…`).

use std::io::{BufReader, Read, Write};
use std::path::Path;

use age::secrecy::SecretString;

use super::{Result, StoreError};

/// How a backup is locked.
pub enum Lock {
    Passphrase(SecretString),
    Recipients(Vec<age::x25519::Recipient>),
}

/// How a locked backup is opened.
pub enum Key {
    Passphrase(SecretString),
    Identities(Vec<Box<dyn age::Identity + Send + Sync>>),
}

/// Parse `age1…` public keys, naming the one that is not.
pub fn recipients(keys: &[String]) -> Result<Vec<age::x25519::Recipient>> {
    keys.iter()
        .map(|k| {
            k.trim().parse::<age::x25519::Recipient>().map_err(|_| {
                StoreError::Invalid(format!(
                    "接收方公钥应为 age1 开头的字符串，现为「{}」",
                    crate::text::sanitize_line(k)
                ))
            })
        })
        .collect()
}

/// The identities (`AGE-SECRET-KEY-1…`) in a key file.
pub fn identities(file: &Path) -> Result<Vec<Box<dyn age::Identity + Send + Sync>>> {
    let shown = crate::text::sanitize_line(&file.display().to_string()).into_owned();
    let bad = |why: String| StoreError::Invalid(format!("无法读取私钥文件 {shown}：{why}"));
    let f = age::IdentityFile::from_file(file.display().to_string()).map_err(|e| bad(e.to_string()))?;
    f.into_identities().map_err(|e| bad(e.to_string()))
}

/// Whether `path` starts like an age file.
pub fn is_encrypted(path: &Path) -> bool {
    let mut head = [0u8; 34];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    head[..n].starts_with(b"age-encryption.org/")
}

fn io(what: &str, path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(format!("{what} {}：{e}", crate::text::sanitize_line(&path.display().to_string())))
}

/// Encrypt `plain` into the new file `out` (0600), flushed to disk.
pub fn lock(plain: &Path, out: &Path, how: &Lock) -> Result<()> {
    let encryptor = match how {
        Lock::Passphrase(p) => age::Encryptor::with_user_passphrase(p.clone()),
        Lock::Recipients(rs) => age::Encryptor::with_recipients(rs.iter().map(|r| r as &dyn age::Recipient))
            .map_err(|e| StoreError::Invalid(format!("无法加密：{e}")))?,
    };
    let mut input = std::fs::File::open(plain).map_err(|e| io("无法读取", plain, e))?;
    let file = super::backup::create_owner_only(out).map_err(|e| io("无法写入", out, e))?;
    let mut writer = encryptor.wrap_output(std::io::BufWriter::new(file)).map_err(|e| io("无法写入", out, e))?;
    std::io::copy(&mut input, &mut writer).map_err(|e| io("无法写入", out, e))?;
    let file =
        writer.finish().and_then(|w| w.into_inner().map_err(|e| e.into_error())).map_err(|e| io("无法写入", out, e))?;
    file.sync_all().map_err(|e| io("无法写入", out, e))
}

/// Decrypt `locked` into the new file `out` (0600). A wrong passphrase or key
/// fails before `out` holds anything usable; the caller removes it.
pub fn unlock(locked: &Path, out: &Path, key: &Key) -> Result<()> {
    let input = BufReader::new(std::fs::File::open(locked).map_err(|e| io("无法读取", locked, e))?);
    let refused = |e: age::DecryptError| match e {
        age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys => {
            StoreError::Invalid("口令或私钥不对（或备份文件已损坏），数据库未做任何改动".into())
        }
        other => StoreError::Invalid(format!("无法解密备份：{other}，数据库未做任何改动")),
    };
    let decryptor = age::Decryptor::new_buffered(input).map_err(refused)?;
    let scrypt;
    let identities: Vec<&dyn age::Identity> = match key {
        Key::Passphrase(p) => {
            scrypt = age::scrypt::Identity::new(p.clone());
            vec![&scrypt]
        }
        Key::Identities(ids) => ids.iter().map(|i| i.as_ref() as &dyn age::Identity).collect(),
    };
    let mut reader = decryptor.decrypt(identities.into_iter()).map_err(refused)?;
    let mut file = super::backup::create_owner_only(out).map_err(|e| io("无法写入", out, e))?;
    std::io::copy(&mut reader, &mut file).map_err(|_| refused(age::DecryptError::DecryptionFailed))?;
    file.flush().and_then(|()| file.sync_all()).map_err(|e| io("无法写入", out, e))
}
