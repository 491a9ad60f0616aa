//! PDF tables read by their geometry, on small PDFs drawn here with lopdf: ruling lines as
//! stroked paths, text in a Type0 font whose ToUnicode map gives the characters (the reader
//! needs no font program, only codes, widths and the map).

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use nianbao_ingest::{from_bytes, GridSource};

/// One page's drawing: lines (x0, y0, x1, y1) and text (x, y, text), y up, A4.
#[derive(Default)]
struct Page {
    lines: Vec<(f64, f64, f64, f64)>,
    text: Vec<(f64, f64, String)>,
    /// Per text, the box (x0, y0, x1, y1, y up) it is clipped to, if any.
    clips: Vec<Option<(f64, f64, f64, f64)>>,
}

impl Page {
    /// A ruled grid: column and row positions (y from the top), every line drawn.
    fn grid(&mut self, xs: &[f64], ys: &[f64]) {
        for &y in ys {
            self.lines
                .push((xs[0], 842.0 - y, xs[xs.len() - 1], 842.0 - y));
        }
        for &x in xs {
            self.lines
                .push((x, 842.0 - ys[0], x, 842.0 - ys[ys.len() - 1]));
        }
    }

    /// Text at (x, y from the top) on the baseline.
    fn put(&mut self, x: f64, y: f64, text: &str) {
        self.text.push((x, 842.0 - y, text.to_string()));
        self.clips.push(None);
    }

    /// Text drawn inside a clip (x0, top, x1, bottom from the top): what lies outside is
    /// not shown, as LibreOffice cuts a cell's overflowing text at the cell's border.
    fn put_clipped(&mut self, x: f64, y: f64, text: &str, clip: (f64, f64, f64, f64)) {
        self.text.push((x, 842.0 - y, text.to_string()));
        self.clips
            .push(Some((clip.0, 842.0 - clip.3, clip.2, 842.0 - clip.1)));
    }
}

/// A PDF of the pages; every character gets a two-byte code of its own.
fn pdf(pages: &[Page]) -> Vec<u8> {
    let mut chars: Vec<char> = pages
        .iter()
        .flat_map(|p| p.text.iter().flat_map(|t| t.2.chars()))
        .collect();
    chars.sort_unstable();
    chars.dedup();
    let code = |c: char| chars.iter().position(|&k| k == c).unwrap() as u16 + 1;
    let mut cmap = String::from("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n");
    cmap.push_str(&format!("{} beginbfchar\n", chars.len()));
    for &c in &chars {
        let mut units = [0u16; 2];
        let hex: String = c
            .encode_utf16(&mut units)
            .iter()
            .map(|u| format!("{u:04X}"))
            .collect();
        cmap.push_str(&format!("<{:04X}> <{hex}>\n", code(c)));
    }
    cmap.push_str("endbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end\n");
    let mut doc = Document::with_version("1.5");
    let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
    let cid_font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "Test",
        "CIDSystemInfo" => dictionary! { "Registry" => Object::string_literal("Adobe"), "Ordering" => Object::string_literal("Identity"), "Supplement" => 0 },
        "DW" => 1000,
    });
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "Test", "Encoding" => "Identity-H",
        "DescendantFonts" => vec![cid_font.into()], "ToUnicode" => to_unicode,
    });
    let pages_id = doc.new_object_id();
    let mut kids = Vec::new();
    for page in pages {
        let mut ops = vec![Operation::new("w", vec![0.5.into()])];
        for &(x0, y0, x1, y1) in &page.lines {
            ops.push(Operation::new("m", vec![x0.into(), y0.into()]));
            ops.push(Operation::new("l", vec![x1.into(), y1.into()]));
            ops.push(Operation::new("S", vec![]));
        }
        for ((x, y, text), clip) in page.text.iter().zip(&page.clips) {
            let bytes: Vec<u8> = text.chars().flat_map(|c| code(c).to_be_bytes()).collect();
            if let Some((x0, y0, x1, y1)) = *clip {
                ops.push(Operation::new("q", vec![]));
                let rect = vec![x0.into(), y0.into(), (x1 - x0).into(), (y1 - y0).into()];
                ops.push(Operation::new("re", rect));
                ops.push(Operation::new("W", vec![]));
                ops.push(Operation::new("n", vec![]));
            }
            ops.push(Operation::new("BT", vec![]));
            ops.push(Operation::new("Tf", vec!["F1".into(), 10.into()]));
            ops.push(Operation::new("Td", vec![(*x).into(), (*y).into()]));
            ops.push(Operation::new(
                "Tj",
                vec![Object::String(bytes, lopdf::StringFormat::Hexadecimal)],
            ));
            ops.push(Operation::new("ET", vec![]));
            if clip.is_some() {
                ops.push(Operation::new("Q", vec![]));
            }
        }
        let content = doc.add_object(Stream::new(
            dictionary! {},
            Content { operations: ops }.encode().unwrap(),
        ));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => content,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        })));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A page of prose above the table, so that the PDF has a text layer to speak of.
