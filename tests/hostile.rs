//! Hostile inputs: one batch of files built to break a parser (random bytes, NULs, truncated
//! PDF, zip bomb, deeply nested HTML, a 50 MB text, a 10 MB line, numbers that overflow, odd
//! digits, mixed line endings…). Every file gets a report row, an error names the reason,
//! nothing panics, and the good report in the same batch is still audited.

use std::io::Write;
use std::path::{Path, PathBuf};
use suite::{nianbao, seeds_dir, shared_dir, temp_dir};

/// Deterministic "random" bytes (a linear congruential generator; no dependency needed).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 56) as u8
        })
        .collect()
}

fn seed_text() -> String {
    std::fs::read_to_string(seeds_dir().join("001_cbbc4f743fd32469.txt")).unwrap()
}

fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

/// A PDF of the objects (numbered from 1, the first the catalog) with its cross-reference
/// table, written by hand.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        pdf.extend(object);
        pdf.extend(b"\nendobj\n");
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

/// A one-page PDF: the catalog, the page tree, `page` (object 3), then `more` (from 4).
fn one_page_pdf(page: &[u8], more: impl IntoIterator<Item = Vec<u8>>) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        page.to_vec(),
    ];
    objects.extend(more);
    pdf_of(&objects)
}

/// An uncompressed stream object of `content`.
fn stream(content: &[u8]) -> Vec<u8> {
    [
        format!("<< /Length {} >>\nstream\n", content.len()).as_bytes(),
        content,
        b"\nendstream",
    ]
    .concat()
}

/// A one-page PDF, its page's resources dictionary and content stream as given.
fn pdf_with(resources: &[u8], content: &[u8]) -> Vec<u8> {
    let page = [
        &b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "[..],
        resources,
        b" >>",
    ]
    .concat();
    one_page_pdf(&page, [stream(content)])
}

/// A one-page PDF whose page's chain of `/Parent` nodes is `length` long.
fn long_parents_pdf(length: usize) -> Vec<u8> {
    let page = b"<< /Type /Page /Parent 5 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>";
    let parents = (0..length).map(|i| match i + 1 < length {
        true => format!("<< /Parent {} 0 R >>", i + 6).into_bytes(),
        false => b"<< >>".to_vec(),
    });
    one_page_pdf(page, std::iter::once(stream(b"q Q")).chain(parents))
}

/// A one-page PDF and `length` streams, each one's `/Length` the next (the last a number).
fn chained_lengths_pdf(length: usize) -> Vec<u8> {
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>";
    let streams = (0..length).map(|i| match i + 1 < length {
        true => format!("<< /Length {} 0 R >>\nstream\nq Q\nendstream", i + 5).into_bytes(),
        false => b"3".to_vec(),
    });
    one_page_pdf(page, streams)
}

/// A one-page PDF whose page draws form A, which draws form B a thousand times, which
/// draws A a thousand times: drawn without end, a thousand to the power of its depth.
fn forms_drawing_each_other_pdf() -> Vec<u8> {
    let form = |other: &str| {
        let content = format!("/{other} Do ").repeat(1000);
        let other_id = if other == "A" { 5 } else { 6 };
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /{other} {other_id} 0 R >> >> /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        )
        .into_bytes()
    };
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /A 5 0 R >> >> >>";
    one_page_pdf(page, [stream(b"/A Do"), form("B"), form("A")])
}

