//! Public pages sent from memory, at the speed of a static file.
//!
//! A page that says while rendering that it is public (`app::server::public_pages`) is kept,
//! finished, the first time someone who is not signed in asks for it: plain, brotli and gzip,
//! with its headers and an ETag. The next readers who are not signed in get those bytes with no
//! render and no database work (a notice's view is still counted, in memory). Browsers may keep
//! the page for what is left of its time, and check it with `If-None-Match` after (304).
//!
//! Kept pages carry no nonce: the same bytes go to everyone, so their Content-Security-Policy
//! allows scripts from the portal's own origin only, and a page with any inline script is
//! never kept. Signed-in readers, addresses with a query, and anything but a `200` HTML page
//! pass straight through, as do the marks, which never leave the server.

use crate::auth::sessions::{cookie, SESSION_COOKIE};
use crate::state::AppState;
use app::server::public_pages::{read_marks, KeptPage, NOTICE_HEADER, PUBLIC_HEADER};
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use std::io::Write;

/// The largest page kept.
const MOST_BYTES: usize = 1024 * 1024;

/// Whether the request may have a kept page: a plain GET by someone not signed in.
fn eligible(req: &Request) -> bool {
    let path = req.uri().path();
    req.method() == Method::GET
        && req.uri().query().is_none()
        && app::server::public_pages::plain_path(path)
        && !path.starts_with("/pkg/")
        && !path.starts_with("/api/")
        && !path.starts_with("/fhir")
        && cookie(req.headers(), SESSION_COOKIE).is_none()
}

/// The outermost layer: a kept page is sent at once, before any other layer does any work
/// (like a static file server, it is not logged and has no request id: nothing can go wrong
/// that a reference would help find).
pub async fn send_kept(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if eligible(&req) {
        if let Some(page) = state.public_pages.get(req.uri().path(), Utc::now()) {
            if let Some(id) = page.notice {
                state.views.count(id, app::domain::uk_date(Utc::now()));
            }
            return send(&page, req.headers());
        }
    }
    next.run(req).await
}

/// Inside compression and the request's reference: a page that says it is public, rendered
/// for someone not signed in, is finished and kept (and sent as a kept page is).
pub async fn keep(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let eligible = eligible(&req);
    let path = req.uri().path().to_string();
    // What the browser takes, for the kept page's answer (only a page that may be kept needs it).
    let asked = if eligible { req.headers().clone() } else { HeaderMap::new() };
    let generation = state.public_pages.generation();
    let res = next.run(req).await;
    let (until, notice) = read_marks(res.headers(), Utc::now());
    let (mut parts, body) = res.into_parts();
    parts.headers.remove(PUBLIC_HEADER);
    parts.headers.remove(NOTICE_HEADER);
    let html = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    // A page of unknown or great size goes out as it is (the pages before this one have
    // already read it whole, so its size is known).
    let small = axum::body::HttpBody::size_hint(&body).exact().is_some_and(|n| n <= MOST_BYTES as u64);
    let Some(until) = until.filter(|_| eligible && html && small && parts.status == StatusCode::OK && !parts.headers.contains_key(header::SET_COOKIE)) else {
        return Response::from_parts(parts, body);
    };
    let Ok(bytes) = axum::body::to_bytes(body, MOST_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
    };
    let Some(plain) = std::str::from_utf8(&bytes).ok().and_then(without_nonces) else {
        // Not a page that can go to everyone alike (an inline script): sent as it is.
        return Response::from_parts(parts, Body::from(bytes));
    };
    // Compressing the page once, best quality, is worth it; it is done off the request threads.
    let Ok((brotli, gzip)) = tokio::task::spawn_blocking({
        let plain = plain.clone();
        move || compress(&plain)
    })
    .await
    else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(app::server::security::KEPT_PAGE_POLICY));
    let page = KeptPage {
        etag: etag(&plain),
        headers,
        plain: Bytes::from(plain),
        brotli: Bytes::from(brotli),
        gzip: Bytes::from(gzip),
        notice,
        until,
    };
    let res = send(&page, &asked);
    state.public_pages.put_if(generation, path, page);
    res
}

/// The kept page as the request asks for it: 304 when the browser holds this version, else
/// the best encoding it takes.
fn send(page: &KeptPage, asked: &HeaderMap) -> Response {
    let left = (page.until - Utc::now()).num_seconds().max(0);
    // Each encoding is another representation, with its own validator.
    let chosen = encoding(asked);
    let etag = match chosen {
        Encoding::Brotli => format!("{}-br\"", page.etag.trim_end_matches('"')),
        Encoding::Gzip => format!("{}-gz\"", page.etag.trim_end_matches('"')),
        Encoding::Identity => page.etag.clone(),
    };
    let mut res = if holds(asked, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = match chosen {
            Encoding::Brotli => (page.brotli.clone(), Some("br")),
            Encoding::Gzip => (page.gzip.clone(), Some("gzip")),
            Encoding::Identity => (page.plain.clone(), None),
        };
        let mut res = Response::new(Body::from(body));
        *res.headers_mut() = page.headers.clone();
        if let Some(e) = encoding {
            res.headers_mut().insert(header::CONTENT_ENCODING, HeaderValue::from_static(e));
        }
        res
    };
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={left}")) {
        h.insert(header::CACHE_CONTROL, v);
    }
    // Another encoding, or a signed-in reader (whose page names them), is another page.
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding, cookie"));
    res
}

