//! How the columns of a terminal table share its width: where a line may break (at spaces,
//! and beside wide CJK characters), which cells never break (ids, dates, figures), and how
//! the width left after the borders is divided. Every width is a display width: a wide
//! character counts two columns.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Where the lines of a column's cells may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Breaks {
    /// Nowhere: ids, dates, times and figures keep each of their lines whole.
    Never,
    /// Between words: free text such as titles and cadences.
    Words,
}

/// The prefix of a list item in a cell; its continuation lines are indented as wide.
pub(super) const BULLET: &str = "• ";

/// Characters a line may not start with (closing brackets and punctuation, small kana,
/// the long-vowel mark), after the Japanese line-breaking rules (kinsoku shori).
const NO_BREAK_BEFORE: &str =
    ",.;:!?)]}%、。，．・：；？！）」』】〕〉》ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〜…";

/// Characters a line may not end with (opening brackets).
const NO_BREAK_AFTER: &str = "([{（「『【〔〈《";

/// A piece of a line that no break may fall inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Word<'a> {
    text: &'a str,
    width: usize,
    /// A space separates it from the word before.
    spaced: bool,
}

fn is_wide(c: char) -> bool {
    c.width().unwrap_or(0) > 1
}

/// May a line break between `before` and `after`, two characters with no space between?
/// Only beside a wide character (CJK text has no spaces), and not where kinsoku forbids.
fn breaks_between(before: char, after: char) -> bool {
    (is_wide(before) || is_wide(after))
        && !NO_BREAK_BEFORE.contains(after)
        && !NO_BREAK_AFTER.contains(before)
}

/// The words of one line, in order; linear in its length.
fn words(line: &str) -> Vec<Word<'_>> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut width = 0;
    let mut spaced = false;
    let mut previous: Option<char> = None;
    for (index, c) in line.char_indices() {
        if c == ' ' {
            if let Some(begin) = start.take() {
                words.push(Word {
                    text: &line[begin..index],
                    width,
                    spaced,
                });
            }
            width = 0;
            spaced = true;
            previous = None;
            continue;
        }
        if let (Some(begin), Some(before)) = (start, previous)
            && breaks_between(before, c)
        {
            words.push(Word {
                text: &line[begin..index],
                width,
                spaced,
            });
            start = None;
            width = 0;
            spaced = false;
        }
        start.get_or_insert(index);
        width += c.width().unwrap_or(0);
        previous = Some(c);
    }
    if let Some(begin) = start {
        words.push(Word {
            text: &line[begin..],
            width,
            spaced,
        });
    }
    words
}

/// The bullet of a list item line, and the rest of the line.
fn split_bullet(line: &str) -> (&str, &str) {
    match line.strip_prefix(BULLET) {
        Some(rest) => (BULLET, rest),
        None => ("", line),
    }
}

/// The least width a cell's lines fit in without a break where `breaks` allows none: its
/// widest line, or its widest word (with a list item's bullet).
pub(super) fn least_width(text: &str, breaks: Breaks) -> usize {
    text.split('\n')
        .map(|line| match breaks {
            Breaks::Never => line.width(),
            Breaks::Words => {
                let (bullet, rest) = split_bullet(line);
                let widest = words(rest).iter().map(|w| w.width).max().unwrap_or(0);
                bullet.width() + widest
            }
        })
        .max()
        .unwrap_or(0)
}

/// Header words up to this wide are kept whole; a longer one (Japanese headers have no
/// spaces) may break between its CJK characters.
const HEADER_WORD: usize = 12;

/// The least width of a header: its widest space-separated word up to [`HEADER_WORD`]
/// columns, so that no header stacks a character a line.
pub(super) fn header_least_width(text: &str) -> usize {
    let widest = text
        .split_whitespace()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0);
    widest
        .min(HEADER_WORD)
        .max(least_width(text, Breaks::Words))
}

