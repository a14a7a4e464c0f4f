//! The rendered text of a paper, line by line. A template writes plain text
//! with a mark at the start of a line for the few layouts an official paper
//! has (GB/T 9704-2012); everything else is a body paragraph, indented two
//! characters. The same blocks are laid out in the DOCX and in the preview.
//!
//! | Line starts with | Block |
//! |---|---|
//! | `# ` | title (2号小标宋, centred) |
//! | `^ ` | centred line (the 发文字号) |
//! | `< ` | flush-left line (主送机关, 附件) |
//! | `> ` | right-aligned line (署名, 成文日期; the seal goes over them) |
//! | `~` | an empty line (space before the signature, for the seal) |
//! | blank | nothing (paragraphs are lines) |

/// One block of a paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Title(String),
    Center(String),
    Left(String),
    Right(String),
    Body(String),
    Space,
}

/// The marks, for values that must never start a block of their own.
pub const MARKS: [char; 5] = ['#', '^', '<', '>', '~'];

pub fn parse(text: &str) -> Vec<Block> {
    text.lines().filter_map(block).collect()
}

fn block(line: &str) -> Option<Block> {
    let line = line.trim_end();
    let marked = |mark: &str| line.strip_prefix(mark).map(|rest| rest.trim().to_string());
    if line.trim().is_empty() {
        return None;
    }
    Some(if line == "~" {
        Block::Space
    } else if let Some(t) = marked("# ") {
        Block::Title(t)
    } else if let Some(t) = marked("^ ") {
        Block::Center(t)
    } else if let Some(t) = marked("< ") {
        Block::Left(t)
    } else if let Some(t) = marked("> ") {
        Block::Right(t)
    } else {
        Block::Body(line.trim().to_string())
    })
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Title(t) | Block::Center(t) | Block::Left(t) | Block::Right(t) | Block::Body(t) => t,
            Block::Space => "",
        }
    }
}

/// The paper's title (its first title block).
pub fn title(blocks: &[Block]) -> Option<&str> {
    blocks.iter().find_map(|b| match b {
        Block::Title(t) => Some(t.as_str()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mark_makes_its_block() {
        let text = "# 受理告知书\n^ 中信受告〔2026〕15号\n\n< 王秀兰：\n  你反映的问题已受理。\n~\n> 中站区信访局\n> 2026年12月1日\n";
        assert_eq!(
            parse(text),
            vec![
                Block::Title("受理告知书".into()),
                Block::Center("中信受告〔2026〕15号".into()),
                Block::Left("王秀兰：".into()),
                Block::Body("你反映的问题已受理。".into()),
                Block::Space,
                Block::Right("中站区信访局".into()),
                Block::Right("2026年12月1日".into()),
            ]
        );
        assert_eq!(title(&parse(text)), Some("受理告知书"));
        assert_eq!(parse("#没有空格"), vec![Block::Body("#没有空格".into())], "a mark needs its space");
    }
}
