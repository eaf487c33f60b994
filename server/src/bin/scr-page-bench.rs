//! The light-pages benchmark: what a patient's phone downloads, how fast public pages are
//! served, and what Lighthouse makes of the pages. It starts the portal on SQLite with the
//! demonstration data and the built site, then prints:
//!
//! - for the start page, an area's notice, Your choices, the objection form, Your requests and
//!   the access log (the last four signed in): the bytes a first visit transfers (the page and
//!   every file its head names, brotli as a browser asks) by kind, and a second visit's (files
//!   the browser may keep are not fetched again);
//! - requests a second and p50/p99 latency of the public notice page under `wrk` (64
//!   connections), beside nginx serving the same bytes from a file in the same run, and the
//!   same page rendered afresh for a signed-in reader;
//! - Lighthouse's mobile scores (performance, accessibility, best practices) for the six pages,
//!   when `--lighthouse` names the program.
//!
//! It prints figures; it asserts nothing. `./scripts/bench-pages` builds the release site and
//! installs nginx, wrk and Lighthouse first.

use clap::Parser;
use server::config::{Secret, Settings, Toggle};
use server::startup::Application;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Parser, Debug)]
#[command(about = "Measures page weight, public page throughput and Lighthouse scores")]
struct Args {
    /// The built site (`cargo leptos build --release --precompress` writes target/site).
    #[arg(long, default_value = "target/site")]
    site: PathBuf,
    /// Connections for the throughput figures.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Seconds each throughput figure runs for.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// The load generator.
    #[arg(long, default_value = "wrk")]
    wrk: String,
    /// nginx, to serve the same bytes from a file.
    #[arg(long, default_value = "/usr/sbin/nginx")]
    nginx: String,
    /// Lighthouse's command-line program (npm `lighthouse`); no scores without it.
    #[arg(long)]
    lighthouse: Option<PathBuf>,
    /// The Chromium Lighthouse drives.
    #[arg(long, default_value = "/usr/bin/chromium")]
    chromium: String,
}

/// The pages measured: name, path, signed in.
const PAGES: [(&str, &str, bool); 6] = [
    ("start page", "/", false),
    ("area privacy notice", "/areas/northshire", false),
    ("Your choices", "/your-choices", true),
    ("objection form", "/objections/new", true),
    ("Your requests", "/your-requests", true),
    ("access log", "/access-log", true),
];

/// The notice page the throughput figures use.
const NOTICE: &str = "/areas/northshire/notices/main";

/// Every same-site file the page's head names (stylesheet, scripts, preloads, icon).
fn head_files(html: &str) -> Vec<String> {
    let head = html.split("</head>").next().unwrap_or("");
    let mut found = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in head.split(attr).skip(1) {
            if let Some(value) = part.split('"').next() {
                if value.starts_with('/') && !value.starts_with("//") && !found.contains(&value.to_string()) {
                    found.push(value.to_string());
                }
            }
        }
    }
    found
}

struct Fetched {
    status: u16,
    bytes: usize,
    cache_control: String,
}

async fn fetch(http: &reqwest::Client, url: &str, cookie: &str) -> Fetched {
    let res = http.get(url).header("accept-encoding", "br, gzip").header("cookie", cookie).send().await.expect("request");
    let status = res.status().as_u16();
    let cache_control = res.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let bytes = res.bytes().await.expect("body");
    Fetched { status, bytes: bytes.len(), cache_control }
}

/// A browser keeps it without asking again.
fn kept(cache_control: &str) -> bool {
    cache_control.contains("immutable")
        || cache_control
            .split(',')
            .filter_map(|d| d.trim().strip_prefix("max-age="))
            .any(|s| s.parse::<u64>().is_ok_and(|n| n >= 3600))
}

fn kb(n: usize) -> String {
    format!("{:.1} KB", n as f64 / 1024.0)
}

/// What `wrk --latency` measured: requests a second, p50 and p99 in milliseconds.
struct Load {
    rate: f64,
    p50: f64,
    p99: f64,
}

