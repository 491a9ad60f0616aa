//! Who may use the workbench and how forms are protected.
//!
//! On 127.0.0.1 anyone at this PC may; beyond it, a login with the `--token` sets a session
//! cookie (HttpOnly, SameSite=Strict). Every POST carries the server's CSRF token, which only
//! its own pages hold, and a POST another site sends is refused before that.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

pub const SESSION_COOKIE: &str = "nianbao_session";

pub struct Security {
    token: Option<String>,
    csrf: String,
    sessions: Mutex<HashSet<String>>,
}

impl Security {
    pub fn new(token: Option<String>) -> Security {
        Security {
            token,
            csrf: random_token(),
            sessions: Mutex::new(HashSet::new()),
        }
    }

    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    pub fn needs_login(&self) -> bool {
        self.token.is_some()
    }

    /// A new session when `given` is the token.
    pub fn login(&self, given: &str) -> Option<String> {
        let token = self.token.as_deref()?;
        if !same(token.as_bytes(), given.as_bytes()) {
            return None;
        }
        let session = random_token();
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(session.clone());
        Some(session)
    }

    fn logged_in(&self, headers: &HeaderMap) -> bool {
        let Some(session) = cookie(headers, SESSION_COOKIE) else {
            return false;
        };
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(&session)
    }

    /// Whether a posted form's token is the server's.
    pub fn csrf_ok(&self, given: &str) -> bool {
        same(self.csrf.as_bytes(), given.as_bytes())
    }
}

/// Refuses cross-site POSTs, and sends visitors without a session to the login page.
pub async fn guard(
    State(workbench): State<Arc<crate::Workbench>>,
    request: Request,
    next: Next,
) -> Response {
    let security = &workbench.security;
    if request.method() == Method::POST && cross_site(request.headers()) {
        return (
            StatusCode::FORBIDDEN,
            "拒绝来自其他网站的提交（cross-site request refused）",
        )
            .into_response();
    }
    let path = request.uri().path();
    if security.needs_login() && path != "/login" && !security.logged_in(request.headers()) {
        return match request.method() == Method::GET {
            true => Redirect::to("/login").into_response(),
            false => (StatusCode::UNAUTHORIZED, "请先登录（log in first）").into_response(),
        };
    }
    next.run(request).await
}

/// What a browser says of where a request comes from: `Sec-Fetch-Site` when it sends one.
fn cross_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
}

pub fn session_cookie(session: &str) -> String {
    format!("{SESSION_COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/")
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn random_token() -> String {
    let mut bytes = [0u8; 24];
    if getrandom::fill(&mut bytes).is_err() {
        // No generator: tokens from the clock and the process, still unguessable from afar
        // in practice, and the failure is logged.
        tracing::warn!("the operating system's random generator failed; tokens from the clock");
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let seed = nanos ^ (std::process::id() as u128) << 64;
        bytes[..16].copy_from_slice(&seed.to_le_bytes());
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_logs_in() {
        let s = Security::new(Some("secret".into()));
        assert!(s.login("wrong").is_none());
        assert!(s.login("secre").is_none());
        let session = s.login("secret").expect("logs in");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            format!("a=b; {SESSION_COOKIE}={session}")
                .parse()
                .expect("header"),
        );
        assert!(s.logged_in(&headers));
        assert!(!s.logged_in(&HeaderMap::new()));
        assert!(Security::new(None).login("anything").is_none());
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 48);
    }
}
