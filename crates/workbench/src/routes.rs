//! The routes. Handlers do their database and rendering work on the blocking pool; every
//! failure is a page with its reason, never a dropped connection — but for an export that
//! fails after its first bytes were sent, whose download is broken off (not ended short).

use crate::db::{DecisionSubject, StoredReport, Summary};
use crate::export::{export, ExportFormat};
use crate::pages::{self, esc};
use crate::security::{self, session_cookie};
use crate::{import, Workbench};
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nianbao_scorecard::Decision;
use serde::Deserialize;
use std::sync::Arc;

type Shared = State<Arc<Workbench>>;

pub fn router(workbench: Arc<Workbench>) -> Router {
    let limit = workbench.options.max_request_bytes;
    Router::new()
        .route("/", get(home))
        .route("/import", get(import_page).post(import_upload))
        .route("/batches/{id}", get(batch))
        .route("/batches/{id}/status", get(status))
        .route("/batches/{id}/heatmap", get(heatmap))
        .route("/batches/{id}/notices", get(notices))
        .route("/batches/{id}/{export}", get(batch_export))
        .route("/reports/{id}", get(report))
        .route("/reports/{id}/file", get(original))
        .route("/findings/{fingerprint}/review", post(review))
        .route("/log", get(log))
        .route("/login", get(login_page).post(login))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&workbench),
            security::guard,
        ))
        .layer(axum::middleware::map_response(protect))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(workbench)
}

/// The pages carry no script: a policy that forbids scripts makes report text harmless even
/// where escaping were forgotten; no page may be framed by another site.
async fn protect(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// A failed request, shown as a page with its reason.
#[derive(Debug)]
pub struct Failure {
    status: StatusCode,
    reason: String,
}

impl Failure {
    fn new(status: StatusCode, reason: impl Into<String>) -> Failure {
        Failure {
            status,
            reason: reason.into(),
        }
    }

    fn not_found(what: &str) -> Failure {
        Failure::new(StatusCode::NOT_FOUND, format!("找不到{what}"))
    }
}

impl From<crate::DbError> for Failure {
    fn from(e: crate::DbError) -> Failure {
        tracing::error!("{e}");
        Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = pages::frame(
            "出错了",
            None,
            &format!(
                "<h1>出错了</h1><p class=\"error\">{}</p>",
                esc(&self.reason)
            ),
        );
        (self.status, Html(body)).into_response()
    }
}

type PageResult = Result<Response, Failure>;

/// Runs a handler's work on the blocking pool (database, parsing, rendering).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Failure> + Send + 'static,
) -> Result<T, Failure> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, format!("内部错误：{e}")))?
}

fn html(body: String) -> Response {
    Html(body).into_response()
}

async fn home(State(w): Shared) -> PageResult {
    blocking(move || {
        let batches = w.db.batches()?;
        Ok(html(pages::home(
            &batches,
            w.csrf_token(),
            w.options.max_file_bytes >> 20,
        )))
    })
    .await
}

async fn import_page(State(w): Shared) -> PageResult {
    let body = pages::frame(
        "导入报告",
        None,
        &pages::home::import_form(w.csrf_token(), w.options.max_file_bytes >> 20),
    );
    Ok(html(body))
}

/// An upload: the CSRF field first, then the files; each file is read up to the size limit
/// (beyond it, the file is a row saying so and its bytes are dropped).
async fn import_upload(State(w): Shared, mut form: Multipart) -> PageResult {
    let mut csrf_checked = false;
    let mut files: Vec<(String, Result<Vec<u8>, String>)> = Vec::new();
    let upload_failed = |e: axum::extract::multipart::MultipartError| {
        Failure::new(
            e.status(),
            format!("上传失败（upload failed）：{}", e.body_text()),
        )
    };
    while let Some(mut field) = form.next_field().await.map_err(upload_failed)? {
        match field.name() {
            Some("csrf") => {
                let given = field.text().await.map_err(upload_failed)?;
                if !w.security.csrf_ok(&given) {
                    return Err(csrf_failure());
                }
                csrf_checked = true;
            }
            Some("files") if !csrf_checked => return Err(csrf_failure()),
            Some("files") => {
                let name = field.file_name().unwrap_or_default().to_string();
                if name.is_empty() {
                    continue; // an empty file input
                }
                let mut bytes = Vec::new();
                let mut over = false;
                while let Some(chunk) = field.chunk().await.map_err(upload_failed)? {
                    if over || bytes.len() + chunk.len() > w.options.max_file_bytes {
                        over = true;
                        bytes = Vec::new();
                        continue;
                    }
                    bytes.extend_from_slice(&chunk);
                }
                let content = match over {
                    true => Err(format!(
                        "文件超过上传大小上限 {} MB（file over the upload limit）",
                        w.options.max_file_bytes >> 20
                    )),
                    false => Ok(bytes),
                };
                files.push((name, content));
            }
            _ => {}
        }
    }
    if !csrf_checked {
        return Err(csrf_failure());
    }
    if files.is_empty() {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "没有选择文件（no files in the upload）",
        ));
    }
    let batch = blocking(move || Ok(import::start_uploads(&w, files)?)).await?;
    Ok(Redirect::to(&format!("/batches/{batch}")).into_response())
}

