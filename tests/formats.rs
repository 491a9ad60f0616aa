//! Every input format on real or realistic files, and broken files of each format: a clear
//! error for that file while the rest of the batch completes.

use serde_json::Value;
use suite::{finding_rules, nianbao, shared_dir, temp_dir};

fn corpus(name: &str) -> String {
    shared_dir().join("corpus").join(name).display().to_string()
}

#[test]
fn pdf_text_layer_is_read_into_tables() {
    let json = nianbao(&["extract", &corpus("003_hongze_2023.pdf")]).json();
    let r = &json["reports"][0];
    assert_eq!(r["organ"], "洪泽区人民政府");
    assert_eq!(r["era"], "2021");
    assert_eq!(r["cells"]["t3.new.total"], 21);
    assert_eq!(r["cells"]["t3.unable.not_held.natural"], 10);
    assert_eq!(r["cells"]["t4.suit_after.upheld"], 5);
}

#[test]
fn a_scanned_pdf_is_a_finding_never_zeros() {
    let scan = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scanned.pdf");
    let json = nianbao(&["audit", scan, "--format", "json"]).json();
    let r = &json["reports"][0];
    let findings = r["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0]["rule"], "FILE.NO_TEXT");
    assert_eq!(findings[0]["family"], "missing_table");
    let extract = nianbao(&["extract", scan]).json();
    assert!(extract["reports"][0]["cells"]
        .as_object()
        .unwrap()
        .is_empty());
}

/// A scan of the corpus's Hongze report: its pages as pictures only, black and white at
/// 300 dpi, as the layout lab makes its scans. `None` where OCR's programs (tesseract,
/// pdftoppm) are not installed, unless they are required (CI installs them).
fn scanned_hongze() -> Option<std::path::PathBuf> {
    use nianbao_lab::family::scan;
    let pdftoppm = scan::pdftoppm().filter(|_| nianbao_ingest::ocr::tools().is_ok());
    let Some(pdftoppm) = pdftoppm else {
        let required = std::env::var_os("NIANBAO_LAB_REQUIRE_CONVERTERS").is_some();
        assert!(
            !required,
            "OCR's programs (tesseract, pdftoppm) are required here"
        );
        eprintln!("skipped: tesseract or pdftoppm is not installed");
        return None;
    };
    let file = temp_dir("scan").join("hongze-scan.pdf");
    std::fs::copy(corpus("003_hongze_2023.pdf"), &file).unwrap();
    let cases = [(file.clone(), nianbao_lab::Layout::ScanMono)];
    scan::scan_all(&pdftoppm, &cases).expect("the scan is made");
    Some(file)
}

#[test]
fn a_scanned_pdf_is_read_by_ocr_when_asked() {
    let Some(scan) = scanned_hongze() else {
        return;
    };
    let scan = scan.display().to_string();
    let rules = |json: &Value| finding_rules(&json["reports"][0]);
    let without = nianbao(&["audit", &scan, "--format", "json"]).json();
    assert_eq!(rules(&without), ["FILE.NO_TEXT"]);
    let json = nianbao(&["extract", "--ocr", &scan]).json();
    let r = &json["reports"][0];
    assert_eq!(r["ocr_layer"], true);
    // The title's bold 洪 is read as 潜 at times: a name OCR may misread (the cells the
    // form's arithmetic checks, a name nothing checks).
    let organ = r["organ"].as_str().unwrap_or_default();
    assert!(organ.ends_with("泽区人民政府"), "{organ}");
    assert_eq!(r["era"], "2021");
    assert_eq!(r["cells"]["t3.new.total"], 21);
    assert_eq!(r["cells"]["t3.unable.not_held.natural"], 10);
    assert_eq!(r["cells"]["t2.fee.amount"], 7730.28);
    // The report's 表四 does not add up; read by OCR, that may be the recognition's
    // doing (or a header OCR misread): the error asks for review and says which figure
    // would mend it.
    let audit = nianbao(&["audit", "--ocr", &scan, "--format", "json"]).json();
    let findings = audit["reports"][0]["findings"].as_array().unwrap().clone();
    let sums: Vec<&Value> = findings.iter().filter(|f| f["rule"] == "T4.SUM").collect();
    assert!(!sums.is_empty(), "{findings:?}");
    for sum in sums {
        assert_eq!(sum["fault"], "reading", "{sum}");
        assert!(
            sum["fault_reason"].as_str().unwrap().contains("若为"),
            "{sum}"
        );
    }
}

/// The audit JSON's report of one file.
fn audit_file(file: &std::path::Path) -> Value {
    let file = file.display().to_string();
    nianbao(&["audit", &file, "--format", "json"]).json()["reports"][0].clone()
}

/// The audit JSON's report of a web page written as `name` in `dir`.
fn audit_page(dir: &std::path::Path, name: &str, html: &str) -> Value {
    let file = dir.join(name);
    std::fs::write(&file, html).unwrap();
    audit_file(&file)
}

/// `pdf` with every text object drawn invisible (rendering mode 3), as OCR software lays
/// its recognised text over a scan's page images.
fn with_text_hidden(pdf: &str, out: &std::path::Path) {
    use lopdf::content::{Content, Operation};
    let mut doc = lopdf::Document::load(pdf).expect("a PDF");
    for (_, page) in doc.get_pages() {
        let data = doc.get_page_content(page).expect("its content");
        let mut content = Content::decode(&data).expect("its operations");
        let mut operations = Vec::new();
        for op in content.operations {
            let begins_text = op.operator == "BT";
            operations.push(op);
            if begins_text {
                operations.push(Operation::new("Tr", vec![3.into()]));
            }
        }
        content.operations = operations;
        let encoded = content.encode().expect("encoded");
        doc.change_page_content(page, encoded).expect("replaced");
    }
    doc.save(out).expect("saved");
}

#[test]
fn a_pdfs_ocr_layer_is_read_but_accuses_no_one() {
    let dir = temp_dir("ocr-layer");
    let typed = corpus("003_hongze_2023.pdf");
    let hidden = dir.join("003_hongze_2023.pdf");
    with_text_hidden(&typed, &hidden);
    let audit = |file: &str| audit_file(std::path::Path::new(file));
    let accusing = |r: &Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["fault"] == "report" && f["severity"] != "info")
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    // Typed, its 表四 does not add up: the report's errors.
    let typed = audit(&typed);
    assert!(accusing(&typed).contains(&"T4.SUM".to_string()), "{typed}");
    assert!(typed["score"].as_f64().is_some());

    // The same text as an OCR layer: read the same, told, accusing no one, not scored.
    let ocr = audit(&hidden.display().to_string());
    assert_eq!(ocr["organ"], "洪泽区人民政府");
    assert_eq!(accusing(&ocr), ["FILE.OCR_TEXT"], "{ocr}");
    let reviews = |r: &Value, rule: &str| {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule && f["fault"] == "reading")
            .count()
    };
    assert_eq!(reviews(&ocr, "T4.SUM"), 2, "{ocr}");
    assert_eq!(ocr["score"], Value::Null);
    assert!(ocr["unscored"].as_str().unwrap().contains("OCR"), "{ocr}");
    let extract = nianbao(&["extract", &hidden.display().to_string()]).json();
    let cells = &extract["reports"][0]["cells"];
    assert_eq!(cells["t3.new.total"], 21);
    assert_eq!(extract["reports"][0]["ocr_layer"], true);
}

