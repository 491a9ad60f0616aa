// scratch: per-source stage times
use std::time::Instant;
fn main() {
    let rules = nianbao_rules::RuleSet::builtin().unwrap();
    let files: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let only = std::env::var("ONLY").unwrap_or_default();
    let (mut ti, mut tp, mut tr) = (0.0, 0.0, 0.0);
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let name = std::path::Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let t = Instant::now();
        for _ in 0..(if only.is_empty() || only == "ingest" {
            n
        } else {
            1
        }) {
            std::hint::black_box(nianbao_ingest::from_bytes(&name, &bytes).unwrap());
        }
        let i = t.elapsed().as_secs_f64() / n as f64 * 1e6;
        let doc = nianbao_ingest::from_bytes(&name, &bytes).unwrap();
        let t = Instant::now();
        for _ in 0..(if only.is_empty() || only == "parse" {
            n
        } else {
            1
        }) {
            std::hint::black_box(nianbao_parse::parse(&doc));
        }
        let p = t.elapsed().as_secs_f64() / n as f64 * 1e6;
        let report = nianbao_parse::parse(&doc);
        let t = Instant::now();
        for _ in 0..(if only.is_empty() || only == "rules" {
            n
        } else {
            1
        }) {
            std::hint::black_box(rules.check_with(
                &report,
                nianbao_rules::Related {
                    previous: Some(&report),
                    peer: Some(&report),
                },
            ));
        }
        let r = t.elapsed().as_secs_f64() / n as f64 * 1e6;
        ti += i;
        tp += p;
        tr += r;
        println!(
            "{:40} ingest {:6.0} parse {:6.0} rules {:6.0} µs",
            name, i, p, r
        );
    }
    let k = files.len() as f64;
    println!(
        "mean: ingest {:.0} parse {:.0} rules {:.0} total {:.0} µs",
        ti / k,
        tp / k,
        tr / k,
        (ti + tp + tr) / k
    );
}
#[allow(dead_code)]
fn unused() {}