fn csrf_failure() -> Failure {
    Failure::new(
        StatusCode::FORBIDDEN,
        "表单已过期或不是本工作台的页面提交的，请刷新页面再试（CSRF check failed）",
    )
}

fn batch_of(w: &Workbench, id: i64) -> Result<crate::db::Batch, Failure> {
    w.db.batch(id)?
        .ok_or_else(|| Failure::not_found(&format!("批次 {id}")))
}

async fn batch(
    State(w): Shared,
    Path(id): Path<i64>,
    Query(query): Query<pages::batch::RankingQuery>,
) -> PageResult {
    blocking(move || {
        let batch = batch_of(&w, id)?;
        let reports = w.db.report_summaries(&batch, Summary::Ranking)?;
        Ok(html(pages::ranking(&batch, &reports, &query)))
    })
    .await
}

async fn status(State(w): Shared, Path(id): Path<i64>) -> PageResult {
    blocking(move || {
        let b = batch_of(&w, id)?;
        let json = serde_json::json!({"running": b.running, "total": b.total, "done": b.done});
        Ok(axum::Json(json).into_response())
    })
    .await
}

async fn heatmap(State(w): Shared, Path(id): Path<i64>) -> PageResult {
    blocking(move || {
        let batch = batch_of(&w, id)?;
        let reports = w.db.report_summaries(&batch, Summary::Ranking)?;
        Ok(html(pages::heatmap(&batch, &reports)))
    })
    .await
}

async fn notices(State(w): Shared, Path(id): Path<i64>) -> PageResult {
    blocking(move || {
        let batch = batch_of(&w, id)?;
        let reports = w.db.notice_summaries(&batch)?;
        Ok(html(pages::notices(&batch, &reports)))
    })
    .await
}

async fn batch_export(State(w): Shared, Path((id, file)): Path<(i64, String)>) -> PageResult {
    let format = file
        .strip_prefix("export.")
        .and_then(ExportFormat::parse)
        .ok_or_else(|| Failure::not_found(&file))?;
    let content_type = format.content_type();
    let batch = {
        let w = Arc::clone(&w);
        blocking(move || batch_of(&w, id)).await?
    };
    let (send, mut receive) = tokio::sync::mpsc::channel(EXPORT_CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut out = BodyWriter {
            send: send.clone(),
            buffer: Vec::new(),
        };
        // A panic, like an error, must break the download off: a body that just ended
        // would look like a whole file.
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            export(&w.db, &batch, &format, &mut out)
                .and_then(|()| out.flush().map_err(|e| e.to_string()))
        }))
        .unwrap_or_else(|_| Err("导出时出错（a bug: the export panicked）".to_string()));
        if let Err(e) = written {
            tracing::warn!(batch = id, "export not finished: {e}");
            let _ = send.blocking_send(Err(std::io::Error::other(e)));
        }
    });
    // Most failures come before the first byte (the batch, the first read of its
    // reports): those are an error page; a later one breaks the download off.
    let first = match receive.recv().await {
        Some(Ok(chunk)) => chunk,
        Some(Err(e)) => {
            return Err(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                e.to_string(),
            ))
        }
        None => return Err(Failure::new(StatusCode::INTERNAL_SERVER_ERROR, "导出中断")),
    };
    let rest = futures_util::stream::unfold(receive, |mut receive| async move {
        receive.recv().await.map(|item| (item, receive))
    });
    let body =
        futures_util::StreamExt::chain(futures_util::stream::once(async move { Ok(first) }), rest);
    let disposition = format!("attachment; filename=\"nianbao-batch-{id}.{}\"", &file[7..]);
    Ok((
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        axum::body::Body::from_stream(body),
    )
        .into_response())
}

/// How many chunks of an export may wait for the client.
const EXPORT_CHUNKS_AHEAD: usize = 4;
/// The size of an export's chunks.
const EXPORT_CHUNK_BYTES: usize = 256 << 10;

/// An export written on a blocking thread, sent to the response body a chunk at a time: a
/// batch's export is never held whole. A closed download stops the export.
struct BodyWriter {
    send: tokio::sync::mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
    buffer: Vec<u8>,
}

impl std::io::Write for BodyWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= EXPORT_CHUNK_BYTES {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::take(&mut self.buffer);
        self.send.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was closed")
        })
    }
}

