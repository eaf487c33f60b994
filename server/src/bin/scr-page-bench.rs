//! The light-pages benchmark: what a patient's phone downloads, and how fast public pages are
//! served. It starts the portal on SQLite with the demonstration data and the built site, then
//! prints, for the start page, an area's privacy notice and the objection form (signed in):
//! the bytes of a first visit (the page and every file it loads, brotli as a browser asks) and
//! of a second (the files are cached); and the requests a second of the public notice page
//! against a file from the site (what a static server does). It prints figures; it asserts
//! nothing.
//!
//! `./scripts/bench-pages` (builds the release site first).

use clap::Parser;
use server::config::{Secret, Settings, Toggle};
use server::startup::Application;
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Measures page weight and public page throughput")]
struct Args {
    /// The built site (`cargo leptos build --release --precompress` writes target/site).
    #[arg(long, default_value = "target/site")]
    site: std::path::PathBuf,
    /// Concurrent clients for the throughput figures.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Seconds each throughput figure runs for.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
}

/// Every file under /pkg a page names (stylesheet, module, WebAssembly).
fn assets(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for part in html.split("\"/pkg/").skip(1) {
        if let Some(name) = part.split('"').next() {
            let path = format!("/pkg/{name}");
            if !found.contains(&path) {
                found.push(path);
            }
        }
    }
    found
}

async fn fetch(http: &reqwest::Client, url: &str, cookie: &str) -> (u16, usize, Option<String>) {
    let res = http.get(url).header("accept-encoding", "br, gzip").header("cookie", cookie).send().await.expect("request");
    let status = res.status().as_u16();
    let encoding = res.headers().get("content-encoding").and_then(|v| v.to_str().ok()).map(String::from);
    let bytes = res.bytes().await.expect("body").len();
    (status, bytes, encoding)
}

/// Requests a second for one path, from `concurrency` clients.
async fn rate(base: &str, path: &str, concurrency: usize, seconds: u64) -> f64 {
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let url = format!("{base}{path}");
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0u64;
            while Instant::now() < until {
                let res = http.get(&url).header("accept-encoding", "br").send().await.expect("request");
                let _ = res.bytes().await;
                n += 1;
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.expect("client");
    }
    total as f64 / seconds as f64
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let dir = tempfile_dir();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut settings = Settings::defaults();
    settings.database_url = Secret::new(format!("sqlite://{}/pages.db", dir.display()));
    settings.public_url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    settings.demo_sign_in = Toggle::On;
    settings.demo_data = Toggle::On;
    settings.site_root = std::fs::canonicalize(&args.site).expect("the built site exists (cargo leptos build --release --precompress)");
    settings.sign_in_rate_per_minute = 10_000;
    let app = Application::build_on(settings, listener).await.expect("the portal starts");
    let base = format!("http://127.0.0.1:{port}");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let signed_in = http.post(format!("{base}/auth/demo")).form(&[("person", "demo-patient-p9")]).send().await.expect("sign in");
    let cookie: String = signed_in
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");

    println!("Page weight (brotli, as a browser asks for it), site {}", args.site.display());
    for (name, path, who) in [("start page", "/", ""), ("privacy notice", "/areas/northshire/notices/main", ""), ("objection form, signed in", "/objections/new", cookie.as_str())] {
        let res = http.get(format!("{base}{path}")).header("accept-encoding", "br, gzip").header("cookie", who).send().await.expect("page");
        let status = res.status().as_u16();
        let encoding = res.headers().get("content-encoding").and_then(|v| v.to_str().ok()).unwrap_or("none").to_string();
        let body = res.bytes().await.expect("page body");
        // The page compressed on the wire; its files named in it (read from the plain copy).
        let plain = http.get(format!("{base}{path}")).header("cookie", who).send().await.expect("page").text().await.unwrap_or_default();
        let mut files = 0usize;
        let mut listed = Vec::new();
        for asset in assets(&plain) {
            let (s, bytes, enc) = fetch(&http, &format!("{base}{asset}"), "").await;
            if s == 200 {
                files += bytes;
                let kind = asset.rsplit('.').next().unwrap_or("");
                listed.push(format!("{kind} {:.1} KB ({})", bytes as f64 / 1024.0, enc.unwrap_or_else(|| "none".into())));
            }
        }
        println!(
            "  {name:<27} {status}  first visit {:>7.1} KB (page {:.1} KB {encoding}; {})   later visits {:>5.1} KB",
            (body.len() + files) as f64 / 1024.0,
            body.len() as f64 / 1024.0,
            if listed.is_empty() { "no files".to_string() } else { listed.join(", ") },
            body.len() as f64 / 1024.0,
        );
    }

    let css = assets(&http.get(format!("{base}/")).send().await.expect("page").text().await.unwrap_or_default())
        .into_iter()
        .find(|a| a.ends_with(".css"))
        .expect("the start page links its stylesheet");
    // A few first, so the figures are of a running portal.
    rate(&base, "/areas/northshire/notices/main", 2, 1).await;
    let notice = rate(&base, "/areas/northshire/notices/main", args.concurrency, args.seconds).await;
    let file = rate(&base, &css, args.concurrency, args.seconds).await;
    println!("Throughput ({} clients, {} s each)", args.concurrency, args.seconds);
    println!("  privacy notice page  {notice:>9.0} requests/s");
    println!("  stylesheet file      {file:>9.0} requests/s   (notice/file: {:.2})", notice / file);
    let _ = tx.send(());
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scr-page-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}