fn prose(page: &mut Page) {
    page.put(60.0, 60.0, "某县人民政府二〇二三年政府信息公开工作年度报告");
}

fn text_of(doc: &nianbao_ingest::Document, grid: usize, row: usize, col: usize) -> String {
    doc.grids[grid]
        .covering(row, col)
        .map(|c| c.text.clone())
        .unwrap_or_default()
}

#[test]
fn a_ruled_grid_with_a_merged_header_a_wrapped_label_and_a_blank_cell() {
    let mut page = Page::default();
    prose(&mut page);
    let xs = [60.0, 160.0, 220.0, 280.0];
    let ys = [100.0, 120.0, 140.0, 175.0];
    page.grid(&xs, &ys);
    // The header's middle line is not drawn: 本年 spans two columns.
    page.lines
        .retain(|l| !(l.0 == 220.0 && l.1 == 842.0 - 100.0));
    page.lines
        .push((220.0, 842.0 - 120.0, 220.0, 842.0 - 175.0));
    page.put(65.0, 115.0, "信息内容");
    page.put(170.0, 115.0, "本年");
    page.put(65.0, 135.0, "规章");
    page.put(170.0, 135.0, "7");
    // 行政规范性文件 wrapped over two lines in its cell; 废止 left blank.
    page.put(65.0, 155.0, "行政规范");
    page.put(65.0, 168.0, "性文件");
    page.put(230.0, 162.0, "12");
    let doc = from_bytes("t.pdf", &pdf(&[page])).unwrap();
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert_eq!(g.source, GridSource::PdfRuled);
    assert_eq!((g.n_rows, g.n_cols), (3, 3));
    let header = g.covering(0, 1).unwrap();
    assert_eq!((header.text.as_str(), header.cols), ("本年", 2));
    assert_eq!(text_of(&doc, 0, 2, 0), "行政规范性文件");
    assert_eq!(text_of(&doc, 0, 2, 1), "");
    assert_eq!(text_of(&doc, 0, 2, 2), "12");
    let twelve = g.covering(2, 2).unwrap();
    assert_eq!(&doc.text[twelve.start..twelve.end], "12");
}

#[test]
fn a_table_over_two_pages_is_one_table_without_its_repeated_header() {
    let xs = [60.0, 200.0, 260.0];
    let mut first = Page::default();
    prose(&mut first);
    first.grid(&xs, &[700.0, 720.0, 740.0, 760.0]);
    first.put(65.0, 715.0, "项目");
    first.put(210.0, 715.0, "数量");
    first.put(65.0, 735.0, "甲");
    first.put(210.0, 735.0, "1");
    first.put(65.0, 755.0, "乙");
    first.put(210.0, 755.0, "2");
    first.put(290.0, 800.0, "- 1 -");
    let mut second = Page::default();
    second.grid(&xs, &[60.0, 80.0, 100.0]);
    second.put(65.0, 75.0, "项目");
    second.put(210.0, 75.0, "数量");
    second.put(65.0, 95.0, "丙");
    second.put(210.0, 95.0, "3");
    second.put(60.0, 130.0, "正文继续，全年共收到申请六件，均已依法办结。");
    let doc = from_bytes("t.pdf", &pdf(&[first, second])).unwrap();
    assert_eq!(doc.grids.len(), 1);
    let g = &doc.grids[0];
    assert_eq!(g.n_rows, 4);
    assert_eq!(text_of(&doc, 0, 3, 0), "丙");
    assert_eq!(text_of(&doc, 0, 3, 1), "3");
    assert_eq!(g.covering(3, 1).unwrap().bbox.unwrap().page, 2);
}

#[test]
fn text_a_clip_hides_is_not_read() {
    // The header cell's label runs on past its border; LibreOffice clips it there, and
    // the hidden rest must not become the label of the body cell under it.
    let mut page = Page::default();
    prose(&mut page);
    page.grid(&[60.0, 200.0, 260.0], &[100.0, 120.0, 140.0]);
    let header = (60.0, 100.0, 200.0, 120.0);
    page.put_clipped(65.0, 115.0, "本列数据的勾稽关系", header);
    page.put_clipped(65.0, 135.0, "为第一项加第二项", header);
    page.put(210.0, 115.0, "数量");
    page.put(65.0, 135.0, "规章");
    page.put(210.0, 135.0, "3");
    let doc = from_bytes("t.pdf", &pdf(&[page])).unwrap();
    assert_eq!(text_of(&doc, 0, 0, 0), "本列数据的勾稽关系");
    assert_eq!(text_of(&doc, 0, 1, 0), "规章");
    assert_eq!(text_of(&doc, 0, 1, 1), "3");
}