/// The hostile files: (file name, contents, what the error must mention or None when the
/// file must be audited as a report).
fn hostile_files() -> Vec<(&'static str, Vec<u8>, Option<&'static str>)> {
    let text = seed_text();
    let pdf = std::fs::read(shared_dir().join("corpus/003_hongze_2023.pdf")).unwrap();
    let nul_text = text.replace('\n', "\0\0\n").into_bytes();

    let mut bad_utf8 = text.clone().into_bytes();
    bad_utf8.splice(200..200, [0xC3, 0x28, 0xFF, 0xFE, 0x80]);
    // 200 MB of zeros deflate to about 200 KB: a ratio of ~1000.
    let bomb = zip_with(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", &vec![b' '; 200 * 1024 * 1024]),
    ]);
    // A readable Word file holding a spreadsheet object whose workbook is a zip bomb (its
    // sheet 50 MB of blanks): the object is left unread, the report is read.
    let paragraphs: String = text
        .lines()
        .map(|l| {
            let l = l
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!("<w:p><w:r><w:t>{l}</w:t></w:r></w:p>")
        })
        .collect();
    // The report as Word 2003's XML under a .doc name (as web systems export it): read;
    // cut in its body: refused; runs nested 100,000 deep in a Word XML file named .xml.
    let word_2003 = |body: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><?mso-application progid=\"Word.Document\"?>\
             <w:wordDocument xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\">\
             <w:body>{body}</w:body></w:wordDocument>"
        )
    };
    let word_xml = word_2003(&paragraphs);
    let cut_word_xml = word_xml.as_bytes()[..word_xml.len() / 2].to_vec();
    let deep_runs = word_2003(&format!(
        "<w:p>{}{}{}</w:p>",
        "<w:r>".repeat(100_000),
        "<w:b/>".repeat(100_000),
        "</w:r>".repeat(100_000)
    ));
    // A readable Word file whose body also holds a web page nested too deep to read, as a
    // chunk of another format: the chunk is left out, the report is read.
    let chunk_rels =
        "<Relationships><Relationship Id=\"c1\" Target=\"afchunk.htm\"/></Relationships>";
    let deep_chunk = format!("<html><body>{}</body></html>", "<div>".repeat(100_000));
    let deep_chunk_docx = zip_with(&[
        (
            "word/document.xml",
            format!(
                "<w:document><w:body>{paragraphs}<w:altChunk r:id=\"c1\"/></w:body></w:document>"
            )
            .as_bytes(),
        ),
        ("word/_rels/document.xml.rels", chunk_rels.as_bytes()),
        ("word/afchunk.htm", deep_chunk.as_bytes()),
    ]);
    let object = "<w:p><w:r><w:object><v:shape><v:imagedata r:id=\"rId2\"/></v:shape>\
        <o:OLEObject ProgID=\"Excel.Sheet.12\" r:id=\"rId1\"/></w:object></w:r></w:p>";
    let document = format!("<w:document><w:body>{paragraphs}{object}</w:body></w:document>");
    let workbook_bomb = zip_with(&[
        ("xl/workbook.xml", b"<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>"),
        (
            "xl/_rels/workbook.xml.rels",
            b"<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>",
        ),
        ("xl/worksheets/sheet1.xml", &vec![b' '; 50 * 1024 * 1024]),
    ]);
    let embedded_bomb = zip_with(&[
        ("word/document.xml", document.as_bytes()),
        (
            "word/_rels/document.xml.rels",
            b"<Relationships><Relationship Id=\"rId1\" Target=\"embeddings/sheet.xlsx\"/></Relationships>",
        ),
        ("word/embeddings/sheet.xlsx", &workbook_bomb),
    ]);
    // An OFD whose one page's content expands from about 200 KB to 200 MB, and one that
    // lists 100,000 pages.
    let ofd_root: &[u8] = b"<ofd:OFD><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>";
    let ofd_bomb = zip_with(&[
        ("OFD.xml", ofd_root),
        (
            "Doc_0/Document.xml",
            b"<ofd:Document><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"P.xml\"/></ofd:Pages></ofd:Document>",
        ),
        ("Doc_0/P.xml", &vec![b' '; 200 * 1024 * 1024]),
    ]);
    let many_pages = format!(
        "<ofd:Document><ofd:Pages>{}</ofd:Pages></ofd:Document>",
        "<ofd:Page ID=\"1\" BaseLoc=\"P.xml\"/>".repeat(100_000)
    );
    let ofd_pages = zip_with(&[
        ("OFD.xml", ofd_root),
        ("Doc_0/Document.xml", many_pages.as_bytes()),
    ]);
    let deep_html = format!(
        "<html><body>{}年报{}</body></html>",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let crlf_mixed: String = text
        .lines()
        .enumerate()
        .map(|(i, l)| format!("{l}{}", ["\r\n", "\r", "\n"][i % 3]))
        .collect();
    let overflow = text.replacen("一、总体情况", "一、总体情况\n本年共收到申请99999999999999999999999999件，主动公开-18446744073709551617条。", 1);
    let fullwidth: String = text
        .chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c),
            _ => c,
        })
        .collect();
    let exotic_digits = text.replace('2', "٢").replace('3', "𝟑");
    let invisible = text
        .replace('政', "\u{200B}政\u{202E}")
        .replace('年', "年\u{FEFF}");
    vec![
        ("random.txt", noise(100_000, 1), Some("")),
        ("random.pdf", noise(50_000, 2), Some("")),
        ("random.docx", noise(50_000, 3), Some("")),
        // An OLE compound file's signature, then noise: a Word 97 file that cannot be read.
        (
            "random.doc",
            [
                &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1][..],
                &noise(50_000, 4),
            ]
            .concat(),
            Some("Word 97-2003 文档无法读取"),
        ),
        // A single file web page (MHT) of 100,000 parts, none of them a page.
        (
            "no-page.mht",
            format!(
                "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n{}--b--\r\n",
                "--b\r\nContent-Type: image/png\r\n\r\nx\r\n".repeat(100_000)
            )
            .into_bytes(),
            Some("text/html"),
        ),
        // An archive under a .doc name whose page is damaged base64.
        (
            "archive.doc",
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n5Lit5paH\x00@@\r\n--b--\r\n".to_vec(),
            Some("base64"),
        ),
        ("nuls.txt", nul_text, Some("二进制文件")),
        ("bom-only.txt", vec![0xEF, 0xBB, 0xBF], Some("")),
        (
            "odd-utf16.txt",
            vec![0xFF, 0xFE, 0x41, 0x00, 0x42],
            Some(""),
        ),
        ("truncated.pdf", pdf[..pdf.len() / 3].to_vec(), Some("")),
        ("bomb.docx", bomb, Some("超过限制")),
        ("embedded-bomb.docx", embedded_bomb, None),
        ("deep-chunk.docx", deep_chunk_docx, None),
        ("word-2003-report.doc", word_xml.into_bytes(), None),
        ("word-2003-cut.doc", cut_word_xml, Some("Word XML")),
        ("deep-runs.xml", deep_runs.into_bytes(), Some("")),
        ("not-a-docx.docx", zip_with(&[("a.txt", b"x")]), Some("")),
        ("random.ofd", noise(50_000, 5), Some("")),
        ("bomb.ofd", ofd_bomb, Some("超过限制")),
        ("many-pages.ofd", ofd_pages, Some("超过限制")),
        ("deep.html", deep_html.into_bytes(), Some("超过限制")),
        // Arrays nested 200,000 deep in a page's content stream (lopdf's reading of it
        // overflowed the stack: the whole batch aborted).
        (
            "deep-content.pdf",
            pdf_with(
                b"<< >>",
                &[&b"q "[..], &b"[".repeat(200_000), &b"]".repeat(200_000), b" TJ Q"].concat(),
            ),
            Some(""),
        ),
        // The same in the page's resources: lopdf's reading of the file's objects overflowed.
        (
            "deep-object.pdf",
            pdf_with(
                &[&b"<< /X "[..], &b"[".repeat(200_000), &b"]".repeat(200_000), b" >>"].concat(),
                b"q Q",
            ),
            Some("超过限制"),
        ),
        // A page whose chain of parents is 100,000 long (lopdf's search of its inherited
        // resources followed it recursively).
        ("long-parents.pdf", long_parents_pdf(100_000), Some("超过限制")),
        // Streams whose lengths are the next stream, 50,000 of them (lopdf read each length
        // by reading its object, recursively).
        ("chained-lengths.pdf", chained_lengths_pdf(50_000), Some("超过限制")),
        // An /Encrypt dictionary of the newest revision whose keys are cut short.
        (
            "damaged-encryption.pdf",
            String::from_utf8_lossy(&pdf_with(b"<< >>", b"q Q"))
                .replace(
                    "/Root 1 0 R >>",
                    "/Root 1 0 R /Encrypt << /Filter /Standard /V 5 /R 6 /U (x) /UE (y) >> >>",
                )
                .into_bytes(),
            Some("damaged"),
        ),
        // Form XObjects drawing each other a thousand times each: the page's forms are drawn
        // to a depth and a number of operations, then its (empty) text is read.
        ("forms-drawing-each-other.pdf", forms_drawing_each_other_pdf(), Some("")),
        // Tables opened on every line and never closed: each must not be searched to the end.
        (
            "open-tables.md",
            "<table\n".repeat(100_000).into_bytes(),
            Some(""),
        ),
        (
            "huge.txt",
            "年报\n".repeat(50 * 1024 * 1024 / 7).into_bytes(),
            Some("超过限制"),
        ),
        // Over the 2 MiB line limit but under the 8 MiB text limit: the line limit answers.
        (
            "long-line.txt",
            vec![b'7'; 3 * 1024 * 1024],
            Some("a line of"),
        ),
        (
            "10mb-line.txt",
            vec![b'7'; 10 * 1024 * 1024],
            Some("超过限制"),
        ),
        ("bad-utf8.txt", bad_utf8, Some("")),
        (
            "unclosed.html",
            b"<html><table><tr><td>1<td><b><i>2<tr><td>3</table".to_vec(),
            Some(""),
        ),
        (
            "headings-only.txt",
            "一、总体情况\n二、主动公开政府信息情况\n"
                .repeat(20_000)
                .into_bytes(),
            Some(""),
        ),
        ("mixed-endings.txt", crlf_mixed.into_bytes(), None),
        ("overflow.txt", overflow.into_bytes(), None),
        ("fullwidth-digits.txt", fullwidth.into_bytes(), None),
        ("exotic-digits.txt", exotic_digits.into_bytes(), Some("")),
        ("invisible.txt", invisible.into_bytes(), None),
        ("good.txt", text.into_bytes(), None),
    ]
}

