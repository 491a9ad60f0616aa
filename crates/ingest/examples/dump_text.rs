//! Prints the text nianbao's parser reads from a report (tabs shown as →).
//! `cargo run -p nianbao-ingest --example dump_text -- FILE`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_text FILE");
        std::process::exit(2);
    };
    match nianbao_ingest::read_path(
        std::path::Path::new(&path),
        &nianbao_ingest::Limits::default(),
    ) {
        Ok(doc) => print!("{}", doc.text.replace('\t', "→")),
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
