//! The authorization code grant with PKCE (S256) and a loopback redirect
//! (RFC 8252): listen on 127.0.0.1 on a free port, send the user's browser
//! to the provider, receive the code on the redirect, exchange it.

use super::http::{self, encode, query_pairs};
use super::pkce::{challenge_s256, new_verifier, random_token};
use super::redirect::{self, RequestError};
use super::{Client, OauthError, TokenSet, now_secs};
use crate::i18n::{Lang, t};
use crate::secret::Secret;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A sign-in waiting for the browser's redirect.
pub struct BrowserSignIn {
    listener: TcpListener,
    verifier: Secret,
    state: String,
    redirect_uri: String,
    /// The address to open in a browser.
    pub url: String,
}

impl BrowserSignIn {
    /// Listens on 127.0.0.1 (free port) and builds the authorization URL.
    pub fn start(client: &Client) -> Result<BrowserSignIn, OauthError> {
        let auth_url = client
            .endpoints
            .auth_url
            .as_deref()
            .ok_or(OauthError::NoEndpoint {
                what: "authorization",
            })?;
        client.endpoints.token_url()?;
        let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| OauthError::Listener {
            detail: e.to_string(),
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| OauthError::Listener {
                detail: e.to_string(),
            })?
            .port();
        let redirect_uri = format!("http://127.0.0.1:{port}/");
        let verifier = new_verifier();
        let state = random_token(16);
        let mut params = vec![
            ("response_type", "code".to_string()),
            ("client_id", client.client_id.clone()),
            ("redirect_uri", redirect_uri.clone()),
            ("scope", client.endpoints.scope.clone()),
            ("state", state.clone()),
            ("code_challenge", challenge_s256(&verifier)),
            ("code_challenge_method", "S256".to_string()),
        ];
        if !client.login_hint.is_empty() {
            params.push(("login_hint", client.login_hint.clone()));
        }
        // Google gives a refresh token only when asked for offline access.
        if auth_url.contains("accounts.google.com") {
            params.push(("access_type", "offline".to_string()));
            params.push(("prompt", "consent".to_string()));
        }
        let query: Vec<String> = params
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let sep = if auth_url.contains('?') { '&' } else { '?' };
        Ok(BrowserSignIn {
            url: format!("{auth_url}{sep}{}", query.join("&")),
            listener,
            verifier: Secret::new(verifier),
            state,
            redirect_uri,
        })
    }

    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the redirect (at most `timeout`, or until `cancel`), then
    /// exchanges the code. The browser gets a short page in `lang`.
    pub fn finish(
        self,
        client: &Client,
        lang: Lang,
        timeout: Duration,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<TokenSet, OauthError> {
        let deadline = super::deadline_in(timeout);
        let code = self
            .wait_for_code(lang, deadline, cancel)
            .map_err(|e| match e {
                OauthError::Provider { error, description } => {
                    client.refused(&error, &description, None)
                }
                e => e,
            })?;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("code_verifier", self.verifier.expose()),
        ];
        form.extend(client.client_fields());
        let answer = http::post_form_by(client.endpoints.token_url()?, &form, deadline)?;
        if answer.status == 200 && answer.error().is_none() {
            TokenSet::from_answer(&answer, now_secs(), None)
        } else {
            Err(client.refused_answer(&answer, None))
        }
    }

    /// Answers every connection until the redirect with the right `state`
    /// arrives. Other requests (a favicon, a wrong or missing `state`, a
    /// slow or oversized request) get an error page and are ignored, so a
    /// stray or hostile request cannot end the sign-in.
    fn wait_for_code(
        &self,
        lang: Lang,
        deadline: Instant,
        cancel: Option<Arc<AtomicBool>>,
    ) -> Result<Secret, OauthError> {
        let listen_err = |e: std::io::Error| OauthError::Listener {
            detail: e.to_string(),
        };
        self.listener.set_nonblocking(true).map_err(listen_err)?;
        let mut saw_wrong_state = false;
        loop {
            if cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(OauthError::Cancelled);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(if saw_wrong_state {
                    OauthError::StateMismatch
                } else {
                    OauthError::Expired
                });
            }
            match self.listener.accept() {
                Ok((stream, _)) => match self.answer(stream, lang, deadline) {
                    Visit::Done(result) => return result,
                    Visit::WrongState => saw_wrong_state = true,
                    Visit::Ignored => {}
                },
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(50).min(left));
                }
                Err(e) => return Err(listen_err(e)),
            }
        }
    }

    /// Reads one request (bounded) and answers it.
    fn answer(&self, mut stream: TcpStream, lang: Lang, deadline: Instant) -> Visit {
        let request_deadline = deadline.min(Instant::now() + redirect::PER_REQUEST);
        let first = match redirect::read_request_line(&mut stream, request_deadline) {
            Ok(line) => line,
            Err(e) => {
                let status = match e {
                    RequestError::TooLarge => "431 Request Header Fields Too Large",
                    RequestError::TooSlow => "408 Request Timeout",
                    RequestError::Broken => "400 Bad Request",
                };
                redirect::respond(&mut stream, status, "", request_deadline);
                return Visit::Ignored;
            }
        };
        let target = first.split_whitespace().nth(1).unwrap_or("");
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let pairs = query_pairs(query);
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if path != "/" || (get("code").is_none() && get("error").is_none()) {
            redirect::respond(&mut stream, "404 Not Found", "", request_deadline);
            return Visit::Ignored;
        }
        if get("state") != Some(self.state.as_str()) {
            let page = page(lang, "oauth.limits.page_wrong_state");
            redirect::respond(&mut stream, "400 Bad Request", &page, request_deadline);
            return Visit::WrongState;
        }
        let result = if let Some(error) = get("error") {
            // Explained (or `Denied`) by `finish`, which has the client.
            Err(OauthError::Provider {
                error: crate::net::clean_text(error.as_bytes()),
                description: crate::net::clean_text(
                    get("error_description").unwrap_or("").as_bytes(),
                ),
            })
        } else {
            Ok(Secret::new(get("code").unwrap_or("")))
        };
        let key = if result.is_ok() {
            "oauth.browser.page_ok"
        } else {
            "oauth.browser.page_failed"
        };
        redirect::respond(&mut stream, "200 OK", &page(lang, key), request_deadline);
        Visit::Done(result)
    }
}

/// What one connection to the redirect listener was.
enum Visit {
    /// The redirect of this sign-in: its code, or the provider's refusal.
    Done(Result<Secret, OauthError>),
    /// A redirect whose `state` is not this sign-in's (forged or stale).
    WrongState,
    /// Anything else (a favicon, a malformed, slow or oversized request).
    Ignored,
}

fn page(lang: Lang, key: &str) -> String {
    format!(
        "<!doctype html><meta charset=\"utf-8\"><title>mailwiz</title><p>{}</p>\n",
        t(lang, key)
    )
}

/// Whether a graphical display is here (`$DISPLAY` or `$WAYLAND_DISPLAY`),
/// recorded once by the face at start-up; the core reads no environment.
static DISPLAY_HERE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Records, once, whether a graphical display is here.
pub fn record_display(present: bool) {
    let _ = DISPLAY_HERE.set(present);
}

/// Opens `url` in the user's browser with `xdg-open` (`open` on macOS);
/// false when that is not possible (no display recorded), so the face
/// prints it.
pub fn open_browser(url: &str) -> bool {
    if !DISPLAY_HERE.get().copied().unwrap_or(false) && !cfg!(target_os = "macos") {
        return false;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .is_ok()
}
