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
