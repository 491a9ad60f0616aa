//! The words tesseract read on a picture (its TSV output), and the glyphs they make.

use crate::pdf::Glyph;

/// A word tesseract read, with its box and its line's, in the picture's pixels (y down).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Word {
    pub text: String,
    /// Which line of tesseract's the word is on (its block, paragraph and line numbers).
    pub line: [u32; 3],
    pub left: f64,
    pub top: f64,
    pub width: f64,
    /// The bottom and height of the line tesseract found the word in: a digit's own box is
    /// shorter than a character's, its line's is not.
    pub line_bottom: f64,
    pub line_height: f64,
    /// tesseract's confidence in the word, 0 to 100.
    pub confidence: f64,
}

impl Word {
    /// The middle of the word's box, in the picture's pixels.
    pub fn middle(&self) -> (f64, f64) {
        (
            self.left + self.width / 2.0,
            self.line_bottom - self.line_height / 2.0,
        )
    }
}

/// An ideograph or a full-width sign (Chinese is written without spaces).
fn is_wide(ch: char) -> bool {
    ch >= '\u{2E80}'
}

/// Words of one line set close together as one text: a space between two words only
/// where neither side is an ideograph (tesseract cuts Chinese into words anyway).
pub(crate) fn joined(words: &[Word]) -> String {
    let mut text = String::new();
    for word in words {
        let before = text.chars().next_back();
        let after = word.text.chars().next();
        if let (Some(before), Some(after)) = (before, after) {
            if !is_wide(before) && !is_wide(after) && !inside_a_number(&text, after) {
                text.push(' ');
            }
        }
        text.push_str(&word.text);
    }
    text
}

/// Whether a word starting with `after` goes on a number `text` ends in a grouping comma
/// or a decimal point ("16," then "485." then "62": tesseract cuts "16,485.62" at the
/// space a typeface leaves after a comma), or on the sign `text` is.
fn inside_a_number(text: &str, after: char) -> bool {
    let mut end = text.chars().rev();
    let grouped =
        matches!(end.next(), Some(',' | '.')) && end.next().is_some_and(|c| c.is_ascii_digit());
    // A sign alone, so far, is the number's own.
    let signed = matches!(text, "-" | "+");
    (grouped || signed) && after.is_ascii_digit()
}

/// The glyphs of words set close together on one line (`joined`), laid out evenly across
/// where the words stand, in the order read: the boxes tesseract gives a line's words may
/// overlap, or leave gaps between characters that are no spaces. The words are in the
/// page's pixels (y down); the glyphs in points, `scale` a pixel, y up from the foot of a
/// page `height` pixels high.
pub(crate) fn run_glyphs(words: &[Word], scale: f64, height: f64) -> Vec<Glyph> {
    let Some(first) = words.first() else {
        return Vec::new();
    };
    let text = joined(words);
    let left = words.iter().map(|w| w.left).fold(f64::INFINITY, f64::min);
    let right = words.iter().map(|w| w.left + w.width).fold(0.0, f64::max);
    let advance = (right - left) / text.chars().count().max(1) as f64;
    text.chars()
        .enumerate()
        .filter(|(_, ch)| *ch != ' ')
        .map(|(i, ch)| Glyph {
            ch,
            x: (left + advance * i as f64) * scale,
            y: (height - first.line_bottom) * scale,
            width: advance * scale,
            size: first.line_height * scale,
        })
        .collect()
}

/// A gap between words wider than this many line heights parts two runs of text on one
/// line (columns of a table without ruling, a date set apart).
const RUN_GAP: f64 = 1.5;

/// Words read on a page, in tesseract's order, as runs of words set close together on
/// one line: each the words `run_glyphs` lays out as one.
pub(crate) fn runs(words: &[Word]) -> Vec<&[Word]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=words.len() {
        let parted = match (words.get(i - 1), words.get(i)) {
            (Some(a), Some(b)) => {
                a.line != b.line || b.left - (a.left + a.width) > RUN_GAP * a.line_height
            }
            _ => true,
        };
        if parted {
            out.push(&words[start..i]);
            start = i;
        }
    }
    out
}

/// The words of tesseract's TSV output (rows of level 5; level 4 rows are their lines).
pub(crate) fn words(tsv: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut line = (0.0, 0.0);
    for row in tsv.lines().skip(1) {
        let fields: Vec<&str> = row.split('\t').collect();
        let [level, _, block, paragraph, line_number, _, left, top, width, high, confidence, text] =
            fields[..]
        else {
            continue;
        };
        let id = |field: &str| field.parse::<u32>().unwrap_or(0);
        let number = |field: &str| field.parse::<f64>().ok();
        let (Some(left), Some(top), Some(width), Some(high)) =
            (number(left), number(top), number(width), number(high))
        else {
            continue;
        };
        match level {
            "4" => line = (top + high, high),
            "5" if !text.trim().is_empty() => {
                let (bottom, height) = line;
                // A word whose middle is outside its line's box has its own.
                let middle = top + high / 2.0;
                let (line_bottom, line_height) = match middle >= bottom - height && middle <= bottom
                {
                    true => (bottom, height),
                    false => (top + high, high),
                };
                out.push(Word {
                    text: text.trim().to_string(),
                    line: [id(block), id(paragraph), id(line_number)],
                    left,
                    top,
                    width,
                    line_bottom,
                    line_height,
                    confidence: number(confidence).unwrap_or(0.0),
                });
            }
            _ => {}
        }
    }
    for line in out.chunk_by_mut(|a, b| a.line == b.line) {
        opening_brackets(line);
    }
    out
}