#[test]
fn the_rest_of_a_label_a_page_break_carried_over_ends_the_last_row() {
    // The last row's label wraps past the page's foot: its values stay on the first page,
    // and the next page opens with one ruled row holding only the label's rest.
    let xs = [60.0, 200.0, 260.0, 320.0];
    let mut first = Page::default();
    prose(&mut first);
    first.grid(&xs, &[700.0, 720.0, 760.0]);
    first.put(65.0, 715.0, "项目");
    first.put(210.0, 715.0, "数量");
    first.put(270.0, 715.0, "总计");
    first.put(65.0, 755.0, "四、结转下年");
    first.put(210.0, 745.0, "2");
    first.put(270.0, 745.0, "2");
    let mut second = Page::default();
    second.grid(&xs, &[60.0, 80.0]);
    second.put(65.0, 75.0, "度继续办理");
    second.put(60.0, 130.0, "四、政府信息公开行政复议、行政诉讼情况");
    let doc = from_bytes("t.pdf", &pdf(&[first, second])).unwrap();
    assert_eq!(doc.grids.len(), 1);
    assert_eq!(text_of(&doc, 0, 1, 0), "四、结转下年度继续办理");
    assert_eq!(text_of(&doc, 0, 1, 1), "2");
}

/// A 表三-like table whose last row on the first page is `last` (label, then two values),
/// the second page opening with the row `opening`, then a row of its own.
fn cut_over_a_page(last: [&str; 3], opening: [&str; 3]) -> nianbao_ingest::Document {
    // Glyphs are 10 points wide: a label of nine fills its 100-point cell, two digits
    // their 40-point one, with the 5 points the header's text keeps from its sides.
    let xs = [60.0, 160.0, 200.0, 240.0];
    let put_row = |page: &mut Page, y: f64, row: [&str; 3]| {
        for (x, text) in [65.0, 165.0, 205.0].into_iter().zip(row) {
            page.put(x, y, text);
        }
    };
    let mut first = Page::default();
    prose(&mut first);
    first.grid(&xs, &[700.0, 720.0, 740.0]);
    put_row(&mut first, 715.0, ["项目", "自然人", "总计"]);
    put_row(&mut first, 735.0, last);
    let mut second = Page::default();
    second.grid(&xs, &[60.0, 80.0, 100.0]);
    put_row(&mut second, 75.0, opening);
    put_row(&mut second, 95.0, ["2.没有现成信息", "47", "48"]);
    second.put(60.0, 130.0, "四、政府信息公开行政复议、行政诉讼情况");
    from_bytes("t.pdf", &pdf(&[first, second])).unwrap()
}

#[test]
fn a_row_a_page_break_cut_through_its_label_and_its_numbers_is_one_row() {
    // "1.本机关不掌握相关政府信息" and 484 / 513 wrapped in their cells; the page break fell
    // between their lines.
    let doc = cut_over_a_page(["1.本机关不掌握相", "48", "51"], ["关政府信息", "4", "3"]);
    assert_eq!(doc.grids.len(), 1);
    assert_eq!(text_of(&doc, 0, 1, 0), "1.本机关不掌握相关政府信息");
    assert_eq!(text_of(&doc, 0, 1, 1), "484");
    assert_eq!(text_of(&doc, 0, 1, 2), "513");
    assert_eq!(text_of(&doc, 0, 2, 0), "2.没有现成信息");
    assert_eq!(doc.grids[0].n_rows, 3);
    // A row of its own opening the page, its label unnumbered and a cell blank: the last
    // row's label ("行政处罚", short in its cell) did not wrap, so nothing goes on.
    let doc = cut_over_a_page(["行政处罚", "15", "15"], ["行政强制", "4", ""]);
    assert_eq!(text_of(&doc, 0, 1, 0), "行政处罚");
    assert_eq!(text_of(&doc, 0, 1, 1), "15");
    assert_eq!(text_of(&doc, 0, 2, 0), "行政强制");
    assert_eq!(text_of(&doc, 0, 2, 1), "4");
    assert_eq!(doc.grids[0].n_rows, 4);
}

#[test]
fn a_table_without_lines_by_its_columns_of_text() {
    let mut page = Page::default();
    prose(&mut page);
    page.put(60.0, 100.0, "信息内容");
    page.put(200.0, 100.0, "制发");
    page.put(260.0, 100.0, "废止");
    page.put(320.0, 100.0, "有效");
    page.put(60.0, 115.0, "规章");
    page.put(200.0, 115.0, "0");
    page.put(260.0, 115.0, "1");
    page.put(320.0, 115.0, "2");
    page.put(60.0, 130.0, "行政规范性文件");
    page.put(200.0, 130.0, "8");
    page.put(320.0, 130.0, "7");
    let doc = from_bytes("t.pdf", &pdf(&[page])).unwrap();
    let g = doc
        .grids
        .iter()
        .position(|g| g.source == GridSource::PdfAligned)
        .unwrap();
    assert_eq!(text_of(&doc, g, 2, 0), "行政规范性文件");
    assert_eq!(text_of(&doc, g, 2, 1), "8");
    assert_eq!(text_of(&doc, g, 2, 2), "");
    assert_eq!(text_of(&doc, g, 2, 3), "7");
    assert_eq!(text_of(&doc, g, 0, 2), "废止");
}
