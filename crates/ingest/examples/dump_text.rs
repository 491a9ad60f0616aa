//! Prints the text nianbao's parser reads from a report (tabs shown as →).
//! `cargo run -p nianbao-ingest --example dump_text -- FILE [--ocr]`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_text FILE [--ocr]");
        std::process::exit(2);
    };
    let limits = nianbao_ingest::Limits {
        ocr: std::env::args().any(|a| a == "--ocr"),
        ..Default::default()
    };
    match nianbao_ingest::read_path(std::path::Path::new(&path), &limits) {
        Ok(doc) => print!("{}", doc.text.replace('\t', "→")),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