fn wrk(args: &Args, url: &str, cookie: Option<&str>) -> Option<Load> {
    let mut cmd = Command::new(&args.wrk);
    cmd.args(["-t2", &format!("-c{}", args.connections), &format!("-d{}s", args.seconds), "--latency"]);
    if let Some(c) = cookie {
        cmd.args(["-H", &format!("Cookie: {c}")]);
    }
    let out = cmd.arg(url).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |label: &str| text.lines().find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()));
    let ms = |v: String| -> Option<f64> {
        let (n, unit) = v.split_at(v.find(|c: char| c.is_ascii_alphabetic())?);
        let n: f64 = n.parse().ok()?;
        Some(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            "m" => n * 60_000.0,
            _ => return None,
        })
    };
    let non_2xx = field("Non-2xx or 3xx responses:");
    if let Some(n) = non_2xx {
        eprintln!("  (wrk saw {n} responses that were not 2xx/3xx at {url})");
    }
    Some(Load { rate: field("Requests/sec:")?.parse().ok()?, p50: ms(field("50%")?)?, p99: ms(field("99%")?)? })
}

/// nginx serving `page` at `path`, as the portal does, from a folder of its own.
struct Nginx {
    child: std::process::Child,
    port: u16,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx(program: &str, dir: &Path, path: &str, page: &[u8]) -> Option<Nginx> {
    let www = dir.join("www");
    let file = www.join(path.trim_start_matches('/'));
    std::fs::create_dir_all(file.parent()?).ok()?;
    std::fs::write(&file, page).ok()?;
    let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
    let conf = dir.join("nginx.conf");
    std::fs::write(
        &conf,
        format!(
            "worker_processes auto;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
             events {{ worker_connections 4096; }}\n\
             http {{\n  access_log off;\n  client_body_temp_path {d}/tmp;\n  proxy_temp_path {d}/tmp;\n  fastcgi_temp_path {d}/tmp;\n  uwsgi_temp_path {d}/tmp;\n  scgi_temp_path {d}/tmp;\n\
             server {{ listen 127.0.0.1:{port}; root {w}; default_type text/html; }}\n}}\n",
            d = dir.display(),
            w = www.display()
        ),
    )
    .ok()?;
    let child = Command::new(program).args(["-e", &dir.join("error.log").to_string_lossy(), "-c"]).arg(&conf).spawn().ok()?;
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(Nginx { child, port });
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    None
}

/// Lighthouse's mobile scores for one page: performance, accessibility, best practices.
fn lighthouse(args: &Args, program: &Path, url: &str, cookie: Option<&str>, dir: &Path) -> Option<[u32; 3]> {
    let mut cmd = Command::new(program);
    cmd.env("CHROME_PATH", &args.chromium)
        .arg(url)
        .args(["--quiet", "--output=json", "--only-categories=performance,accessibility,best-practices"])
        .arg("--chrome-flags=--headless=new --no-sandbox --disable-gpu")
        .arg(format!("--output-path={}", dir.join("lighthouse.json").display()));
    if let Some(c) = cookie {
        let headers = dir.join("headers.json");
        std::fs::write(&headers, serde_json::json!({ "Cookie": c }).to_string()).ok()?;
        cmd.arg(format!("--extra-headers={}", headers.display()));
    }
    let status = cmd.status().ok()?;
    if !status.success() {
        return None;
    }
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.join("lighthouse.json")).ok()?).ok()?;
    let score = |c: &str| report["categories"][c]["score"].as_f64().map(|s| (s * 100.0).round() as u32);
    Some([score("performance")?, score("accessibility")?, score("best-practices")?])
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let dir = std::env::temp_dir().join(format!("scr-page-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
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

    println!("Page weight: bytes transferred, brotli as a browser asks (site {})", args.site.display());
    for (name, path, signed) in PAGES {
        let who = if signed { cookie.as_str() } else { "" };
        let page = fetch(&http, &format!("{base}{path}"), who).await;
        // The files it names, read from the plain copy.
        let plain = http.get(format!("{base}{path}")).header("cookie", who).send().await.expect("page").text().await.unwrap_or_default();
        let mut by_kind: Vec<(&str, usize)> = vec![("css", 0), ("js", 0), ("wasm", 0), ("other", 0)];
        let (mut first, mut later) = (page.bytes, page.bytes);
        for file in head_files(&plain) {
            let f = fetch(&http, &format!("{base}{file}"), "").await;
            if f.status != 200 {
                continue;
            }
            first += f.bytes;
            if !kept(&f.cache_control) {
                later += f.bytes;
            }
            let name = file.split('?').next().unwrap_or("");
            let kind = match name.rsplit('.').next() {
                Some("css") => "css",
                Some("js") => "js",
                Some("wasm") => "wasm",
                _ => "other",
            };
            if let Some(k) = by_kind.iter_mut().find(|(k, _)| *k == kind) {
                k.1 += f.bytes;
            }
        }
        let parts: Vec<String> = by_kind.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{k} {}", kb(*n))).collect();
        let code = by_kind[1].1 + by_kind[2].1;
        println!(
            "  {name:<20} {}  first visit {:>8} (html {}; {}; js+wasm {})   second visit {:>8}",
            page.status,
            kb(first),
            kb(page.bytes),
            parts.join(", "),
            kb(code),
            kb(later)
        );
    }

    // Throughput: the public notice page from the portal, the same bytes from nginx.
    let notice_url = format!("{base}{NOTICE}");
    let same_bytes = http.get(&notice_url).send().await.expect("notice").bytes().await.expect("notice body");
    println!(
        "Public notice page under load (wrk, 2 threads, {} connections, {} s, plain {} bytes each)",
        args.connections,
        args.seconds,
        same_bytes.len()
    );
    let show = |label: &str, load: &Option<Load>| match load {
        Some(l) => println!("  {label:<34} {:>9.0} requests/s   p50 {:>6.2} ms   p99 {:>6.2} ms", l.rate, l.p50, l.p99),
        None => println!("  {label:<34} (not measured: is wrk installed?)"),
    };
    let portal = tokio::task::block_in_place(|| wrk(&args, &notice_url, None));
    show("portal, from memory", &portal);
    let fresh = tokio::task::block_in_place(|| wrk(&args, &notice_url, Some(&cookie)));
    show("portal, rendered (signed in)", &fresh);
    let server = nginx(&args.nginx, &dir.join("nginx"), NOTICE, &same_bytes);
    let file = server.as_ref().and_then(|n| tokio::task::block_in_place(|| wrk(&args, &format!("http://127.0.0.1:{}{NOTICE}", n.port), None)));
    match (&server, &file) {
        (Some(_), _) => show("nginx, the same bytes from a file", &file),
        (None, _) => println!("  nginx                              (not measured: is nginx installed?)"),
    }
    drop(server);
    if let (Some(p), Some(f)) = (&portal, &file) {
        println!("  portal/nginx requests a second: {:.2}", p.rate / f.rate);
    }

    if let Some(program) = &args.lighthouse {
        println!("Lighthouse, mobile (performance / accessibility / best practices)");
        for (name, path, signed) in PAGES {
            // Lighthouse now and then fails to record a trace (NO_NAVSTART): once more then.
            let once = || tokio::task::block_in_place(|| lighthouse(&args, program, &format!("{base}{path}"), signed.then_some(cookie.as_str()), &dir));
            let scores = once().or_else(once);
            match scores {
                Some([p, a, b]) => println!("  {name:<20} {p:>3} / {a:>3} / {b:>3}"),
                None => println!("  {name:<20} (Lighthouse did not finish)"),
            }
        }
    }
    let _ = tx.send(());
    let _ = std::fs::remove_dir_all(&dir);
}
