//! A paper's blocks laid out as a DOCX after GB/T 9704-2012 (党政机关公文格式):
//! A4, 天头 37 mm, 订口 28 mm, a 156 × 225 mm text area of 22 lines × 28
//! characters; the title in 2号 方正小标宋简体, the body in 3号 仿宋_GB2312;
//! the page number as "— 1 —" in 4号 宋体 under the text. Built with
//! `docx-rs`, never by writing XML by hand.

use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum, Paragraph,
    Run, RunFonts, SpecialIndentType,
};

use super::markup::Block;

/// Twentieths of a point per millimetre.
const TWIPS_PER_MM: f64 = 56.692_913;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

const TITLE_FONT: &str = "方正小标宋简体";
const BODY_FONT: &str = "仿宋_GB2312";
const PAGE_NUMBER_FONT: &str = "宋体";
const LATIN_FONT: &str = "Times New Roman";
/// Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt.
const TITLE_SIZE: usize = 44;
const BODY_SIZE: usize = 32;
const PAGE_NUMBER_SIZE: usize = 28;

const LINES_PER_PAGE: f64 = 22.0;
const CHARS_PER_LINE: f64 = 28.0;
const TEXT_WIDTH_MM: f64 = 156.0;
const TEXT_HEIGHT_MM: f64 = 225.0;

/// One line of the 22: 225 mm / 22 in twips (≈ 28.95 pt).
fn line_pitch() -> usize {
    mm(TEXT_HEIGHT_MM / LINES_PER_PAGE) as usize
}

/// The space taken off each 16 pt glyph, in twentieths of a point, so 28
/// fill the 156 mm line (15.79 pt each). A character grid would say the same
/// to Word, but LibreOffice and WPS read its pitch differently; tightening
/// the runs reads alike everywhere. Rounded away from zero: 28, never 27.
fn tightening() -> i32 {
    let pitch_pt = TEXT_WIDTH_MM / CHARS_PER_LINE * 72.0 / 25.4;
    ((pitch_pt - BODY_SIZE as f64 / 2.0) * 20.0).floor() as i32
}

/// Two characters of the body, for the first-line indent.
fn two_characters() -> i32 {
    2 * (BODY_SIZE as i32 * 10 + tightening())
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(LATIN_FONT).hi_ansi(LATIN_FONT)
}

fn exact_lines() -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line_pitch() as i32)
}

fn run(text: &str, font: &str, size: usize) -> Run {
    Run::new().add_text(text).fonts(fonts(font)).size(size)
}

fn body_run(text: &str) -> Run {
    run(text, BODY_FONT, BODY_SIZE).character_spacing(tightening())
}

fn paragraph(block: &Block) -> Paragraph {
    let body = |text: &str| Paragraph::new().add_run(body_run(text)).line_spacing(exact_lines());
    match block {
        Block::Title(t) => Paragraph::new()
            .add_run(run(t, TITLE_FONT, TITLE_SIZE))
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Exact).line(mm(12.0)).after(mm(3.0) as u32)),
        Block::Center(t) => body(t).align(AlignmentType::Center),
        Block::Left(t) => body(t).align(AlignmentType::Left),
        // 成文日期 右空四字 (GB/T 9704-2012 7.3.5.1); the seal goes over it.
        Block::Right(t) => body(t).align(AlignmentType::Right).indent(None, None, Some(2 * two_characters()), None),
        Block::Body(t) => body(t).align(AlignmentType::Both).indent(
            None,
            Some(SpecialIndentType::FirstLine(two_characters())),
            None,
            None,
        ),
        Block::Space => body(""),
    }
}

fn page_number_footer() -> Footer {
    let dash = |s: &str| run(s, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE);
    Footer::new().add_paragraph(
        Paragraph::new()
            .add_run(dash("— "))
            .add_page_num(PageNum::new())
            .add_run(dash(" —"))
            .size(PAGE_NUMBER_SIZE)
            .align(AlignmentType::Center),
    )
}

/// The DOCX bytes of `blocks`; `title` goes into the file's properties.
pub fn build(blocks: &[Block], title: &str, created: chrono::NaiveDateTime) -> Result<Vec<u8>, String> {
    let margin = PageMargin::new()
        .top(mm(37.0))
        .bottom(mm(35.0))
        .left(mm(28.0))
        .right(mm(26.0))
        .header(mm(15.0))
        .footer(mm(21.0));
    let grid = DocGrid::new().grid_type(DocGridType::Lines).line_pitch(line_pitch());
    let stamp = created.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut doc = Docx::new()
        .page_size(mm(210.0) as u32, mm(297.0) as u32)
        .page_margin(margin)
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .footer(page_number_footer())
        .created_at(&stamp)
        .updated_at(&stamp)
        .custom_property("title", title);
    doc.document = doc.document.doc_grid(grid);
    for block in blocks {
        doc = doc.add_paragraph(paragraph(block));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(|e| e.to_string())?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_is_22_lines_of_28_characters() {
        // 225 mm / 22 ≈ 28.95 pt ≈ 579 twips; 156 mm / 28 ≈ 15.79 pt, 0.21 pt under 3号.
        assert_eq!(line_pitch(), 580);
        let pitch = f64::from(BODY_SIZE as i32 * 10 + tightening()) / 20.0;
        assert_eq!((TEXT_WIDTH_MM * 72.0 / 25.4 / pitch).floor(), CHARS_PER_LINE, "pitch {pitch} pt");
    }
}