/// An angle bracket that a parenthesis closes later on its line, read as the parenthesis
/// it is: the Chinese model reads "（" as "〈" ("第二十条第〈五)项", "〈单位:万元)"), and a
/// table's item heading misread so is no anchor. A line holding "〉" is let be.
fn opening_brackets(words: &mut [Word]) {
    let line: String = words.iter().map(|w| w.text.as_str()).collect();
    let Some(at) = line.find('〈') else {
        return;
    };
    if line.contains('〉') || !line[at..].contains([')', '）']) {
        return;
    }
    for word in words.iter_mut().filter(|w| w.text.contains('〈')) {
        word.text = word.text.replace('〈', "（");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n";

    #[test]
    fn an_angle_bracket_a_parenthesis_closes_is_a_parenthesis() {
        let mended = |texts: &[&str]| {
            let mut line: Vec<Word> = texts.iter().map(|t| word(t, 0.0, 10.0, 1)).collect();
            opening_brackets(&mut line);
            line.iter()
                .map(|w| w.text.clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(mended(&["第二十条第〈五)项"]), "第二十条第（五)项");
        assert_eq!(mended(&["第二十条第〈五", ")项"]), "第二十条第（五 )项");
        assert_eq!(mended(&["〈单位:万元）"]), "（单位:万元）");
        for kept in [
            &["〈条例〉"][..],
            &["〈"],
            &["a〈b"],
            &["(一)"],
            &["〈五", "〉)"],
        ] {
            assert_eq!(mended(kept), kept.join(" "));
        }
    }

    fn word(text: &str, left: f64, width: f64, line: u32) -> Word {
        Word {
            text: text.into(),
            line: [1, 1, line],
            left,
            top: 20.0,
            width,
            line_bottom: 50.0,
            line_height: 30.0,
            confidence: 90.0,
        }
    }

    #[test]
    fn words_and_their_lines_are_read_from_the_tsv() {
        let tsv = format!(
            "{HEADER}4\t1\t1\t1\t1\t0\t100\t200\t400\t50\t-1\t\n\
             5\t1\t1\t1\t1\t1\t100\t200\t100\t50\t96\t规章\n\
             5\t1\t1\t1\t1\t2\t400\t210\t20\t40\t95\t0\n\
             5\t1\t1\t1\t1\t3\t450\t210\t20\t40\t95\t \n\
             5\t1\t1\t1\t1\t4\t600\t500\t20\t40\t95\t7\n"
        );
        let read = words(&tsv);
        let placed: Vec<(&str, f64, f64, f64)> = read
            .iter()
            .map(|w| (w.text.as_str(), w.left, w.line_bottom, w.line_height))
            .collect();
        // The "7" far below its line's box keeps its own.
        assert_eq!(
            placed,
            [
                ("规章", 100.0, 250.0, 50.0),
                ("0", 400.0, 250.0, 50.0),
                ("7", 600.0, 540.0, 40.0)
            ]
        );
        assert_eq!((read[0].line, read[0].confidence), ([1, 1, 1], 96.0));
    }

    #[test]
    fn a_run_is_laid_out_in_the_order_read_and_runs_part_at_wide_gaps() {
        // "工作" and "年度" boxed overlapping; "报告" a gap of a line height on; "2023"
        // two line heights on; the next line.
        let line = [
            word("工作", 100.0, 80.0, 1),
            word("年度", 150.0, 60.0, 1),
            word("报告", 240.0, 60.0, 1),
            word("2023", 360.0, 40.0, 1),
            word("年", 100.0, 30.0, 2),
        ];
        let parts: Vec<String> = runs(&line).into_iter().map(joined).collect();
        assert_eq!(parts, ["工作年度报告", "2023", "年"]);
        // One point a pixel, the page 1,000 pixels high.
        let glyphs = run_glyphs(runs(&line)[0], 1.0, 1000.0);
        let text: String = glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(text, "工作年度报告");
        // From the first word's left (100) to the last's right (300), six characters.
        let step = 200.0 / 6.0;
        for (i, g) in glyphs.iter().enumerate() {
            assert!((g.x - (100.0 + step * i as f64)).abs() < 1e-9, "{g:?}");
            assert!((g.width - step).abs() < 1e-9 && g.y == 950.0 && g.size == 30.0);
        }
    }

    #[test]
    fn latin_words_keep_their_space_and_chinese_ones_none() {
        let text =
            |ws: &[&str]| joined(&ws.iter().map(|w| word(w, 0.0, 1.0, 1)).collect::<Vec<_>>());
        assert_eq!(text(&["1.", "属于"]), "1.属于");
        assert_eq!(text(&["0517-8722", "2589"]), "0517-8722 2589");
        assert_eq!(text(&["共", "21", "件"]), "共21件");
        assert_eq!(text(&["16,", "485.", "62"]), "16,485.62");
        assert_eq!(text(&["共2,", "3"]), "共2,3");
        assert_eq!(text(&["a.", "3"]), "a. 3");
        assert_eq!(text(&["-", "6"]), "-6");
        assert_eq!(text(&["1", "-", "6"]), "1 - 6");
    }

    #[test]
    fn rows_that_are_not_words_are_passed_over() {
        let tsv = format!("{HEADER}5\t1\t1\t1\t1\t1\tx\t0\t1\t1\t90\t字\n5\t1\t1\n\n");
        assert!(words(&tsv).is_empty());
    }
}
