//! Encrypted PDFs that open without a password (an owner password only, as offices
//! "protect" reports against copying) are read as the same PDF unencrypted; one that needs
//! a password to open is refused with that reason. The fixtures are one small page (a
//! report's title and lines in STSong-Light, UniGB-UCS2-H) made by this project and
//! encrypted by qpdf: RC4 40 and 128 bits, AES-128, AES-256 (revisions 5 and 6), AES-256
//! with object streams, and AES-256 with a user password.

use nianbao_ingest::{read_path, Limits};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/encrypted")
        .join(name)
}

fn is_encrypted(path: &Path) -> bool {
    let bytes = std::fs::read(path).expect("a fixture");
    bytes.windows(8).any(|w| w == b"/Encrypt")
}

#[test]
fn a_pdf_that_opens_without_a_password_reads_as_it_does_unencrypted() {
    let plain = read_path(&fixture("plain.pdf"), &Limits::default()).expect("the plain PDF");
    assert!(!is_encrypted(&fixture("plain.pdf")));
    assert!(
        plain
            .text
            .contains("兰陵县人民政府2019年政府信息公开工作年度报告"),
        "{}",
        plain.text
    );
    for name in [
        "rc4-40.pdf",
        "rc4-128.pdf",
        "aes-128.pdf",
        "aes-256-r5.pdf",
        "aes-256.pdf",
        "aes-256-object-streams.pdf",
    ] {
        assert!(is_encrypted(&fixture(name)), "{name} is not encrypted");
        let read =
            read_path(&fixture(name), &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(read.has_text, "{name}");
        assert_eq!(read.text, plain.text, "{name}");
    }
}

#[test]
fn a_pdf_that_needs_a_password_is_refused_saying_so() {
    let error = read_path(&fixture("user-password.pdf"), &Limits::default()).expect_err("refused");
    assert!(error.to_string().contains("打开密码"), "{error}");
}