/// The width a cell takes unwrapped: its widest line.
pub(super) fn full_width(text: &str) -> usize {
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// `line` broken at word boundaries into lines of at most `width` columns. A word wider
/// than `width` is never cut: it gets a line of its own, wider than `width`.
pub(super) fn wrap_line(line: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0;
    for word in words(line) {
        let gap = usize::from(word.spaced && !current.is_empty());
        if !current.is_empty() && current_width + gap + word.width > width {
            lines.push(std::mem::take(&mut current));
            current_width = 0;
        } else if gap == 1 {
            current.push(' ');
            current_width += 1;
        }
        current.push_str(word.text);
        current_width += word.width;
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// A cell's text laid out in `width` columns: each line as it is under [`Breaks::Never`],
/// else wrapped at word boundaries, a list item's continuation lines under its text.
pub(super) fn wrap_cell(text: &str, width: usize, breaks: Breaks) -> String {
    if breaks == Breaks::Never || full_width(text) <= width {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let (bullet, rest) = split_bullet(line);
        let indent = " ".repeat(bullet.width());
        let room = width.saturating_sub(bullet.width()).max(1);
        for (piece_index, piece) in wrap_line(rest, room).iter().enumerate() {
            if piece_index > 0 {
                out.push('\n');
                out.push_str(&indent);
            } else {
                out.push_str(bullet);
            }
            out.push_str(piece);
        }
    }
    out
}

/// The content width of each column when `room` columns are shared among columns that
/// need at least `least` and at most `full`: `full` when all fit; else every column gets
/// its least and the rest of the room goes to the columns that want more, in proportion
/// to how much more they want; `None` when even the least widths do not fit.
pub(super) fn share(least: &[usize], full: &[usize], room: usize) -> Option<Vec<usize>> {
    let full: Vec<usize> = full.iter().zip(least).map(|(&f, &l)| f.max(l)).collect();
    let needed: usize = least.iter().sum();
    if needed > room {
        return None;
    }
    if full.iter().sum::<usize>() <= room {
        return Some(full);
    }
    let spare = room - needed;
    let wants: Vec<usize> = full.iter().zip(least).map(|(f, l)| f - l).collect();
    let wanted: usize = wants.iter().sum();
    let mut widths: Vec<usize> = least
        .iter()
        .zip(&wants)
        .map(|(l, w)| l + w * spare / wanted)
        .collect();
    // Columns rounded down get the columns left over, one each, the hungriest first.
    let mut left = room - widths.iter().sum::<usize>();
    while left > 0 {
        let Some(hungriest) = (0..widths.len())
            .filter(|&i| widths[i] < full[i])
            .max_by_key(|&i| (full[i] - widths[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        widths[hungriest] += 1;
        left -= 1;
    }
    Some(widths)
}

/// The columns a table of `columns` columns spends on borders and padding: a border each
/// side of every column and one space inside each border.
pub(super) fn chrome(columns: usize) -> usize {
    3 * columns + 1
}

#[cfg(test)]
mod tests {
    use super::{Breaks, header_least_width, least_width, share, wrap_cell, wrap_line};

    #[test]
    fn text_wraps_at_spaces_within_the_width() {
        // "Track Microsoft" is 15 columns, "Defender Vulnerability" 22.
        assert_eq!(
            wrap_line("Track Microsoft Defender Vulnerability Management", 22),
            ["Track Microsoft", "Defender Vulnerability", "Management"]
        );
        assert_eq!(wrap_line("  two   spaces ", 40), ["two spaces"]);
        assert_eq!(wrap_line("", 10), [""]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_never_cut() {
        assert_eq!(
            wrap_line("see update-escalation-tickets now", 10),
            ["see", "update-escalation-tickets", "now"]
        );
        assert_eq!(
            wrap_cell("update-escalation-tickets", 10, Breaks::Words),
            "update-escalation-tickets"
        );
    }

    #[test]
    fn unbreakable_cells_keep_their_lines() {
        assert_eq!(wrap_cell("Mon 30 Nov", 3, Breaks::Never), "Mon 30 Nov");
        assert_eq!(least_width("Mon 30 Nov", Breaks::Never), 10);
        assert_eq!(least_width("Mon 30 Nov", Breaks::Words), 3);
        assert_eq!(least_width("100 %\n7", Breaks::Never), 5);
    }

    #[test]
    fn list_items_wrap_under_their_text() {
        assert_eq!(
            wrap_cell(
                "• Update SOC escalation tickets\n• Deploy",
                14,
                Breaks::Words
            ),
            "• Update SOC\n  escalation\n  tickets\n• Deploy"
        );
        // The bullet counts towards the least width: 2 + "escalation".
        assert_eq!(least_width("• Update escalation", Breaks::Words), 12);
    }

    #[test]
    fn cjk_text_breaks_between_characters_by_display_width() {
        // Each kana or kanji is two columns wide; a line may break between any two, but not
        // before "ー" or a small kana.
        assert_eq!(
            wrap_line("サービス管理コラボレーション", 10),
            ["サービス管", "理コラボ", "レーション"]
        );
        // "サー" stays together (no line starts with "ー"): 4 columns.
        assert_eq!(least_width("サービス管理", Breaks::Words), 4);
        // Latin text next to kana breaks between them, and keeps its own words.
        assert_eq!(
            wrap_line("SOC Teamsとのサービス", 9),
            ["SOC Teams", "とのサー", "ビス"]
        );
    }

    #[test]
    fn header_words_stay_whole_up_to_twelve_columns() {
        assert_eq!(header_least_width("Median delay (days)"), 6);
        assert_eq!(header_least_width("Completion"), 10);
        // 期限内 is 6 columns; 遅延の中央値(日) 17, so it may break after 12.
        assert_eq!(header_least_width("期限内"), 6);
        assert_eq!(header_least_width("遅延の中央値(日)"), 12);
    }

    #[test]
    fn cjk_punctuation_does_not_start_a_line() {
        // "、" and "ー" may not begin a line, so they stay with the character before.
        assert_eq!(
            wrap_line("資産、ライセンス", 4),
            ["資", "産、", "ライ", "セン", "ス"]
        );
        assert_eq!(wrap_line("（資産）", 4), ["（資", "産）"]);
    }

    #[test]
    fn the_room_goes_to_the_columns_that_want_it() {
        // Everything fits: every column its full width.
        assert_eq!(share(&[4, 10], &[6, 20], 30), Some(vec![6, 20]));
        // 20 columns for least widths 5 + 5: the 10 spare go 2 : 8, as the wants 5 : 20.
        assert_eq!(share(&[5, 5], &[10, 25], 20), Some(vec![7, 13]));
        // Whole ids first: no room for the least widths, no layout.
        assert_eq!(share(&[25, 13], &[25, 40], 37), None);
        assert_eq!(share(&[25, 13], &[25, 40], 38), Some(vec![25, 13]));
        // A rounding remainder goes to the hungriest column.
        assert_eq!(share(&[1, 1, 1], &[4, 4, 4], 7), Some(vec![3, 2, 2]));
    }
}