/// Whether `If-None-Match` names this version (or any).
fn holds(asked: &HeaderMap, etag: &str) -> bool {
    asked
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*")
}

#[derive(Debug, PartialEq, Eq)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

/// The encoding to send: brotli, else gzip, when the browser takes it (a `q=0` refuses).
fn encoding(asked: &HeaderMap) -> Encoding {
    // Each named coding: taken or refused; `*` speaks for those not named.
    let (mut br, mut gzip, mut any) = (None, None, false);
    for part in asked.get_all(header::ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')) {
        let mut bits = part.split(';');
        let coding = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let refused = bits.any(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()).is_some_and(|q| q <= 0.0));
        match coding.as_str() {
            "br" => br = Some(!refused),
            "gzip" => gzip = Some(!refused),
            "*" => any = !refused,
            _ => {}
        }
    }
    let (br, gzip) = (br.unwrap_or(any), gzip.unwrap_or(any));
    if br {
        Encoding::Brotli
    } else if gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// A strong validator of the page: the first 128 bits of its SHA-256.
fn etag(plain: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(plain.as_bytes());
    format!("\"{}\"", hex::encode(&digest[..16]))
}

/// The page without its scripts' nonces (the kept page's policy names none), or `None` when it
/// has an inline script, which a page sent to everyone alike cannot carry.
pub fn without_nonces(html: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let end = rest[start..].find('>').map(|i| start + i + 1)?;
        let tag = &rest[start..end];
        if !tag.contains(" src=") {
            return None;
        }
        out.push_str(&rest[..start]);
        out.push_str(&drop_nonce(tag));
        rest = &rest[end..];
    }
    out.push_str(rest);
    Some(out)
}

fn drop_nonce(tag: &str) -> String {
    let Some(at) = tag.find(" nonce=\"") else { return tag.to_string() };
    let value_start = at + " nonce=\"".len();
    match tag[value_start..].find('"') {
        Some(len) => format!("{}{}", &tag[..at], &tag[value_start + len + 1..]),
        None => tag.to_string(),
    }
}

fn compress(plain: &str) -> (Vec<u8>, Vec<u8>) {
    let mut brotli = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        let _ = w.write_all(plain.as_bytes());
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = gz.write_all(plain.as_bytes());
    (brotli, gz.finish().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_taken_out_and_inline_scripts_refuse_keeping() {
        let page = r#"<head><script type="module" src="/enhance.js" nonce="abc123"></script><link rel="stylesheet" href="/pkg/x.css"></head><body>nonce="kept text"</body>"#;
        let kept = without_nonces(page).unwrap();
        assert_eq!(kept, r#"<head><script type="module" src="/enhance.js"></script><link rel="stylesheet" href="/pkg/x.css"></head><body>nonce="kept text"</body>"#);
        assert!(without_nonces(r#"<script nonce="a">alert(1)</script>"#).is_none());
        assert!(without_nonces("<script").is_none());
        assert_eq!(without_nonces("<p>no scripts</p>").as_deref(), Some("<p>no scripts</p>"));
    }

    #[test]
    fn the_best_encoding_the_browser_takes() {
        let asked = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, v.parse().unwrap());
            h
        };
        assert_eq!(encoding(&asked("gzip, deflate, br, zstd")), Encoding::Brotli);
        assert_eq!(encoding(&asked("gzip")), Encoding::Gzip);
        assert_eq!(encoding(&asked("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(encoding(&asked("identity")), Encoding::Identity);
        assert_eq!(encoding(&asked("*")), Encoding::Brotli);
        assert_eq!(encoding(&asked("br;q=0, *")), Encoding::Gzip, "a refusal stands whatever * says");
        assert_eq!(encoding(&asked("br;q=0, gzip;q=0, *")), Encoding::Identity);
        assert_eq!(encoding(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn if_none_match_names_the_version() {
        let mut h = HeaderMap::new();
        assert!(!holds(&h, "\"a\""));
        h.insert(header::IF_NONE_MATCH, "\"b\", W/\"a\"".parse().unwrap());
        assert!(holds(&h, "\"a\""));
        assert!(!holds(&h, "\"c\""));
    }
}
