//! A document made again from its extraction set aside (`read_path_keeping_extraction`,
//! `from_extraction`) is the document reading the file gives, for every format that
//! extracts its text; other formats set nothing aside.

use nianbao_ingest::{from_extraction, read_path, read_path_keeping_extraction, Limits};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The same document: `Document` has no equality of its own (its lazy indexes), but its
/// debug form shows every field.
fn same(a: &nianbao_ingest::Document, b: &nianbao_ingest::Document) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

#[test]
fn a_document_made_from_its_extraction_is_the_document_read() {
    let dir = std::env::temp_dir().join(format!("nianbao-extraction-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let rtf = dir.join("r.rtf");
    std::fs::write(
        &rtf,
        "{\\rtf1\\ansi\\ansicpg936{\\fonttbl{\\f0\\fcharset134 SimSun;}}\\f0 \
         \\u25253?\\u21578?\\par\\trowd\\cellx1000\\cellx2000 a\\cell 12\\cell\\row}",
    )
    .expect("an RTF file");
    // A DOCX with a picture: its place is kept with the extraction.
    let pictured = dir.join("p.docx");
    {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&pictured).expect("a file"));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", options)
            .expect("an entry");
        let xml = r#"<w:document><w:body><w:p><w:r><w:t>二、主动公开</w:t></w:r></w:p>
            <w:p><w:r><w:drawing><a:blip r:embed="rId5"/></w:drawing></w:r></w:p>
            <w:p><w:r><w:t>三、收到和处理政府信息公开申请情况</w:t></w:r></w:p></w:body></w:document>"#;
        zip.write_all(xml.as_bytes()).expect("written");
        zip.finish().expect("finished");
    }
    assert_eq!(
        read_path(&pictured, &Limits::default())
            .expect("readable")
            .pictures
            .len(),
        1
    );
    let ocr = workspace().join("tests/fixtures/ocr-layer.pdf");
    assert!(
        read_path(&ocr, &Limits::default())
            .expect("readable")
            .ocr_layer
    );
    let files = [
        pictured,
        workspace().join("../shared/corpus/003_hongze_2023.pdf"),
        workspace().join("tests/fixtures/scanned.pdf"),
        workspace().join("tests/fixtures/ocr-layer.pdf"),
        workspace().join("tests/fixtures/seed000.docx"),
        workspace().join("tests/fixtures/lab003.ofd"),
        rtf,
    ];
    let limits = Limits::default();
    for file in &files {
        let read = read_path(file, &limits).expect("readable");
        let (kept, extraction) = read_path_keeping_extraction(file, &limits).expect("readable");
        assert!(same(&read, &kept), "{}", file.display());
        let extraction = extraction.expect("an extraction set aside");
        let name = file.to_string_lossy();
        let again = from_extraction(&name, &extraction).expect("an extraction");
        assert!(same(&read, &again), "{}", file.display());
        // Cut short, the bytes are no extraction.
        for cut in [0, 1, extraction.len() / 2, extraction.len() - 1] {
            assert!(
                from_extraction(&name, &extraction[..cut]).is_none(),
                "{cut}"
            );
        }
    }
    // A format read from its own bytes sets nothing aside.
    let text = workspace().join("samples/001_cbbc4f743fd32469.txt");
    let (doc, extraction) = read_path_keeping_extraction(&text, &limits).expect("readable");
    assert!(extraction.is_none());
    assert!(same(&doc, &read_path(&text, &limits).expect("readable")));
    std::fs::remove_dir_all(&dir).ok();
}
