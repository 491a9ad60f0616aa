//! Per-report cost of each stage on real reports (the seeds and the corpus):
//! `cargo bench --bench pipeline`. Results and the machine are in BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use nianbao_parse::Figures;
use nianbao_rules::similar::{self, Sketch};
use nianbao_rules::RuleSet;
use std::path::PathBuf;

// The program's allocator, so that the stages cost here what they cost in `nianbao`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn reports() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("samples"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    if let Ok(corpus) = std::fs::read_dir(root.join("../shared/corpus")) {
        files.extend(corpus.filter_map(|e| e.ok().map(|e| e.path())));
    }
    files.retain(|p| {
        p.extension()
            .is_some_and(|e| ["txt", "md", "html", "pdf"].contains(&e.to_str().unwrap_or("")))
    });
    files.sort();
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn stages(c: &mut Criterion) {
    let rules = RuleSet::builtin().unwrap();
    let all = reports();
    let mut group = c.benchmark_group("per_report");
    group.sample_size(20);
    // One representative of each layout: tab rows (003), one cell per line (001), crawled
    // text (030), HTML (009), PDF (Hongze).
    for name in [
        "003_0eb612e351c75c5e.txt",
        "001_cbbc4f743fd32469.txt",
        "030_pingtan_2019.txt",
        "009_shuyang-fgj_2023.html",
        "003_hongze_2023.pdf",
    ] {
        let Some((_, bytes)) = all.iter().find(|(n, _)| n == name) else {
            continue;
        };
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("ingest", name), bytes, |b, bytes| {
            b.iter(|| nianbao_ingest::from_bytes(name, bytes).unwrap())
        });
        let doc = nianbao_ingest::from_bytes(name, bytes).unwrap();
        group.bench_with_input(BenchmarkId::new("parse", name), &doc, |b, doc| {
            b.iter(|| nianbao_parse::parse(doc))
        });
        let report = nianbao_parse::parse(&doc);
        // On a fresh copy each round, as in `mix/rules`.
        group.bench_with_input(BenchmarkId::new("rules", name), &report, |b, report| {
            b.iter_batched_ref(
                || report.clone(),
                |fresh| rules.check(fresh),
                criterion::BatchSize::SmallInput,
            )
        });
        // What the batch's first pass adds per file when a peer rule is on.
        group.bench_with_input(BenchmarkId::new("peer_sketch", name), &doc, |b, doc| {
            b.iter(|| Sketch::of_lines(doc.text.lines()))
        });
    }
    group.finish();
    mix(c, &rules, &all);
    let mut batch = c.benchmark_group("batch");
    batch.sample_size(10);
    batch.throughput(Throughput::Elements(all.len() as u64));
    batch.bench_function("audit_all_to_json", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            let paths: Vec<String> = vec!["samples".into(), "../shared/corpus".into()];
            let mut args = vec!["nianbao".to_string(), "audit".into()];
            args.extend(paths);
            args.extend(["--format".into(), "json".into()]);
            nianbao_cli::run(&args, &mut out, &mut Vec::new());
            out.len()
        })
    });
    batch.finish();
}