#[test]
fn a_batch_of_hostile_files_completes_with_an_error_or_a_report_for_each() {
    let dir = temp_dir("hostile");
    let files = hostile_files();
    for (name, bytes, _) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let run = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]);
    let json = run.json();
    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), files.len(), "{}", run.stderr);
    for (name, _, expect) in &files {
        let report = suite::report_in(&json, name);
        match expect {
            Some(needle) => {
                let error = report["error"].as_str().unwrap_or_else(|| {
                    // Some hostile files are readable text that is simply not a report.
                    assert!(needle.is_empty(), "{name} should be refused: {report}");
                    ""
                });
                assert!(error.contains(needle), "{name}: {error}");
            }
            None => {
                assert!(report["error"].is_null(), "{name}: {}", report["error"]);
                assert_eq!(report["organ"], "平阴县人民政府", "{name}: {report}");
            }
        }
    }
    assert_eq!(suite::report_in(&json, "good.txt")["year"], 2019);
    // A readable file whose year or organ could not be read is flagged, never scored silently
    // (a PDF whose pages draw no text is one without a text layer).
    for report in reports.iter().filter(|r| r["error"].is_null()) {
        if report["year"].is_null() || report["organ"].is_null() {
            let rules: Vec<&str> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|f| f["rule"].as_str())
                .collect();
            assert!(
                rules.contains(&"META.UNIDENTIFIED") || rules.contains(&"FILE.NO_TEXT"),
                "{report}"
            );
        }
    }
}

