//! The workbench over HTTP, in-process: every route, uploads good and bad, the CSRF check,
//! the login, reviews that survive a re-import, and `audit --db`.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use nianbao_cli::CliPipeline;
use nianbao_workbench::{app, Db, Options, Workbench};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use suite::{nianbao, seeds_dir, temp_dir};
use tower::ServiceExt;

const BOUNDARY: &str = "nianbao-test-boundary";

struct Bench {
    app: Router,
    workbench: Arc<Workbench>,
    dir: PathBuf,
}

fn bench_with(name: &str, options: Options, rules: &[PathBuf]) -> Bench {
    let dir = temp_dir(name);
    bench_in(&dir, options, rules)
}

fn bench_in(dir: &Path, options: Options, rules: &[PathBuf]) -> Bench {
    let db = Db::open(&dir.join("w.db")).expect("database opens");
    let pipeline = CliPipeline::new(rules, None, &[]).expect("built-in rules load");
    let workbench = Workbench::new(db, Arc::new(pipeline), options).expect("workbench");
    Bench {
        app: app(Arc::clone(&workbench)),
        workbench,
        dir: dir.to_path_buf(),
    }
}

fn bench(name: &str) -> Bench {
    bench_with(name, Options::default(), &[])
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_form(app: &Router, uri: &str, form: &[(&str, &str)]) -> Reply {
    let body = form
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A multipart upload: the CSRF field (when given) first, then the files.
fn multipart(csrf: Option<&str>, files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(token) = csrf {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n"
        )
        .unwrap();
    }
    for (name, bytes) in files {
        write!(
            body,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .unwrap();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    write!(body, "--{BOUNDARY}--\r\n").unwrap();
    body
}

async fn upload(app: &Router, body: Vec<u8>) -> Reply {
    let request = Request::post("/import")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(body))
        .unwrap();
    send(app, request).await
}

/// The CSRF token as a browser gets it: from the import form.
async fn csrf(app: &Router) -> String {
    let page = get(app, "/import").await.text();
    let at = page
        .find("name=\"csrf\" value=\"")
        .expect("the form has the token")
        + 19;
    page[at..at + 48].to_string()
}

fn seed_files() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(p).unwrap())
        })
        .collect()
}

fn seed_file(name: &str) -> (String, Vec<u8>) {
    (
        name.to_string(),
        std::fs::read(seeds_dir().join(name)).unwrap(),
    )
}

/// Uploads files and waits for their batch's audit to finish; returns the batch id.
async fn import(app: &Router, files: &[(String, Vec<u8>)]) -> i64 {
    let token = csrf(app).await;
    let files: Vec<(&str, Vec<u8>)> = files.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let reply = upload(app, multipart(Some(&token), &files)).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.text());
    let batch: i64 = reply
        .location()
        .trim_start_matches("/batches/")
        .parse()
        .expect("redirected to the batch");
    // The audit runs in the background: poll its status (no time is asserted).
    for _ in 0..600 {
        let status: Value =
            serde_json::from_slice(&get(app, &format!("/batches/{batch}/status")).await.body)
                .unwrap();
        if status["running"] == false {
            return batch;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("batch {batch} did not finish");
}

/// The report pages' links of a batch's ranking, with the organ shown.
async fn report_links(app: &Router, batch: i64) -> Vec<(i64, String)> {
    let page = get(app, &format!("/batches/{batch}")).await.text();
    page.split("<a href=\"/reports/")
        .skip(1)
        .filter_map(|s| {
            let (id, rest) = s.split_once("\">")?;
            let (organ, _) = rest.split_once("</a>")?;
            Some((id.parse().ok()?, organ.to_string()))
        })
        .collect()
}

fn fingerprints(page: &str) -> Vec<String> {
    page.split("data-fingerprint=\"")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(f, _)| f.to_string()))
        .collect()
}

