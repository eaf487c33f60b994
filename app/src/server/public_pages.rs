//! Public pages kept in memory, ready to send.
//!
//! A page that is the same for everyone who is not signed in (an area's privacy notice, its
//! previous versions, engagement and figures, the start page) says so while it renders
//! ([`mark_public`]). The server then keeps the finished page (brotli, gzip and plain, with its
//! headers and an ETag) and sends it again to the next reader who is not signed in, without
//! rendering or touching the database: see `server::public_pages`. A page is kept for
//! [`KEEP_SECONDS`] at most, or until a version scheduled to come into force does; a
//! publication on this instance forgets every kept page at once, another instance's shows within
//! the same time. Signed-in readers always get a fresh page (it names them in the header).

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use http::HeaderMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Marks the page being rendered as public; the server strips it before the page goes out.
pub const PUBLIC_HEADER: &str = "x-scr-public-page";
/// The notice a public page shows (its id), so a page sent from memory still counts a view.
pub const NOTICE_HEADER: &str = "x-scr-notice-view";
/// The longest a page is kept, here and in browsers.
pub const KEEP_SECONDS: i64 = 30;

/// Says the page being rendered is the same for everyone not signed in, and may be kept until
/// `until` (when something scheduled changes it) or [`KEEP_SECONDS`], whichever is sooner.
pub fn mark_public(until: Option<DateTime<Utc>>) {
    use leptos::prelude::use_context;
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else { return };
    let value = until.map_or_else(|| "keep".to_string(), |u| format!("until={}", u.timestamp()));
    if let Ok(v) = http::HeaderValue::from_str(&value) {
        res.insert_header(http::HeaderName::from_static(PUBLIC_HEADER), v);
    }
}

/// Says which notice the page being rendered shows, for the view count.
pub fn mark_notice(notice_id: i64) {
    use leptos::prelude::use_context;
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else { return };
    res.insert_header(http::HeaderName::from_static(NOTICE_HEADER), http::HeaderValue::from(notice_id));
}

/// What the marks of a rendered page say: until when it may be kept (`None`: not public).
pub fn read_marks(headers: &HeaderMap, now: DateTime<Utc>) -> (Option<DateTime<Utc>>, Option<i64>) {
    let most = now + chrono::Duration::seconds(KEEP_SECONDS);
    let until = headers.get(PUBLIC_HEADER).and_then(|v| v.to_str().ok()).map(|v| {
        v.strip_prefix("until=")
            .and_then(|t| t.parse::<i64>().ok())
            .and_then(|t| DateTime::from_timestamp(t, 0))
            .map_or(most, |t| t.min(most))
    });
    let notice = headers.get(NOTICE_HEADER).and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (until, notice)
}

/// A finished page, as kept.
#[derive(Debug)]
pub struct KeptPage {
    /// The response's headers, without a body length or encoding.
    pub headers: HeaderMap,
    pub plain: Bytes,
    pub brotli: Bytes,
    pub gzip: Bytes,
    /// A strong validator of the plain page (`"…"`, quotes included).
    pub etag: String,
    /// The notice it shows, whose view count goes up each time it is sent.
    pub notice: Option<i64>,
    pub until: DateTime<Utc>,
}

/// The pages kept, by path.
#[derive(Default)]
pub struct PublicPages {
    pages: Mutex<HashMap<String, Arc<KeptPage>>>,
    /// One more at each publication: a page rendered from data read before it is not kept.
    generation: AtomicU64,
}

/// Whether a path may be a key: the plain form of a portal address only (lower-case letters,
/// digits, hyphens, single slashes, numbers without leading zeros, at most 160 characters).
/// The same page reached by another spelling (`%20`, `01`) is rendered, never kept, so the
/// kept pages are the portal's real pages and no more.
pub fn plain_path(path: &str) -> bool {
    path.len() <= 160
        && path.starts_with('/')
        && !path.contains("//")
        && path.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/')
        && path.split('/').all(|seg| !(seg.len() > 1 && seg.starts_with('0') && seg.bytes().all(|b| b.is_ascii_digit())))
}

impl PublicPages {
    /// Most pages kept: with plain paths only these are the portal's real public pages, so
    /// this is a backstop.
    const MOST: usize = 2000;