/// Each stage over the mix `scripts/bench-corpus.sh` replicates (every text, HTML and
/// Markdown report), for one report on average: what a batch's CPU per report compares
/// with.
fn mix(c: &mut Criterion, rules: &RuleSet, all: &[(String, Vec<u8>)]) {
    let mix: Vec<&(String, Vec<u8>)> = all
        .iter()
        .filter(|(n, _)| [".txt", ".html", ".md"].iter().any(|e| n.ends_with(e)))
        .collect();
    let docs: Vec<_> = mix
        .iter()
        .map(|(n, b)| nianbao_ingest::from_bytes(n, b).unwrap())
        .collect();
    let reports: Vec<_> = docs.iter().map(nianbao_parse::parse).collect();
    let mut group = c.benchmark_group("mix");
    group.sample_size(20);
    group.throughput(Throughput::Elements(mix.len() as u64));
    group.bench_function("ingest", |b| {
        b.iter(|| {
            mix.iter()
                .map(|(n, bytes)| nianbao_ingest::from_bytes(n, bytes).unwrap().text.len())
                .sum::<usize>()
        })
    });
    // As the audit parses without plugins: the narrative's figures, which only plugins
    // read, are skipped.
    group.bench_function("parse", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| {
                    nianbao_parse::parse_reading(d, Figures::Skipped)
                        .cells
                        .len()
                })
                .sum::<usize>()
        })
    });
    // Each round checks fresh copies (made outside the timing): a report keeps what its
    // first check works out (its narrative's shingles), and the batch checks each report
    // once.
    group.bench_function("rules", |b| {
        b.iter_batched_ref(
            || reports.clone(),
            |fresh| fresh.iter().map(|r| rules.check(r).len()).sum::<usize>(),
            criterion::BatchSize::SmallInput,
        )
    });
    // As in a batch: each round parses the reports afresh (outside the timing), which
    // leaves the rules' state (regex tables, key patterns) out of the processor's caches;
    // then each report is checked by every rule in turn, or the rules run over eight
    // reports at a time (`check_many`, as the batch does).
    let fresh = || -> Vec<nianbao_model::Report> {
        docs.iter()
            .map(|d| nianbao_parse::parse_reading(d, Figures::Skipped))
            .collect()
    };
    group.bench_function("rules_after_parse_one_by_one", |b| {
        b.iter_batched_ref(
            fresh,
            |fresh| fresh.iter().map(|r| rules.check(r).len()).sum::<usize>(),
            criterion::BatchSize::PerIteration,
        )
    });
    group.bench_function("rules_after_parse_eight_together", |b| {
        b.iter_batched_ref(
            fresh,
            |fresh| {
                fresh
                    .chunks(8)
                    .map(|eight| {
                        let eight: Vec<_> = eight.iter().map(|r| (r, Default::default())).collect();
                        rules
                            .check_many(&eight, None)
                            .iter()
                            .map(Vec::len)
                            .sum::<usize>()
                    })
                    .sum::<usize>()
            },
            criterion::BatchSize::PerIteration,
        )
    });
    // The first pass as the batch makes it with peer rules on: each file read (from the
    // disk's cache, as in a batch), its organ and year told, its prose sketched.
    let limits = nianbao_ingest::Limits::default();
    group.bench_function("first_pass", |b| {
        b.iter(|| {
            mix.iter()
                .filter(|(n, _)| nianbao_cli::first_pass_file(&source_path(n), &limits))
                .count()
        })
    });
    // As `rules`, each report with its predecessor in the mix (the same organ's latest
    // earlier year), as the batch pairs them: the cross-year rules compare the two
    // narratives. The batch also gives some reports a peer; that is not counted here.
    let previous = predecessors(&reports);
    group.bench_function("rules_with_previous", |b| {
        b.iter_batched_ref(
            || reports.clone(),
            |fresh| {
                fresh
                    .iter()
                    .zip(&previous)
                    .map(|(r, p)| {
                        let related = nianbao_rules::Related {
                            previous: p.map(|i| &fresh[i]),
                            peer: None,
                        };
                        rules.check_with(r, related).len()
                    })
                    .sum::<usize>()
            },
            criterion::BatchSize::SmallInput,
        )
    });
    // What the batch adds to the stages when peer and cross-year rules are on: each file's
    // sketch in the first pass, each narrative's shingles for the overlap rules.
    group.bench_function("first_pass_sketch", |b| {
        b.iter(|| {
            docs.iter()
                .map(|d| Sketch::of_lines(d.text.lines()).hashes().len())
                .sum::<usize>()
        })
    });
    group.bench_function("narrative_shingles", |b| {
        b.iter(|| {
            reports
                .iter()
                .map(|r| similar::shingles(r.text.iter().map(|l| l.text.as_str())).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// Where a report of `reports()` is, by its file name.
fn source_path(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let sample = root.join("samples").join(name);
    match sample.exists() {
        true => sample,
        false => root.join("../shared/corpus").join(name),
    }
}

/// For each report, the index of the same organ's report of the latest earlier year.
fn predecessors(reports: &[nianbao_model::Report]) -> Vec<Option<usize>> {
    let key = |r: &nianbao_model::Report| Some((nianbao_model::report_organ_key(r)?, r.year?));
    reports
        .iter()
        .map(|r| {
            let (organ, year) = key(r)?;
            (0..reports.len())
                .filter_map(|i| Some((key(&reports[i])?, i)))
                .filter(|((o, y), _)| *o == organ && *y < year)
                .max_by_key(|((_, y), _)| *y)
                .map(|(_, i)| i)
        })
        .collect()
}

criterion_group!(benches, stages);
criterion_main!(benches);
