//! Light pages for patients on phones: compressed pages and files, files revalidated rather
//! than fetched again, no WebAssembly on a page with nothing interactive, and public notice
//! views counted in memory rather than written on every view.

use crate::helpers::{TestApp, TestDb};

#[tokio::test]
async fn pages_and_files_are_compressed_and_files_revalidated() {
    // A built site of our own: a stylesheet, and the brotli copy a release build makes.
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    let css = "body { color: #212b32; }\n".repeat(200);
    std::fs::write(site.path().join("pkg/scr-portal.css"), &css).unwrap();
    std::fs::write(site.path().join("pkg/scr-portal.css.br"), b"pretend brotli").unwrap();
    let root = site.path().to_path_buf();
    let app = TestApp::spawn_with(TestDb::sqlite(), move |s| s.site_root = root).await;
    let http = reqwest::Client::new();

    let page = http.get(format!("{}/", app.address)).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["content-encoding"], "br", "the page is compressed as it goes out");
    let plain = http.get(format!("{}/", app.address)).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none(), "and sent plain to a client that takes no compression");

    let file = http.get(format!("{}/pkg/scr-portal.css", app.address)).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(file.headers()["content-encoding"], "br");
    assert_eq!(file.headers()["cache-control"], "no-cache", "kept by the browser, checked before use");
    let modified = file.headers()["last-modified"].to_str().unwrap().to_string();
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"pretend brotli", "the copy made at build time, not compressed again");
    let gzip = http.get(format!("{}/pkg/scr-portal.css", app.address)).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gzip.headers()["content-encoding"], "gzip", "no gzip copy on disk: compressed as it goes out");
    let again = http.get(format!("{}/pkg/scr-portal.css", app.address)).header("if-modified-since", &modified).send().await.unwrap();
    assert_eq!(again.status(), 304, "a second page load fetches nothing again");

    // The enhancer at its versioned address is kept for good; at its bare one, checked.
    std::fs::write(site.path().join("enhance.js"), "(() => {})();\n").unwrap();
    let versioned = http.get(format!("{}/enhance.js?v=0123abcd", app.address)).send().await.unwrap();
    assert_eq!(versioned.status(), 200);
    assert_eq!(versioned.headers()["cache-control"], "public, max-age=31536000, immutable");
    let bare = http.get(format!("{}/enhance.js", app.address)).send().await.unwrap();
    assert_eq!(bare.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn a_page_with_nothing_interactive_sends_no_webassembly() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    for path in ["/", "/areas/northshire/notices/main", "/access-log", "/your-requests"] {
        let page = amira.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains(".wasm"), "{path} preloads no WebAssembly");
        assert!(!page.body.contains("modulepreload"), "{path} preloads no module");
        assert!(!page.body.contains("((root, pkg_path"), "{path} has no hydration script");
        assert!(page.body.contains("/enhance.js"), "{path} still gets faster page changes");
    }
    // A form with a character count is interactive: it gets its WebAssembly.
    let form = amira.get("/objections/new").await;
    assert!(form.body.contains("<leptos-island"));
    assert!(form.body.contains(".wasm") && form.body.contains("((root, pkg_path"));
}

#[tokio::test]
async fn notice_views_are_counted_in_memory_and_written_in_batches() {
    // The test writes the views itself.
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.views_write_seconds = 3600).await;
    let mut reader = app.browser();
    let area = app.state.store.area_by_slug(&app::domain::AreaSlug::parse("northshire").unwrap()).await.unwrap().unwrap();
    let today = app::domain::uk_date(chrono::Utc::now());
    let written = || async { app.state.store.notice_views(area.id, today, today).await.unwrap().iter().map(|v| v.2).sum::<i64>() };
    let before = written().await;
    for _ in 0..3 {
        assert_eq!(reader.get("/areas/northshire/notices/main").await.status, 200);
    }
    assert_eq!(written().await, before, "a view is not a database write");
    assert_eq!(app.state.views.flush(&*app.state.store).await.unwrap(), 3);
    assert_eq!(written().await, before + 3, "written in one batch");
    assert_eq!(app.state.views.flush(&*app.state.store).await.unwrap(), 0, "and only once");
}

#[tokio::test]
async fn public_pages_are_sent_from_memory_to_everyone_not_signed_in() {
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.views_write_seconds = 3600).await;
    let http = reqwest::Client::new();
    let url = format!("{}/areas/northshire/notices/main", app.address);
    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let cache = first.headers()["cache-control"].to_str().unwrap().to_string();
    assert!(cache.starts_with("public, max-age=") && cache["public, max-age=".len()..].parse::<u32>().unwrap() <= 30, "{cache}");
    assert!(first.headers()["vary"].to_str().unwrap().contains("cookie"), "a signed-in reader's page is another page");
    assert!(first.headers().get("x-scr-public-page").is_none() && first.headers().get("x-scr-notice-view").is_none(), "the marks stay inside");
    let plain = first.text().await.unwrap();
    assert!(plain.contains("Northshire"));
    assert_eq!(app.state.public_pages.len(), 1, "kept");

    let second = http.get(&url).send().await.unwrap();
    assert_eq!(second.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(second.text().await.unwrap(), plain, "the same page");

    // A browser that holds it asks whether it changed.
    let held = http.get(&url).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(held.status(), 304);
    assert!(held.bytes().await.unwrap().is_empty());
    let stale = http.get(&url).header("if-none-match", "\"something-else\"").send().await.unwrap();
    assert_eq!(stale.status(), 200);

    // Compressed once, sent as the browser asks.
    let br = http.get(&url).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(br.headers()["content-encoding"], "br");
    let mut unpacked = Vec::new();
    brotli::BrotliDecompress(&mut std::io::Cursor::new(br.bytes().await.unwrap()), &mut unpacked).unwrap();
    assert_eq!(String::from_utf8(unpacked).unwrap(), plain);
    let gz = http.get(&url).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let mut unpacked = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(std::io::Cursor::new(gz.bytes().await.unwrap())), &mut unpacked).unwrap();
    assert_eq!(unpacked, plain);

    // Every view counts, from memory or not (six so far).
    assert_eq!(app.state.views.flush(&*app.state.store).await.unwrap(), 6);

    // A signed-in reader gets a fresh page that names her, kept by nobody.
    let mut amira = app.signed_in("demo-patient-p9").await;
    let hers = amira.get("/areas/northshire/notices/main").await;
    assert_eq!(hers.headers["cache-control"], "no-store");
    assert!(!hers.headers.contains_key("etag"));
    assert!(hers.body.contains("Sign out") && !plain.contains("Sign out"));
    // An address with a query, a page about a person, or a missing page: never kept.
    let queried = http.get(format!("{url}?utm=1")).send().await.unwrap();
    assert!(queried.headers().get("etag").is_none());
    assert_eq!(amira.get("/your-requests").await.headers["cache-control"], "no-store");
    let missing = http.get(format!("{}/areas/nowhere", app.address)).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("etag").is_none());
    // Another spelling of a page is rendered, never kept; a version that is no number is none.
    let spelled = http.get(format!("{}/areas/northshire%20", app.address)).send().await.unwrap();
    assert!(spelled.headers().get("etag").is_none(), "{}", spelled.status());
    let no_version = http.get(format!("{url}/versions/x1")).send().await.unwrap();
    assert_eq!(no_version.status(), 404);
    assert_eq!(app.state.public_pages.len(), 1);

    // A publication forgets what was kept.
    app.state.services().published();
    assert_eq!(app.state.public_pages.len(), 0);
}