fn report_of(w: &Workbench, id: i64) -> Result<StoredReport, Failure> {
    w.db.report(id)?
        .ok_or_else(|| Failure::not_found(&format!("报告 {id}")))
}

async fn report(State(w): Shared, Path(id): Path<i64>) -> PageResult {
    blocking(move || {
        let stored = report_of(&w, id)?;
        let batch = batch_of(&w, stored.batch)?;
        let (previous, decisions) = match &stored.audited.outcome {
            Ok(a) => (
                w.db.predecessor(&a.report)?,
                w.db.decisions_of(a.report.organ.as_deref(), a.report.year)?,
            ),
            Err(_) => (None, Vec::new()),
        };
        let file = match &stored.sha256 {
            Some(sha) => w.db.stored_file(sha)?,
            None => None,
        };
        let text = match &file {
            Some(path) => w.pipeline.text(path),
            None => Err("没有保存原文件".into()),
        };
        let original = file.and_then(|path| std::fs::read(path).ok());
        let around = pages::report::Around {
            batch: &batch,
            previous: previous.as_ref(),
            decisions: &decisions,
            text,
            original,
            csrf: w.csrf_token(),
        };
        Ok(html(pages::report(&stored, &around)))
    })
    .await
}

/// The original file, always as a download: never shown inline, whatever it contains.
async fn original(State(w): Shared, Path(id): Path<i64>) -> PageResult {
    blocking(move || {
        let stored = report_of(&w, id)?;
        let sha = stored
            .sha256
            .as_deref()
            .ok_or_else(|| Failure::not_found("原文件"))?;
        let path =
            w.db.stored_file(sha)?
                .ok_or_else(|| Failure::not_found("原文件"))?;
        let bytes = std::fs::read(&path)
            .map_err(|e| Failure::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let base = stored
            .name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or("report")
            .to_string();
        let disposition = format!(
            "attachment; filename=\"report\"; filename*=UTF-8''{}",
            percent_encode(&base)
        );
        Ok((
            [
                (header::CONTENT_TYPE, "application/octet-stream".to_string()),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response())
    })
    .await
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[derive(Deserialize)]
struct ReviewForm {
    csrf: String,
    report: i64,
    decision: Option<String>,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    reviewer: String,
    #[serde(default)]
    action: String,
}

const MAX_REASON_CHARS: usize = 2000;
const MAX_REVIEWER_CHARS: usize = 100;

async fn review(
    State(w): Shared,
    Path(fingerprint): Path<String>,
    Form(form): Form<ReviewForm>,
) -> PageResult {
    if !w.security.csrf_ok(&form.csrf) {
        return Err(csrf_failure());
    }
    let reviewer = form.reviewer.trim().to_string();
    if reviewer.is_empty() || reviewer.chars().count() > MAX_REVIEWER_CHARS {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "请填写审核人（100 字以内）",
        ));
    }
    let reason = form.reason.trim().to_string();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "理由太长（2000 字以内）",
        ));
    }
    let report_id = form.report;
    blocking(move || {
        let stored = report_of(&w, report_id)?;
        let a = stored
            .audited
            .outcome
            .as_ref()
            .map_err(|_| Failure::not_found("这份报告的问题"))?;
        let i = a
            .fingerprints
            .iter()
            .position(|f| *f == fingerprint)
            .ok_or_else(|| Failure::not_found(&format!("问题 {fingerprint}")))?;
        let subject = DecisionSubject {
            fingerprint: &fingerprint,
            rule: &a.findings[i].rule,
            message: &a.findings[i].message,
            organ: a.report.organ.as_deref(),
            year: a.report.year,
        };
        match form.action.as_str() {
            "withdraw" => w.db.withdraw(&subject, &reviewer)?,
            _ => {
                let decision = form
                    .decision
                    .as_deref()
                    .and_then(Decision::parse)
                    .ok_or_else(|| Failure::new(StatusCode::BAD_REQUEST, "未知的审核结论"))?;
                w.db.decide(&subject, decision, &reason, &reviewer)?;
            }
        }
        let back = format!("/reports/{report_id}#f-{fingerprint}");
        Ok(Redirect::to(&back).into_response())
    })
    .await
}

async fn log(State(w): Shared) -> PageResult {
    blocking(move || Ok(html(pages::log(&w.db.log(500)?)))).await
}

async fn login_page() -> PageResult {
    Ok(html(pages::login(false)))
}

#[derive(Deserialize)]
struct LoginForm {
    token: String,
}

async fn login(State(w): Shared, Form(form): Form<LoginForm>) -> PageResult {
    match w.security.login(&form.token) {
        Some(session) => Ok((
            [(header::SET_COOKIE, session_cookie(&session))],
            Redirect::to("/"),
        )
            .into_response()),
        None => Ok((StatusCode::UNAUTHORIZED, Html(pages::login(true))).into_response()),
    }
}