    /// The publication count now: read before rendering, given back to [`Self::put_if`].
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Keeps the page unless something was published since `generation` was read.
    pub fn put_if(&self, generation: u64, path: String, page: KeptPage) {
        if let Ok(mut pages) = self.pages.lock() {
            if self.generation() == generation {
                Self::insert(&mut pages, path, page);
            }
        }
    }

    pub fn get(&self, path: &str, now: DateTime<Utc>) -> Option<Arc<KeptPage>> {
        let pages = self.pages.lock().ok()?;
        pages.get(path).filter(|p| now < p.until).cloned()
    }

    pub fn put(&self, path: String, page: KeptPage) {
        if let Ok(mut pages) = self.pages.lock() {
            Self::insert(&mut pages, path, page);
        }
    }

    fn insert(pages: &mut HashMap<String, Arc<KeptPage>>, path: String, page: KeptPage) {
        if pages.len() >= Self::MOST {
            pages.retain(|_, p| Utc::now() < p.until);
            if pages.len() >= Self::MOST {
                pages.clear();
            }
        }
        pages.insert(path, Arc::new(page));
    }

    /// Forgets every page (after a publication), and any being rendered now.
    pub fn clear(&self) {
        if let Ok(mut pages) = self.pages.lock() {
            self.generation.fetch_add(1, Ordering::SeqCst);
            pages.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.pages.lock().map(|p| p.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_say_until_when_a_page_may_be_kept() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut h = HeaderMap::new();
        assert_eq!(read_marks(&h, now), (None, None));
        h.insert(PUBLIC_HEADER, "keep".parse().unwrap());
        assert_eq!(read_marks(&h, now).0, Some(now + chrono::Duration::seconds(KEEP_SECONDS)));
        // A version due sooner than the keeping time ends it; one later does not lengthen it.
        h.insert(PUBLIC_HEADER, format!("until={}", now.timestamp() + 5).parse().unwrap());
        assert_eq!(read_marks(&h, now).0, Some(now + chrono::Duration::seconds(5)));
        h.insert(PUBLIC_HEADER, format!("until={}", now.timestamp() + 5000).parse().unwrap());
        assert_eq!(read_marks(&h, now).0, Some(now + chrono::Duration::seconds(KEEP_SECONDS)));
        h.insert(NOTICE_HEADER, "42".parse().unwrap());
        assert_eq!(read_marks(&h, now).1, Some(42));
    }

    /// A kept page with nothing in it, kept until `until`.
    fn empty_page(until: DateTime<Utc>) -> KeptPage {
        KeptPage { headers: HeaderMap::new(), plain: Bytes::new(), brotli: Bytes::new(), gzip: Bytes::new(), etag: "\"x\"".into(), notice: None, until }
    }

    #[test]
    fn only_plain_paths_are_keys() {
        for ok in ["/", "/areas/northshire", "/areas/northshire/notices/easy-read/versions/12", "/accessibility"] {
            assert!(plain_path(ok), "{ok}");
        }
        for not in ["/areas/northshire%20", "/areas/Northshire", "//areas", "/areas/x/versions/01", "/areas/x/../y", "/areas/x.y", &format!("/{}", "a".repeat(200))] {
            assert!(!plain_path(not), "{not}");
        }
    }

    #[test]
    fn a_page_rendered_before_a_publication_is_not_kept() {
        let pages = PublicPages::default();
        let until = Utc::now() + chrono::Duration::seconds(30);
        let before = pages.generation();
        pages.clear();
        pages.put_if(before, "/".into(), empty_page(until));
        assert!(pages.is_empty(), "rendered from what was there before the publication");
        pages.put_if(pages.generation(), "/".into(), empty_page(until));
        assert_eq!(pages.len(), 1);
    }

    #[test]
    fn expired_pages_are_not_given_out_and_the_map_is_bounded() {
        let pages = PublicPages::default();
        let now = Utc::now();
        let page = empty_page;
        pages.put("/old".into(), page(now - chrono::Duration::seconds(1)));
        assert!(pages.get("/old", now).is_none());
        for i in 0..PublicPages::MOST + 10 {
            pages.put(format!("/p{i}"), page(now + chrono::Duration::seconds(30)));
        }
        assert!(pages.len() <= PublicPages::MOST);
        pages.clear();
        assert!(pages.is_empty());
    }
}