/// Inputs fuzzing found (scripts/fuzz.sh), kept as regression cases: each must audit.
#[test]
fn inputs_found_by_fuzzing_audit() {
    // 5 KB of report text whose run-together digit rows made the cell splitter build
    // millions of combinations (13 s); now bounded by its work limit.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile/fuzz-slow-split.txt");
    let run = nianbao(&["audit", path.to_str().unwrap(), "--format", "json"]);
    let report = &run.json()["reports"][0];
    assert_eq!(report["organ"], "宁陵县人民政府办公室", "{report}");
    assert_eq!(report["year"], 2021);
}

#[test]
fn hostile_input_is_never_modified() {
    let dir = temp_dir("hostile-untouched");
    let path = dir.join("deep.html");
    let bytes = format!("{}x", "<p>".repeat(100_000));
    std::fs::write(&path, &bytes).unwrap();
    let _ = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(std::fs::read(Path::new(&path)).unwrap(), bytes.as_bytes());
}

#[test]
fn limits_are_configurable_in_nianbao_toml_and_mistakes_there_are_named() {
    let dir = temp_dir("limits-config");
    let report = dir.join("report.txt");
    std::fs::write(&report, seed_text()).unwrap();
    let audit_with = |name: &str, config: &str, format: &str| {
        let path = dir.join(name);
        std::fs::write(&path, config).unwrap();
        nianbao(&[
            "audit",
            report.to_str().unwrap(),
            "--config",
            path.to_str().unwrap(),
            "--format",
            format,
        ])
    };
    // The seed's longest line is a few hundred bytes: a 0 KB line limit refuses it.
    let run = audit_with(
        "tight.toml",
        "[limits]\nline_kb = 0\nhtml_depth = 50\n",
        "json",
    );
    let row = &run.json()["reports"][0];
    let error = row["error"].as_str().unwrap_or_default();
    assert!(error.starts_with("超过限制：a line of"), "{row}");

    let run = audit_with(
        "generous.toml",
        "[limits]\nline_kb = 64\nfile_mb = 1\n",
        "json",
    );
    assert_eq!(run.json()["reports"][0]["organ"], "平阴县人民政府");

    let run = audit_with("typo.toml", "[limits]\nline_bytes = 10\n", "terminal");
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("typo.toml:2:1") && run.stderr.contains("line_bytes"),
        "{}",
        run.stderr
    );
}

