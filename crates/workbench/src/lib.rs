//! The office's workbench: a local web app over a database of audited batches.
//!
//! Reports are imported (uploaded, or given on the command line), audited in the background
//! by the same pipeline as `nianbao audit`, and stored with their findings in SQLite
//! (`db`). Reviewers confirm or dismiss findings; a decision is stored by the finding's
//! fingerprint, so it re-attaches to the same finding in any later audit of the same report,
//! and scores are recomputed without what was dismissed. The pages (`pages`) are plain HTML
//! forms: every page works without a script.
//!
//! The workbench does not know how to audit: the command line hands it a [`Pipeline`].

pub mod db;
mod export;
mod import;
mod pages;
mod routes;
mod security;
pub mod setup;

pub use db::{sha256_hex, Db, DbError};
pub use import::store_audited;
pub use setup::Setup;

use nianbao_scorecard::Audited;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How the workbench audits files: the command line's pipeline, with its rule packs,
/// configuration and plugins.
pub trait Pipeline: Send + Sync + 'static {
    /// What audits run with, recorded with every batch.
    fn setup(&self) -> Setup;
    /// The report files under `paths` (folders walked), and the paths that cannot be listed
    /// with the reason.
    fn files(&self, paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>);
    /// Audits the report files under `paths`, handing results on in input order; a file that
    /// cannot be read is a result with its reason.
    fn audit(&self, paths: &[PathBuf], sink: &mut dyn FnMut(Vec<Audited>));
    /// The lines of a file's text as nianbao reads it (for the report page).
    fn text(&self, path: &Path) -> Result<Vec<String>, String>;
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    /// Required to log in when listening beyond this machine.
    pub token: Option<String>,
    /// Largest file an upload may carry.
    pub max_file_bytes: usize,
    /// Largest upload request (all its files).
    pub max_request_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: SocketAddr::from(([127, 0, 0, 1], 8470)),
            token: None,
            max_file_bytes: 50 << 20,
            max_request_bytes: 1 << 30,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("拒绝在 {0} 上监听而不设 --token：其他电脑可以访问此地址（listening beyond this machine needs --token）")]
    NeedsToken(SocketAddr),
    #[error("无法监听 {addr}（cannot listen）: {reason}")]
    Listen { addr: SocketAddr, reason: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What every request handler shares.
pub struct Workbench {
    pub db: Db,
    pub pipeline: Arc<dyn Pipeline>,
    pub options: Options,
    security: security::Security,
}

impl Workbench {
    pub fn new(
        db: Db,
        pipeline: Arc<dyn Pipeline>,
        options: Options,
    ) -> Result<Arc<Workbench>, ServeError> {
        if !options.listen.ip().is_loopback() && options.token.is_none() {
            return Err(ServeError::NeedsToken(options.listen));
        }
        let security = security::Security::new(options.token.clone());
        Ok(Arc::new(Workbench {
            db,
            pipeline,
            options,
            security,
        }))
    }

    /// The token every form posts back (tests read it from the pages, as a browser does).
    pub fn csrf_token(&self) -> &str {
        self.security.csrf()
    }
}

/// The routes, for the server and for in-process tests.
pub fn app(workbench: Arc<Workbench>) -> axum::Router {
    routes::router(workbench)
}

/// Imports the report files under `paths` as one batch, in the background.
pub fn import_paths(workbench: &Arc<Workbench>, paths: Vec<PathBuf>) -> Result<i64, DbError> {
    import::start_paths(workbench, paths)
}

/// Serves until interrupted; `ready` is told the address once listening (port 0 picks a
/// free one).
pub fn serve(workbench: Arc<Workbench>, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let addr = workbench.options.listen;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Listen {
            addr,
            reason: e.to_string(),
        })?;
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| ServeError::Listen {
                    addr,
                    reason: e.to_string(),
                })?;
        let bound = listener.local_addr().map_err(|e| ServeError::Listen {
            addr,
            reason: e.to_string(),
        })?;
        ready(bound);
        axum::serve(listener, app(workbench))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| ServeError::Listen {
                addr,
                reason: e.to_string(),
            })
    })
}
