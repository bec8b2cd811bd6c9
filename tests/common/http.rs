//! One loopback HTTP(S) test server for every test that needs one (ISPDB,
//! autoconfig, a token endpoint): each connection on its own thread, the
//! request line and headers read with a bound, the body (when it has a
//! `Content-Length`) read up to 64 KiB, and the answer chosen by a route
//! function from the request.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The request target, e.g. `/v1.1/example.test`.
    pub path: String,
    pub body: Vec<u8>,
}

/// An answer: status line (e.g. `200 OK`), content type, body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: &'static str,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    pub fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status: "200 OK",
            content_type,
            body: body.into(),
        }
    }

    pub fn not_found() -> Response {
        Response {
            status: "404 Not Found",
            content_type: "text/plain",
            body: b"not found".to_vec(),
        }
    }
}

pub type Routes = Arc<dyn Fn(&Request) -> Response + Send + Sync>;

/// Starts the server on 127.0.0.1 (HTTPS when `tls` is given) and returns
/// its address. It lives as long as the test process.
pub fn serve(routes: Routes, tls: Option<Arc<rustls::ServerConfig>>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let addr = listener.local_addr().expect("its address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (routes, tls) = (routes.clone(), tls.clone());
            std::thread::spawn(move || {
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                match tls {
                    None => answer(stream, &routes),
                    Some(cfg) => {
                        let conn = rustls::ServerConnection::new(cfg).expect("TLS server");
                        answer(rustls::StreamOwned::new(conn, stream), &routes);
                    }
                }
            });
        }
    });
    addr
}

/// `serve` without TLS, every GET of a path in `files` answered with its
/// text (content type `text/xml`), anything else 404.
pub fn serve_files(files: Vec<(String, String)>) -> SocketAddr {
    let routes: Routes = Arc::new(move |req: &Request| {
        files
            .iter()
            .find(|(path, _)| *path == req.path)
            .map_or_else(Response::not_found, |(_, body)| {
                Response::ok("text/xml", body.clone())
            })
    });
    serve(routes, None)
}

const MAX_HEAD_LINES: usize = 100;
const MAX_BODY: usize = 64 * 1024;

fn answer<S: Read + Write>(stream: S, routes: &Routes) {
    let mut reader = BufReader::new(stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut length = 0usize;
    for _ in 0..MAX_HEAD_LINES {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; length.min(MAX_BODY)];
    let _ = reader.read_exact(&mut body);
    let mut words = first.split_whitespace();
    let request = Request {
        method: words.next().unwrap_or("").to_string(),
        path: words.next().unwrap_or("/").to_string(),
        body,
    };
    let response = routes(&request);
    let stream = reader.get_mut();
    let _ = write!(
        stream,
        "HTTP/1.1 {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        response.status,
        response.content_type,
        response.body.len()
    );
    let _ = stream.write_all(&response.body);
    let _ = stream.flush();
}