#[test]
fn pdf_limits_on_pages_objects_and_time_each_refuse_with_the_reason() {
    use nianbao_ingest::{from_bytes_limited, IngestError, Limits};
    let pdf = std::fs::read(shared_dir().join("corpus/003_hongze_2023.pdf")).unwrap();
    let with = |change: &dyn Fn(&mut Limits)| {
        let mut limits = Limits::default();
        change(&mut limits);
        from_bytes_limited("hongze.pdf", &pdf, &limits)
    };
    assert!(with(&|_| {}).is_ok());
    let refused = |result: Result<_, IngestError>| match result {
        Err(IngestError::Limit(reason)) => reason,
        other => panic!("not refused by a limit: {:?}", other.map(|_| ())),
    };
    assert!(refused(with(&|l| l.pdf.max_pages = 1)).contains("pages, more than 1"));
    assert!(refused(with(&|l| l.pdf.max_objects = 10)).contains("PDF objects, more than 10"));
    assert_eq!(
        refused(with(&|l| l.pdf.max_seconds = 0)),
        "reading the PDF took over 0 s (stopped at page 1)"
    );
}

#[test]
fn every_output_format_names_a_file_that_could_not_be_read_and_why() {
    let dir = temp_dir("error-rows");
    std::fs::write(dir.join("bad.txt"), b"\x00\x01\x02 binary").unwrap();
    std::fs::write(dir.join("good.txt"), seed_text()).unwrap();
    for format in [
        "terminal", "json", "csv", "markdown", "junit", "sarif", "html",
    ] {
        let run = nianbao(&["audit", dir.to_str().unwrap(), "--format", format]);
        let line = run
            .stdout
            .lines()
            .find(|l| l.contains("bad.txt") && l.contains("二进制文件"))
            .or_else(|| {
                // Pretty JSON and SARIF put the file and the reason on separate lines.
                (run.stdout.contains("bad.txt") && run.stdout.contains("二进制文件")).then_some("")
            });
        assert!(line.is_some(), "{format}: {}", run.stdout);
        // The good report is still audited (the formats that show organs name it).
        if !["sarif", "junit"].contains(&format) {
            assert!(run.stdout.contains("平阴县人民政府"), "{format}");
        }
    }
    let csv = nianbao(&["audit", dir.to_str().unwrap(), "--format", "csv"]).stdout;
    let row = csv.lines().find(|l| l.contains("bad.txt")).unwrap();
    assert!(row.contains(",FILE.UNREADABLE,,,错误,error,"), "{row}");
}