/// A report whose three tables are printed as pictures (a CMS page of screenshots): the
/// tables are not read, and their absence accuses no one; the same page without the images
/// lacks its tables.
#[test]
fn tables_printed_as_pictures_are_not_called_missing() {
    let dir = temp_dir("pictures");
    let page = |picture: &str| {
        let parts = [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ];
        let mut html = String::from(
            "<html><body><h1>某县人民政府2021年政府信息公开工作年度报告</h1>\
             <p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>",
        );
        for (k, part) in parts.iter().enumerate() {
            html.push_str(&format!("<p>{part}</p><p>本部分情况如下。</p>"));
            if (1..=3).contains(&k) {
                html.push_str(picture);
            }
        }
        html + "</body></html>"
    };
    let findings = |name: &str, picture: &str| -> Vec<(String, String)> {
        audit_page(&dir, name, &page(picture))["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "TABLE.REQUIRED")
            .map(|f| (f["message"].to_string(), f["fault"].to_string()))
            .collect()
    };
    let pictured = findings("pictures.html", r#"<p><img src="/uploads/t.png"></p>"#);
    assert_eq!(pictured.len(), 3, "{pictured:?}");
    assert!(
        pictured.iter().all(|(_, fault)| fault == "\"reading\""),
        "{pictured:?}"
    );
    let bare = findings("bare.html", "");
    assert_eq!(bare.len(), 3, "{bare:?}");
    assert!(
        bare.iter().all(|(_, fault)| fault == "\"report\""),
        "{bare:?}"
    );
}

/// A site's page that publishes the report as its pages' images: nothing to read, like a
/// scan, and no part called missing; the same page without the images is no report.
#[test]
fn a_report_published_as_page_images_is_a_scan_not_a_report_missing_its_parts() {
    let dir = temp_dir("page-images");
    let page = |images: &str| {
        format!(
            "<html><head><title>某县人民政府2021年政府信息公开工作年度报告</title></head><body>\
             <div>首页 > 政府信息公开 > 年度报告</div>\
             <h1>某县人民政府2021年政府信息公开工作年度报告</h1>\
             <div>发布日期：2022-01-20 来源：县政府办公室</div><div>{images}</div></body></html>"
        )
    };
    let audit = |name: &str, images: &str| audit_page(&dir, name, &page(images));
    let images: String = (1..=4)
        .map(|n| format!("<p><img src=\"/uploads/p{n}.jpg\"></p>"))
        .collect();
    let pictured = audit("images.html", &images);
    assert_eq!(finding_rules(&pictured), ["FILE.NO_TEXT"], "{pictured}");
    assert_eq!(pictured["organ"], "某县人民政府");
    assert!(pictured["unscored"].as_str().unwrap().contains("图片"));
    let bare = audit("bare.html", "");
    assert!(
        finding_rules(&bare).contains(&"SEC.REQUIRED".to_string()),
        "{bare}"
    );
}

/// A site's page that gives the report only as an attached PDF: told to audit the
/// attachment, no part called missing, not scored; without the link it lacks its parts.
#[test]
fn a_page_that_only_links_to_its_report_is_told_to_audit_the_attachment() {
    let dir = temp_dir("attachment");
    let audit = |name: &str, link: &str| {
        let page = format!(
            "<html><body><h1>某县人民政府2021年政府信息公开工作年度报告</h1>\
             <div>发布日期：2022-01-20</div><p>附件：{link}</p></body></html>"
        );
        audit_page(&dir, name, &page)
    };
    let linked = audit(
        "linked.html",
        r#"<a href="/uploads/P0201.pdf">年度报告.pdf</a>"#,
    );
    assert_eq!(finding_rules(&linked), ["FILE.ATTACHMENT"], "{linked}");
    assert!(linked["unscored"].as_str().unwrap().contains("P0201.pdf"));
    let bare = audit("bare.html", "年度报告");
    assert!(
        finding_rules(&bare).contains(&"SEC.REQUIRED".to_string()),
        "{bare}"
    );
}

#[test]
fn broken_files_of_each_format_fail_alone() {
    let dir = temp_dir("broken-formats");
    let pdf = std::fs::read(corpus("003_hongze_2023.pdf")).unwrap();
    std::fs::write(dir.join("truncated.pdf"), &pdf[..pdf.len() / 2]).unwrap();
    std::fs::write(dir.join("garbage.pdf"), b"%PDF-1.7\n\x00\x01 not really").unwrap();
    std::fs::write(dir.join("binary.html"), [0u8, 1, 2, 3, 0, 255, 0, 9]).unwrap();
    let html = std::fs::read_to_string(corpus("009_shuyang-fgj_2023.html")).unwrap();
    std::fs::write(dir.join("cut.html"), &html[..html.find("四、").unwrap()]).unwrap();
    std::fs::write(dir.join("not-a-docx.docx"), b"PK\x03\x04 broken zip").unwrap();
    std::fs::write(dir.join("not-an-ofd.ofd"), b"PK\x03\x04 broken zip").unwrap();
    std::fs::copy(corpus("030_pingtan_2019.txt"), dir.join("good.txt")).unwrap();
    let run = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]);
    let json = run.json();
    assert_eq!(json["reports"].as_array().unwrap().len(), 7);
    for bad in [
        "truncated.pdf",
        "garbage.pdf",
        "binary.html",
        "not-a-docx.docx",
        "not-an-ofd.ofd",
    ] {
        let r = suite::report_in(&json, bad);
        let error = r["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{bad}: no error: {r}"));
        assert!(!error.is_empty(), "{bad}");
    }
    assert!(suite::report_in(&json, "truncated.pdf")["error"]
        .as_str()
        .unwrap()
        .contains("PDF"));
    assert!(suite::report_in(&json, "not-an-ofd.ofd")["error"]
        .as_str()
        .unwrap()
        .contains("not a readable OFD"));
    // A page cut short is still read as far as it goes.
    assert_eq!(
        suite::report_in(&json, "cut.html")["organ"],
        "沭阳县发展和改革局"
    );
    assert_eq!(suite::report_in(&json, "good.txt")["year"], 2019);
}

