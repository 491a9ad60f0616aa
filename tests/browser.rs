//! The workbench in a real browser: `nianbao serve` on a free port with a new database,
//! headless Chromium driven over WebDriver (chromedriver). It uploads the seeds, opens a
//! report, dismisses a finding with a reason, uploads the same files again, finds the
//! decision still attached and the score recomputed, and downloads the XLSX.
//!
//! Needs `chromium` and `chromedriver` (Debian: chromium, chromium-driver). Without them the
//! test says so and passes, unless NIANBAO_REQUIRE_BROWSER=1 (CI sets it). Screenshots go
//! to target/screenshots/ (not in git): look at them.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use suite::{seeds_dir, temp_dir};

/// A child process killed when the test ends, however it ends.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Writes what `serve` prints to a channel, so the test learns the URL.
struct Lines(mpsc::Sender<String>);

impl Write for Lines {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.send(String::from_utf8_lossy(buf).into_owned());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Starts `nianbao serve` (in this process, on a free port) and returns its URL.
fn start_serve(db: &std::path::Path) -> String {
    let (tx, rx) = mpsc::channel();
    let db = db.display().to_string();
    std::thread::spawn(move || {
        let args: Vec<String> = ["nianbao", "serve", "--db", &db, "--listen", "127.0.0.1:0"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut out = Lines(tx);
        let code = nianbao_cli::run(&args, &mut out, &mut std::io::sink());
        panic!("serve stopped with {code}");
    });
    // A line may come in pieces (one write per formatted part).
    let mut line = String::new();
    while !line.contains('\n') {
        line.push_str(
            &rx.recv_timeout(Duration::from_secs(60))
                .expect("serve prints its URL"),
        );
    }
    let start = line.find("http://").expect("a URL");
    line[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string()
}

async fn browser(driver_port: u16, downloads: &std::path::Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                        "--disable-gpu", "--window-size=1400,1100", "--lang=zh-CN"],
               "prefs": {"download.default_directory": downloads.display().to_string(),
                         "download.prompt_for_download": false}}),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let url = format!("http://127.0.0.1:{driver_port}");
    for _ in 0..100 {
        match ClientBuilder::new(connector.clone())
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
    panic!("chromedriver did not accept a session at {url}");
}

fn screenshots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The bytes of the first file with this extension the browser finished downloading.
async fn downloaded(dir: &std::path::Path, extension: &str) -> Vec<u8> {
    for _ in 0..300 {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == extension));
        if let Some(path) = done {
            return std::fs::read(path).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing was downloaded into {}", dir.display());
}

/// Uploads files through the import form and waits for the batch's ranking.
async fn upload(c: &Client, base: &str, files: &[PathBuf]) -> String {
    c.goto(&format!("{base}/import")).await.unwrap();
    let input = c.find(Locator::Css("#files")).await.unwrap();
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&paths.join("\n")).await.unwrap();
    c.find(Locator::Css("#start-import"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The batch page refreshes itself while the audit runs.
    for _ in 0..600 {
        let url = c.current_url().await.unwrap().to_string();
        if url.contains("/batches/")
            && c.find(Locator::Css("#progress")).await.is_err()
            && c.find(Locator::Css("#ranking")).await.is_ok()
        {
            return url;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the import did not finish");
}

async fn open_report(c: &Client, organ: &str) {
    c.find(Locator::LinkText(organ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    appear(c, "#score").await;
}

/// An element once the page that has it has loaded.
async fn appear(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(60))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

async fn score(c: &Client) -> String {
    c.find(Locator::Css("#score"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_office_reviews_a_batch_in_the_browser() {
    let required = std::env::var_os("NIANBAO_REQUIRE_BROWSER").is_some_and(|v| v == "1");
    if !installed("chromedriver") || !installed("chromium") {
        assert!(
            !required,
            "NIANBAO_REQUIRE_BROWSER=1 but chromium/chromedriver are missing"
        );
        eprintln!("skipped: chromium and chromedriver are not installed (Debian: chromium chromium-driver)");
        return;
    }
    let dir = temp_dir("browser");
    let base = start_serve(&dir.join("office.db"));
    let driver_port = free_port();
    let _driver = Killed(
        Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    let c = browser(driver_port, &downloads).await;
    let result = review_in_browser(&c, &base, &downloads).await;
    let _ = c.close().await;
    result
}

async fn review_in_browser(c: &Client, base: &str, downloads: &std::path::Path) {
    // The browser takes canonical paths only.
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| std::fs::canonicalize(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    let shots = screenshots_dir();

    let first = upload(c, base, &seeds).await;
    let rows = c.find_all(Locator::Css("#ranking tbody tr")).await.unwrap();
    assert_eq!(rows.len(), seeds.len());
    std::fs::write(shots.join("ranking.png"), c.screenshot().await.unwrap()).unwrap();

    // Dismiss the first finding of 萝北县人民政府's report, with a reason.
    let organ = "萝北县人民政府";
    open_report(c, organ).await;
    let before = score(c).await;
    let finding = c.find(Locator::Css(".finding")).await.unwrap();
    let fingerprint = finding.attr("data-fingerprint").await.unwrap().unwrap();
    let form = finding.find(Locator::Css("form.review")).await.unwrap();
    form.find(Locator::Css("select[name=decision]"))
        .await
        .unwrap()
        .select_by_value("dismissed")
        .await
        .unwrap();
    form.find(Locator::Css("input[name=reason]"))
        .await
        .unwrap()
        .send_keys("原表无误，是转换造成的")
        .await
        .unwrap();
    form.find(Locator::Css("input[name=reviewer]"))
        .await
        .unwrap()
        .send_keys("张三")
        .await
        .unwrap();
    form.find(Locator::Css("button[value=decide]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The form posts and the page comes back: wait for it rather than race it.
    let decided = appear(c, &format!("#f-{fingerprint} .decided"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        decided.contains("驳回") && decided.contains("张三"),
        "{decided}"
    );
    let after = score(c).await;
    assert_ne!(
        before, after,
        "the score is recomputed without the dismissed finding"
    );
    std::fs::write(shots.join("report.png"), c.screenshot().await.unwrap()).unwrap();

    // The same files again: a new batch, the decision still attached, the same score.
    let second = upload(c, base, &seeds).await;
    assert_ne!(first, second);
    open_report(c, organ).await;
    let again = appear(c, &format!("#f-{fingerprint} .decided"))
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("原表无误，是转换造成的"), "{again}");
    assert_eq!(score(c).await, after);

    // The workbook as the browser downloads it (the export link), read back.
    c.goto(&second).await.unwrap();
    c.find(Locator::LinkText("导出 XLSX"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let bytes = downloaded(downloads, "xlsx").await;
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX");
    let findings = book.worksheet_range("问题").unwrap();
    let dismissed = findings
        .rows()
        .filter(|r| r.iter().any(|c| *c == "驳回"))
        .count();
    assert_eq!(dismissed, 1, "the workbook carries the decision");
}
