//! Where issued papers are written: `documents/` beside the database,
//! owner-only (0700 folder, 0600 files), each file complete or absent (a
//! temporary file, flushed, then renamed over the name).

use std::io::Write;
use std::path::{Path, PathBuf};

/// `documents/` in the database's folder.
pub fn dir_for(db: &Path) -> PathBuf {
    db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join("documents")
}

/// The file a paper's number is written to: `中信受告〔2026〕15号.docx`.
pub fn file_name(number: &str) -> String {
    let safe: String =
        number.chars().map(|c| if c.is_control() || matches!(c, '/' | '\\' | ':') { '_' } else { c }).collect();
    format!("{}.docx", safe.trim_start_matches('.'))
}

/// Write `bytes` to `dir/name`, whole or not at all.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
        set_mode(dir, 0o700);
    }
    let path = dir.join(name);
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let mut f = opts.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &path)?;
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(path.clone())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn set_mode(_path: &Path, _mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(_path, std::fs::Permissions::from_mode(_mode));
    }
}

/// Where LibreOffice's `soffice` is, if installed.
fn soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).flat_map(|d| ["soffice", "libreoffice"].map(|n| d.join(n))).find(|p| p.is_file())
}

/// What `--pdf` says when LibreOffice is not installed.
pub const NO_LIBREOFFICE: &str = "未找到 LibreOffice（soffice），只生成了 DOCX。需要 PDF 时请安装 LibreOffice（Debian/Ubuntu：apt install libreoffice-writer），或用 WPS/Word 打开后另存为 PDF";

/// Convert `docx` to a PDF beside it with LibreOffice; the PDF's path.
pub fn to_pdf(docx: &Path) -> Result<PathBuf, String> {
    let soffice = soffice().ok_or_else(|| NO_LIBREOFFICE.to_string())?;
    let dir = docx.parent().unwrap_or(Path::new("."));
    // Its own profile: a desktop LibreOffice already open never blocks the conversion.
    let profile = std::env::temp_dir().join(format!("xfdesk-lo-{}", std::process::id()));
    let out = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .map_err(|e| format!("无法运行 LibreOffice：{e}"))?;
    let _ = std::fs::remove_dir_all(&profile);
    let pdf = docx.with_extension("pdf");
    match out.status.success() && pdf.is_file() {
        true => {
            set_mode(&pdf, 0o600);
            Ok(pdf)
        }
        false => Err(format!(
            "LibreOffice 未能转换为 PDF：{}",
            crate::text::sanitize_line(String::from_utf8_lossy(&out.stderr).trim())
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_named_after_the_number_and_stay_in_their_folder() {
        assert_eq!(file_name("中信受告〔2026〕15号"), "中信受告〔2026〕15号.docx");
        assert_eq!(file_name("../x/y"), "_x_y.docx");
    }

    #[test]
    fn a_written_file_is_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("documents");
        let path = write(&docs, "a.docx", b"PK").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"PK");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(&docs).unwrap().permissions().mode() & 0o777, 0o700);
        }
        assert_eq!(std::fs::read_dir(&docs).unwrap().count(), 1, "no temporary file left");
    }
}