#[test]
fn markdown_pipe_tables_are_read() {
    let json = nianbao(&["extract", &corpus("008_shanghai-bgt_2025.md")]).json();
    let r = &json["reports"][0];
    assert_eq!(r["organ"], "上海市人民政府办公厅");
    assert_eq!(r["cells"]["t3.new.total"], 1295);
    assert_eq!(r["cells"]["t4.suit_after.total"], 22);
    // Rows whose labels the conversion displaced are placed by order between labelled ones.
    assert_eq!(r["cells"]["t3.other.no_correction.total"], 43);
    // The two-line cells 22（其中修订16件） and 55（含自然失效29件） were lifted above 表二:
    // each goes back to the row printed short, in the column its note names.
    assert_eq!(r["cells"]["t2.rules.made"], 22);
    assert_eq!(r["cells"]["t2.rules.repealed"], 22);
    assert_eq!(r["cells"]["t2.rules.in_force"], 235);
    assert_eq!(r["cells"]["t2.normative.made"], 34);
    assert_eq!(r["cells"]["t2.normative.repealed"], 55);
    assert_eq!(r["cells"]["t2.normative.in_force"], 189);
}

/// Asserts that `file` reads as the seed text it was made from: organ, year, era, parts,
/// cells, and the findings (rule and cells); the findings it gives.
fn assert_reads_like(file: &str, seed: &str) -> Vec<(Value, Value)> {
    let from_file = nianbao(&["extract", file]).json();
    let from_text = nianbao(&["extract", seed]).json();
    for field in ["organ", "year", "era", "sections", "cells"] {
        assert_eq!(
            from_file["reports"][0][field], from_text["reports"][0][field],
            "{file}: {field}"
        );
    }
    let findings = |path: &str| -> Vec<(Value, Value)> {
        let json = nianbao(&["audit", path, "--format", "json"]).json();
        let mut found: Vec<(Value, Value)> = json["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["rule"].clone(), f["cells"].clone()))
            .collect();
        found.sort_by_key(|(rule, cells)| format!("{rule}{cells}"));
        found
    };
    let found = findings(file);
    assert_eq!(found, findings(seed), "{file}: findings");
    found
}

/// The seeds written as real .docx by tests/fixtures/make_docx.py (tables with vMerge and
/// gridSpan) give the same cells and the same findings as the text originals.
#[test]
fn docx_reads_like_the_text_it_was_made_from() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    for (docx, seed) in [
        ("seed000.docx", "000_3a5e30b285f87727.txt"),
        ("seed003.docx", "003_0eb612e351c75c5e.txt"),
        ("seed004.docx", "004_1ad31af01008103e.txt"),
    ] {
        assert_reads_like(&format!("{fixtures}/{docx}"), &suite::seed(seed));
    }
}

