//! Prints the tables nianbao read as grids from a report: for each, where its rows and
//! columns came from, and every cell with its row, column, spans (and box, for PDF).
//! `cargo run -p nianbao-ingest --example dump_grids -- FILE [--ocr]`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_grids FILE [--ocr]");
        std::process::exit(2);
    };
    let limits = nianbao_ingest::Limits {
        ocr: std::env::args().any(|a| a == "--ocr"),
        ..Default::default()
    };
    let doc = match nianbao_ingest::read_path(path.as_ref(), &limits) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    for (i, grid) in doc.grids.iter().enumerate() {
        println!(
            "grid {i}: {} rows × {} columns, from {}",
            grid.n_rows,
            grid.n_cols,
            grid.source.as_str()
        );
        for cell in &grid.cells {
            let span = match (cell.rows, cell.cols) {
                (1, 1) => String::new(),
                (r, c) => format!(" [{r}×{c}]"),
            };
            let place = cell.bbox.map_or(String::new(), |b| {
                format!(
                    "  p{} ({:.0},{:.0})-({:.0},{:.0})",
                    b.page, b.x0, b.top, b.x1, b.bottom
                )
            });
            println!(
                "  r{:<3} c{:<2}{span} {:?}{place}",
                cell.row, cell.col, cell.text
            );
        }
    }
}