fn score_of(page: &str) -> String {
    let at = page
        .find("<b id=\"score\">")
        .expect("the page shows the score")
        + 14;
    page[at..].split_once("</b>").unwrap().0.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_an_imported_batch() {
    let b = bench("pages");
    let home = get(&b.app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.text().contains("还没有导入报告"));
    let seeds = seed_files();
    let batch = import(&b.app, &seeds).await;

    let home = get(&b.app, "/").await.text();
    assert!(home.contains(&format!("/batches/{batch}")), "{home}");
    let ranking = get(&b.app, &format!("/batches/{batch}")).await;
    assert_eq!(ranking.status, StatusCode::OK);
    let links = report_links(&b.app, batch).await;
    assert_eq!(links.len(), seeds.len(), "one row per file");
    assert!(links.iter().any(|(_, organ)| organ == "萝北县人民政府"));
    // Filters: one year, one rule.
    let only_2020 = get(&b.app, &format!("/batches/{batch}?year=2020"))
        .await
        .text();
    assert!(only_2020.contains("萝北县人民政府") && !only_2020.contains("平阴县人民政府"));
    let by_rule = get(&b.app, &format!("/batches/{batch}?rule=T3.BALANCE"))
        .await
        .text();
    assert!(by_rule.contains("1 份（共 5 份）") || by_rule.contains("份（共 5 份）"));
    for page in ["heatmap", "notices"] {
        let reply = get(&b.app, &format!("/batches/{batch}/{page}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}");
        assert!(reply.text().contains("萝北县人民政府") || page == "notices");
    }
    assert_eq!(
        get(&b.app, &format!("/batches/{batch}/export.csv"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&b.app, "/batches/999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&b.app, "/batches/999/export.json").await.status,
        StatusCode::NOT_FOUND,
        "an export streamed as it is written still fails before its first byte"
    );
    assert_eq!(
        get(&b.app, "/reports/999").await.status,
        StatusCode::NOT_FOUND
    );

    // A report's page: findings with review forms, the tables redrawn, the text marked.
    let (id, _) = links.iter().find(|(_, o)| o == "萝北县人民政府").unwrap();
    let page = get(&b.app, &format!("/reports/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(!fingerprints(&text).is_empty());
    assert!(text.contains("<h3>表三</h3>"), "the tables are redrawn");
    // T3.BALANCE points at the 总计 of 本年新收 (line 53): that cell is marked, not the line.
    let line_53 = text
        .split("id=\"L53\"")
        .nth(1)
        .unwrap()
        .split('\n')
        .next()
        .unwrap();
    assert!(line_53.starts_with(" class=\"flagged\""), "{line_53}");
    assert!(line_53.contains("<mark>9</mark>"), "{line_53}");
    assert!(page
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_some_and(|v| v.to_str().unwrap().contains("default-src 'none'")));
    // The original file, as a download.
    let file = get(&b.app, &format!("/reports/{id}/file")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, seed_file("003_0eb612e351c75c5e.txt").1);
    assert!(file.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(get(&b.app, "/log").await.status, StatusCode::OK);

    // Exports: JSON with every report, an HTML page, a workbook that reads back.
    let json: Value = serde_json::from_slice(
        &get(&b.app, &format!("/batches/{batch}/export.json"))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(json["reports"].as_array().unwrap().len(), seeds.len());
    let html = get(&b.app, &format!("/batches/{batch}/export.html")).await;
    assert!(html.text().contains("萝北县人民政府"));
    let xlsx = get(&b.app, &format!("/batches/{batch}/export.xlsx")).await;
    let rows = sheet_rows(&xlsx.body, "报告");
    assert_eq!(rows.len(), seeds.len() + 1, "header and one row per file");
}

fn sheet_rows(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("a workbook");
    let range = book.worksheet_range(sheet).expect("the sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dismissal_survives_a_reimport_and_the_score_is_recomputed() {
    let b = bench("review");
    let token = csrf(&b.app).await;
    let files = [seed_file("003_0eb612e351c75c5e.txt")];
    let first = import(&b.app, &files).await;
    let (id, _) = report_links(&b.app, first).await[0].clone();
    let page = get(&b.app, &format!("/reports/{id}")).await.text();
    let before = score_of(&page);
    let fingerprint = fingerprints(&page)[0].clone();
    let uri = format!("/findings/{fingerprint}/review");
    let id_text = id.to_string();
    let decided = post_form(
        &b.app,
        &uri,
        &[
            ("csrf", &token),
            ("report", &id_text),
            ("decision", "dismissed"),
            ("reason", "原表无误，系转换问题"),
            ("reviewer", "张三"),
            ("action", "decide"),
        ],
    )
    .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER);
    let page = get(&b.app, &format!("/reports/{id}")).await.text();
    let after = score_of(&page);
    assert_ne!(before, after, "the dismissed finding is no longer deducted");
    assert!(page.contains("驳回（张三"));

    // The same file again: a new batch, the decision re-attached, the same recomputed score.
    let second = import(&b.app, &files).await;
    assert_ne!(first, second);
    let (again, _) = report_links(&b.app, second).await[0].clone();
    assert_ne!(again, id);
    let page = get(&b.app, &format!("/reports/{again}")).await.text();
    assert_eq!(score_of(&page), after);
    assert!(page.contains("原表无误，系转换问题"));
    let json: Value = serde_json::from_slice(
        &get(&b.app, &format!("/batches/{second}/export.json"))
            .await
            .body,
    )
    .unwrap();
    let reviewed: Vec<&Value> = json["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("review").is_some())
        .collect();
    assert_eq!(reviewed.len(), 1);
    assert_eq!(reviewed[0]["review"]["decision"], "dismissed");
    let html = get(&b.app, &format!("/batches/{second}/export.html"))
        .await
        .text();
    assert!(
        html.contains("审核：驳回（张三"),
        "the HTML export shows the decision"
    );
    let xlsx = get(&b.app, &format!("/batches/{second}/export.xlsx")).await;
    let rows = sheet_rows(&xlsx.body, "问题");
    assert!(rows[0].iter().any(|h| h.starts_with("审核结论")));
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "驳回")));

    // Withdrawn: the finding counts again; the log has both.
    let again_text = again.to_string();
    let withdrawn = post_form(
        &b.app,
        &uri,
        &[
            ("csrf", &token),
            ("report", &again_text),
            ("reviewer", "李四"),
            ("action", "withdraw"),
        ],
    )
    .await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let page = get(&b.app, &format!("/reports/{again}")).await.text();
    assert_eq!(score_of(&page), before);
    let log = get(&b.app, "/log").await.text();
    assert!(log.contains("张三") && log.contains("李四") && log.contains("撤销"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_confirmed_finding_makes_a_notice_and_a_gone_finding_shows_as_resolved() {
    let b = bench("resolved");
    let token = csrf(&b.app).await;
    let batch = import(&b.app, &[seed_file("003_0eb612e351c75c5e.txt")]).await;
    let (id, _) = report_links(&b.app, batch).await[0].clone();
    let page = get(&b.app, &format!("/reports/{id}")).await.text();
    let fingerprint = fingerprints(&page)[0].clone();
    let id_text = id.to_string();
    post_form(
        &b.app,
        &format!("/findings/{fingerprint}/review"),
        &[
            ("csrf", &token),
            ("report", &id_text),
            ("decision", "confirmed"),
            ("reason", "请核对表三"),
            ("reviewer", "王五"),
        ],
    )
    .await;
    let notices = get(&b.app, &format!("/batches/{batch}/notices"))
        .await
        .text();
    assert!(notices.contains("萝北县人民政府") && notices.contains("请核对表三"));
    // The problem is quoted from the report's source line.
    assert!(notices.contains("<pre class=\"excerpt\">"), "{notices}");

    // Audited again with other rules (the example pack): the finding is gone, its decision
    // is shown as resolved.
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/examples/first-pack.toml");
    let other = bench_in(&b.dir, Options::default(), &[example]);
    let batch = import(&other.app, &[seed_file("003_0eb612e351c75c5e.txt")]).await;
    let (id, _) = report_links(&other.app, batch).await[0].clone();
    let page = get(&other.app, &format!("/reports/{id}")).await.text();
    assert!(page.contains("已解决"), "{page}");
    assert!(page.contains("王五"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_uploads_are_rows_with_their_reason() {
    let options = Options {
        max_file_bytes: 1 << 20,
        ..Options::default()
    };
    let b = bench_with("bad-uploads", options, &[]);
    let bomb = {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", deflated).unwrap();
        zip.write_all(&vec![b' '; 300 << 20]).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    };
    assert!(
        bomb.len() < 1 << 20,
        "the bomb itself is under the upload limit"
    );
    let binary: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let files = vec![
        ("empty.txt".to_string(), Vec::new()),
        ("binary.pdf".to_string(), binary),
        ("bomb.docx".to_string(), bomb),
        ("large.txt".to_string(), vec![b'x'; 2 << 20]),
        seed_file("001_cbbc4f743fd32469.txt"),
    ];
    let batch = import(&b.app, &files).await;
    let ranking = get(&b.app, &format!("/batches/{batch}")).await.text();
    assert_eq!(
        ranking.matches("class=\"unreadable\"").count(),
        4,
        "{ranking}"
    );
    assert!(ranking.contains("空文件"));
    assert!(ranking.contains("超过上传大小上限"));
    assert!(
        ranking.contains("平阴县人民政府"),
        "the good report is audited"
    );
    // Nothing of a file over the limit is stored.
    let stored = std::fs::read_dir(b.workbench.db.files_dir())
        .unwrap()
        .count();
    assert_eq!(stored, 3, "binary, bomb and the seed are stored by hash");
}

/// An OFD uploaded (the lab's OFD of seed 003) is stored under its extension and audited
/// as the command line audits it: the organ read, 表三's imbalance found.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ofd_upload_is_audited() {
    let b = bench("ofd-upload");
    let ofd = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lab003.ofd");
    let batch = import(
        &b.app,
        &[("年报.ofd".to_string(), std::fs::read(ofd).unwrap())],
    )
    .await;
    let ranking = get(&b.app, &format!("/batches/{batch}")).await.text();
    assert!(ranking.contains("萝北县人民政府"), "{ranking}");
    assert_eq!(
        ranking.matches("class=\"unreadable\"").count(),
        0,
        "{ranking}"
    );
    let (id, _) = report_links(&b.app, batch).await[0].clone();
    let page = get(&b.app, &format!("/reports/{id}")).await.text();
    assert!(page.contains("T3.BALANCE"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_over_the_request_limit_is_refused_with_a_page() {
    let options = Options {
        max_request_bytes: 64 << 10,
        ..Options::default()
    };
    let b = bench_with("request-limit", options, &[]);
    let token = csrf(&b.app).await;
    let reply = upload(
        &b.app,
        multipart(Some(&token), &[("big.txt", vec![b'x'; 200 << 10])]),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(reply.text().contains("上传失败"));
    assert!(b.workbench.db.batches().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_post_needs_the_csrf_token() {
    let b = bench("csrf");
    let seed = seed_file("001_cbbc4f743fd32469.txt");
    let file = [(seed.0.as_str(), seed.1.clone())];
    // No token, a wrong one, a token after the files.
    assert_eq!(
        upload(&b.app, multipart(None, &file)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        upload(&b.app, multipart(Some("0".repeat(48).as_str()), &file))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let token = csrf(&b.app).await;
    let mut late = multipart(None, &file);
    let close = format!("--{BOUNDARY}--\r\n");
    late.truncate(late.len() - close.len());
    write!(
        late,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n{close}"
    )
    .unwrap();
    assert_eq!(upload(&b.app, late).await.status, StatusCode::FORBIDDEN);
    assert!(
        b.workbench.db.batches().unwrap().is_empty(),
        "nothing imported"
    );

    let batch = import(&b.app, &[seed]).await;
    let (id, _) = report_links(&b.app, batch).await[0].clone();
    let fingerprint = fingerprints(&get(&b.app, &format!("/reports/{id}")).await.text())[0].clone();
    let uri = format!("/findings/{fingerprint}/review");
    let id_text = id.to_string();
    let form = |token: &'static str| {
        vec![
            ("csrf", token),
            ("decision", "dismissed"),
            ("reviewer", "张三"),
        ]
    };
    let mut wrong = form("wrong");
    wrong.push(("report", &id_text));
    assert_eq!(
        post_form(&b.app, &uri, &wrong).await.status,
        StatusCode::FORBIDDEN
    );
    // A POST another site makes is refused whatever it carries.
    let request = Request::post(&uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!(
            "csrf={token}&report={id}&decision=dismissed&reviewer=x"
        )))
        .unwrap();
    assert_eq!(send(&b.app, request).await.status, StatusCode::FORBIDDEN);
    // The form's own checks.
    let check = |decision: &'static str, reviewer: &'static str| {
        vec![("decision", decision), ("reviewer", reviewer)]
    };
    for (fields, expected) in [
        (check("dismissed", " "), StatusCode::BAD_REQUEST),
        (check("deleted", "张三"), StatusCode::BAD_REQUEST),
    ] {
        let mut fields = fields;
        fields.push(("csrf", &token));
        fields.push(("report", &id_text));
        assert_eq!(post_form(&b.app, &uri, &fields).await.status, expected);
    }
    let unknown = post_form(
        &b.app,
        "/findings/0123456789abcdef/review",
        &[
            ("csrf", &token),
            ("report", &id_text),
            ("decision", "dismissed"),
            ("reviewer", "张三"),
        ],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(get(&b.app, "/log").await.text().contains("还没有审核记录"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_report_text_is_shown_as_text() {
    let b = bench("hostile");
    let seed = std::fs::read_to_string(seeds_dir().join("003_0eb612e351c75c5e.txt")).unwrap();
    let hostile = seed.replacen(
        '\n',
        "\n<script>alert('x')</script><img src=x onerror=alert(1)>\n",
        1,
    );
    let batch = import(
        &b.app,
        &[("<b>bold</b>.txt".to_string(), hostile.into_bytes())],
    )
    .await;
    for uri in [
        format!("/batches/{batch}"),
        format!("/batches/{batch}/heatmap"),
        "/".to_string(),
    ] {
        let page = get(&b.app, &uri).await.text();
        assert!(!page.contains("<b>bold</b>"), "{uri}");
    }
    let (id, _) = report_links(&b.app, batch).await[0].clone();
    let page = get(&b.app, &format!("/reports/{id}")).await.text();
    assert!(!page.contains("<script>") && !page.contains("<img"));
    assert!(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_this_machine_a_token_is_required() {
    let dir = temp_dir("token");
    let open = |options: Options| {
        let db = Db::open(&dir.join("w.db")).unwrap();
        let pipeline = CliPipeline::new(&[], None, &[]).unwrap();
        Workbench::new(db, Arc::new(pipeline), options)
    };
    let public: std::net::SocketAddr = "0.0.0.0:8470".parse().unwrap();
    let refused = open(Options {
        listen: public,
        ..Options::default()
    });
    assert!(refused.err().unwrap().to_string().contains("--token"));
    let workbench = open(Options {
        listen: public,
        token: Some("s3cret".into()),
        ..Options::default()
    })
    .unwrap();
    let app = app(workbench);
    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    assert_eq!(home.location(), "/login");
    assert_eq!(get(&app, "/login").await.status, StatusCode::OK);
    assert_eq!(
        post_form(&app, "/findings/0/review", &[("csrf", "x")])
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let wrong = post_form(&app, "/login", &[("token", "guess")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let right = post_form(&app, "/login", &[("token", "s3cret")]).await;
    let cookie = right.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let session = cookie.split(';').next().unwrap().to_string();
    let request = Request::get("/")
        .header(header::COOKIE, session)
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&app, request).await.status, StatusCode::OK);
}

#[test]
fn audit_with_db_stores_the_batch_for_the_workbench() {
    let dir = temp_dir("audit-db");
    let db_path = dir.join("office.db");
    let seeds = seeds_dir();
    let run = nianbao(&[
        "audit",
        seeds.to_str().unwrap(),
        "--format",
        "json",
        "--db",
        db_path.to_str().unwrap(),
    ]);
    assert!(run.code <= 1, "{}", run.stderr);
    assert!(run.stderr.contains("批次 1"), "{}", run.stderr);
    let audited = run.json()["reports"].as_array().unwrap().len();
    let db = Db::open(&db_path).unwrap();
    let batches = db.batches().unwrap();
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].origin, "cli");
    assert_eq!(batches[0].total as usize, audited);
    assert!(!batches[0].setup.packs.is_empty());
    let reports = db.reports(&batches[0]).unwrap();
    assert_eq!(reports.len(), audited);
    assert!(
        reports.iter().all(|r| r.sha256.is_some()),
        "originals are kept"
    );
    // Every finding is stored, in the batch's order.
    let stored: Vec<String> = reports
        .iter()
        .filter_map(|r| r.audited.outcome.as_ref().ok())
        .flat_map(|a| a.findings.iter().map(|f| f.rule.clone()))
        .collect();
    let listed: Vec<String> = run.json()["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    assert!(listed.len() >= 10);
    assert_eq!(stored, listed);
    // A database that cannot be opened stops the audit before it runs.
    let blocked = dir.join("a-file");
    std::fs::write(&blocked, "x").unwrap();
    let bad = blocked.join("w.db");
    let run = nianbao(&[
        "audit",
        seeds.to_str().unwrap(),
        "--db",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("无法打开数据库"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_content_under_two_names_is_two_rows_each_with_its_name() {
    let b = bench("same-content");
    let (_, bytes) = seed_file("001_cbbc4f743fd32469.txt");
    let files = vec![
        ("first.txt".to_string(), bytes.clone()),
        seed_file("003_0eb612e351c75c5e.txt"),
        ("second.txt".to_string(), bytes),
        ("empty.txt".to_string(), Vec::new()),
    ];
    let batch = import(&b.app, &files).await;
    let db = &b.workbench.db;
    let stored = db.batch(batch).unwrap().expect("the batch is stored");
    let rows: Vec<_> = db
        .report_ids(&stored)
        .unwrap()
        .into_iter()
        .map(|id| db.batch_report(id, &stored).unwrap().expect("a stored row"))
        .collect();
    let names: Vec<&str> = rows.iter().map(|r| r.audited.file.as_str()).collect();
    assert_eq!(
        names,
        [
            "first.txt",
            "003_0eb612e351c75c5e.txt",
            "second.txt",
            "empty.txt"
        ],
        "every upload is a row, in upload order, under its own name"
    );
    let findings = |k: usize| match &rows[k].audited.outcome {
        Ok(a) => a
            .findings
            .iter()
            .map(|f| f.rule.clone())
            .collect::<Vec<_>>(),
        Err(e) => panic!("{} unreadable: {e}", names[k]),
    };
    assert_eq!(findings(0), findings(2), "one content, one audit");
    assert!(rows[3]
        .audited
        .outcome
        .as_ref()
        .is_err_and(|e| e.contains("空文件")));
}