/// An OFD (GB/T 33190) of seed 003 as the layout lab writes it (`nianbao-lab run --family
/// ofd --variants 1 --keep DIR`: LibreOffice's PDF of the lab's DOCX written as an OFD by
/// crates/lab/tools/pdf2ofd.py, ruling as filled rectangles, a template page, 表三 over a
/// page break) gives the cells, parts and findings of the seed's text.
#[test]
fn ofd_reads_like_the_text_it_was_made_from() {
    let ofd = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/lab003.ofd");
    let found = assert_reads_like(ofd, &suite::seed("003_0eb612e351c75c5e.txt"));
    assert!(
        found.iter().any(|(rule, _)| rule == "T3.BALANCE"),
        "{found:?}"
    );
}

/// 表三 rows whose blank cells sit in the middle and at the end, as a CMS page and as a
/// Word file write them: each value stays in its column.
#[test]
fn blank_cells_in_the_middle_and_at_the_end_stay_in_their_columns() {
    let header = [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        "申请人情况",
    ];
    let row_new = [
        "一、本年新收政府信息公开申请数量",
        "3",
        "",
        "",
        "1",
        "4",
        "",
        "8",
    ];
    let row_carried = [
        "二、上年结转政府信息公开申请数量",
        "2",
        "0",
        "0",
        "0",
        "0",
        "0",
        "",
    ];
    let leaves = [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ];
    let td = |t: &str| format!("<td>{}</td>", if t.is_empty() { "&nbsp;" } else { t });
    let html = format!(
        "<html><body><p>某县人民政府2023年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p><table>\
         <tr><td rowspan=3 colspan=3>{}</td><td colspan=7>{}</td></tr>\
         <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr><tr>{}</tr>\
         <tr><td colspan=3>{}</td>{}</tr><tr><td colspan=3>{}</td>{}</tr></table></body></html>",
        header[0],
        header[1],
        leaves.iter().map(|l| td(l)).collect::<String>(),
        row_new[0],
        row_new[1..].iter().map(|v| td(v)).collect::<String>(),
        row_carried[0],
        row_carried[1..].iter().map(|v| td(v)).collect::<String>(),
    );
    let cell = |v: &str, attrs: &str| {
        format!("<w:tc><w:tcPr>{attrs}</w:tcPr><w:p><w:r><w:t>{v}</w:t></w:r></w:p></w:tc>")
    };
    let data_row = |cells: &[&str]| {
        let mut row = cell(cells[0], "<w:gridSpan w:val=\"3\"/>");
        row.extend(cells[1..].iter().map(|v| cell(v, "")));
        format!("<w:tr>{row}</w:tr>")
    };
    let xml = format!(
        "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>某县人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p>\
         <w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}{}</w:tr><w:tr>{}{}{}{}</w:tr>{}{}</w:tbl></w:body></w:document>",
        cell(header[0], "<w:gridSpan w:val=\"3\"/><w:vMerge w:val=\"restart\"/>"),
        cell(header[1], "<w:gridSpan w:val=\"7\"/>"),
        cell("", "<w:gridSpan w:val=\"3\"/><w:vMerge/>"),
        cell("自然人", "<w:vMerge w:val=\"restart\"/>"),
        cell("法人或其他组织", "<w:gridSpan w:val=\"5\"/>"),
        cell("总计", "<w:vMerge w:val=\"restart\"/>"),
        cell("", "<w:gridSpan w:val=\"3\"/><w:vMerge/>"),
        cell("", "<w:vMerge/>"),
        leaves.iter().map(|l| cell(l, "")).collect::<String>(),
        cell("", "<w:vMerge/>"),
        data_row(&row_new),
        data_row(&row_carried),
    );
    let dir = temp_dir("blanks");
    let html_path = dir.join("blanks.html");
    std::fs::write(&html_path, html).unwrap();
    let docx_path = dir.join("blanks.docx");
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file(
            "word/document.xml",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(xml.as_bytes()).unwrap();
        zip.finish().unwrap();
    }
    std::fs::write(&docx_path, buf.into_inner()).unwrap();
    for path in [&html_path, &docx_path] {
        let run = nianbao(&["extract", &path.to_string_lossy(), "--format", "json"]);
        let cells = &run.json()["reports"][0]["cells"];
        let expect = [
            ("t3.new.natural", Value::from(3)),
            ("t3.new.commercial", Value::Null),
            ("t3.new.research", Value::Null),
            ("t3.new.social", Value::from(1)),
            ("t3.new.legal", Value::from(4)),
            ("t3.new.other_org", Value::Null),
            ("t3.new.total", Value::from(8)),
            ("t3.carried.natural", Value::from(2)),
            ("t3.carried.other_org", Value::from(0)),
            ("t3.carried.total", Value::Null),
        ];
        for (key, value) in expect {
            assert_eq!(cells[key], value, "{}: {key}", path.display());
        }
    }
}
