//! Tables leaving the program as files Excel opens: CSV in UTF-8 with a BOM,
//! or XLSX with Chinese headers, columns as wide as their Chinese text and a
//! frozen header row. Cells that Excel would run as formulas are neutralised.
//! Files are created owner-only: they hold petitioners' matters.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use rust_xlsxwriter::{Format as CellFormat, Workbook};

use crate::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("无法写入 {path}：{source}")]
    Io { path: String, source: std::io::Error },
    #[error("生成 Excel 文件失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("生成 CSV 失败：{0}")]
    Csv(#[from] csv::Error),
    #[error("{path} 已存在；要替换它请加 --force")]
    Exists { path: String },
    #[error("{path} 是数据库文件，导出不会覆盖它")]
    IsDatabase { path: String },
}

/// A cell starting with `=`, `+`, `-` or `@` (or a tab/CR that Excel strips)
/// would be evaluated as a formula: prefix an apostrophe so it stays text.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One table of a workbook: a sheet in XLSX, a titled section in CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    pub fn new(name: &str, headers: &[&str], rows: Vec<Vec<String>>) -> Sheet {
        Sheet { name: name.into(), headers: headers.iter().map(|h| h.to_string()).collect(), rows }
    }

    /// A blank row, then `line` in the first cell: the printed footer (the
    /// anchor mark "校验：第N条 …").
    pub fn with_footer(mut self, line: &str) -> Sheet {
        self.rows.push(Vec::new());
        self.rows.push(vec![line.to_string()]);
        self
    }
}

/// Write `headers` and `rows` to `path`.
pub fn write(
    path: &Path,
    format: Format,
    sheet: &str,
    headers: &[&str],
    rows: &[Vec<String>],
    replace: bool,
) -> Result<(), ExportError> {
    let bytes = match format {
        Format::Csv => csv_bytes(&[], headers, rows)?,
        Format::Xlsx => xlsx_bytes(&[Sheet::new(sheet, headers, rows.to_vec())])?,
    };
    write_owner_only(path, &bytes, replace)
}

/// Write several tables: one sheet each in XLSX; in CSV one file, each table
/// under its name, a blank line between them.
pub fn write_book(path: &Path, format: Format, sheets: &[Sheet], replace: bool) -> Result<(), ExportError> {
    let bytes = match format {
        Format::Csv => {
            let mut out = Vec::new();
            for (i, s) in sheets.iter().enumerate() {
                let headers: Vec<&str> = s.headers.iter().map(String::as_str).collect();
                let part = csv_bytes(std::slice::from_ref(&s.name), &headers, &s.rows)?;
                // Only the file's start carries the BOM; a blank line parts the tables.
                if i > 0 {
                    out.extend_from_slice(b"\n");
                }
                out.extend_from_slice(if i == 0 { &part } else { &part[3..] });
            }
            out
        }
        Format::Xlsx => xlsx_bytes(sheets)?,
    };
    write_owner_only(path, &bytes, replace)
}

/// Write `bytes` to a new file only its owner can read (it holds petitioners'
/// data). An existing file is replaced only when `replace` is given (`--force`),
/// and then by a new 0600 file, never rewritten in place with its old mode; a
/// SQLite database is never replaced.
pub fn write_owner_only(path: &Path, bytes: &[u8], replace: bool) -> Result<(), ExportError> {
    let io = |source| ExportError::Io { path: path.display().to_string(), source };
    let shown = || crate::text::sanitize_line(&path.display().to_string()).into_owned();
    if std::fs::symlink_metadata(path).is_ok() {
        if is_sqlite(path) {
            return Err(ExportError::IsDatabase { path: shown() });
        }
        if !replace {
            return Err(ExportError::Exists { path: shown() });
        }
        std::fs::remove_file(path).map_err(io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(io)?;
    f.write_all(bytes).map_err(io)?;
    f.sync_all().map_err(io)
}

/// A SQLite database file, by its 16-byte header (with or without xfdesk's mark).
fn is_sqlite(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == b"SQLite format 3\0"
}

fn clean(cell: &str) -> String {
    neutralize(&text::sanitize_line(cell)).into_owned()
}

/// `titles` are single-cell lines before the header (a section's name).
fn csv_bytes(titles: &[String], headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, ExportError> {
    // The BOM tells Excel the file is UTF-8.
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(b"\xEF\xBB\xBF".to_vec());
    for t in titles {
        w.write_record([clean(t)])?;
    }
    w.write_record(headers)?;
    for r in rows {
        w.write_record(r.iter().map(|c| clean(c)))?;
    }
    w.into_inner().map_err(|e| ExportError::Io { path: "CSV".into(), source: e.into_error() })
}

fn xlsx_bytes(sheets: &[Sheet]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let bold = CellFormat::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        let mut widths: Vec<usize> = sheet.headers.iter().map(|h| text::width(h)).collect();
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let value = clean(cell);
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(text::width(&value));
                }
                ws.write_string(r as u32 + 1, c as u16, value)?;
            }
        }
        // Excel's width unit is about one Latin character; a Chinese glyph is two.
        for (c, w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, (*w as f64 + 2.0).min(80.0))?;
        }
        ws.set_freeze_panes(1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralize("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralize("+86"), "'+86");
        assert_eq!(neutralize("-1"), "'-1");
        assert_eq!(neutralize("@cmd"), "'@cmd");
        assert_eq!(neutralize("张三"), "张三");
    }
}
