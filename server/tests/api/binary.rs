//! The `scr-portal` binary itself: its commands, its refusal of unsafe production settings,
//! graceful shutdown, and logs that carry no personal data.

use crate::helpers::{Browser, TestDb};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_scr-portal");

fn portal(db: &TestDb) -> Command {
    let mut c = Command::new(BIN);
    // Start from a clean slate: nothing from the caller's environment leaks in.
    for (k, _) in std::env::vars() {
        if k.starts_with("PORTAL_") || k == "DATABASE_URL" {
            c.env_remove(k);
        }
    }
    c.env("DATABASE_URL", &db.url).env("PORTAL_LOG_FORMAT", "json");
    c
}

/// Waits (up to ten seconds) for a portal started by a test to say it is ready.
async fn wait_ready(base: &str) {
    for _ in 0..100 {
        if reqwest::get(format!("{base}/readyz")).await.map(|r| r.status() == 200).unwrap_or(false) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the portal did not become ready");
}

fn run(c: &mut Command) -> (bool, String, String) {
    let out = c.output().expect("the binary runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[tokio::test]
async fn staff_commands_manage_the_directory() {
    let db = TestDb::sqlite();
    let (ok, out, err) = run(portal(&db).args(["migrate"]));
    assert!(ok, "{err}");
    assert!(out.contains("Migrations are up to date"));
    // The demonstration areas, so there are areas to give roles in.
    let store = server::db::Db::connect(&db.url, 1).await.unwrap();
    server::seed::load(&store).await.unwrap();
    store.close().await;

    let (ok, out, err) = run(portal(&db).args(["staff", "add", "--subject", "cis2-77", "--name", "Dev Patel", "--role", "ig_lead", "--area", "southvale"]));
    assert!(ok, "{err}");
    assert!(out.contains("Added cis2-77 as ig_lead in southvale"));

    let (ok, out, _) = run(portal(&db).args(["staff", "list"]));
    assert!(ok);
    assert!(out.lines().any(|l| l.starts_with("cis2-77\tDev Patel\tig_lead@southvale")), "{out}");

    let (ok, _, err) = run(portal(&db).args(["staff", "add", "--subject", "x", "--name", "X", "--role", "king", "--area", "southvale"]));
    assert!(!ok);
    assert!(err.contains("Choose a role"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["staff", "add", "--subject", "x", "--name", "X", "--role", "admin", "--area", "atlantis"]));
    assert!(!ok);
    assert!(err.contains("there is no area called atlantis"), "{err}");

    let (ok, out, err) = run(portal(&db).args(["staff", "remove", "--subject", "cis2-77"]));
    assert!(ok, "{err}");
    assert!(out.contains("Removed"));
    let (_, out, _) = run(portal(&db).args(["staff", "list"]));
    assert!(!out.contains("cis2-77"));
}

#[tokio::test]
async fn area_commands_make_areas_real_data() {
    let db = TestDb::sqlite();
    let (ok, out, err) = run(portal(&db).args(["areas", "add", "--slug", "east-vale", "--name", "East Vale Care Record"]));
    assert!(ok, "{err}");
    assert!(out.contains("Added area east-vale"));
    let (ok, _, err) = run(portal(&db).args(["areas", "add", "--slug", "east-vale", "--name", "Again"]));
    assert!(!ok);
    assert!(err.contains("already exists"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["areas", "add", "--slug", "East Vale", "--name", "X"]));
    assert!(!ok);
    assert!(err.contains("lower-case"), "{err}");

    let (ok, _, err) = run(portal(&db).args(["areas", "add-practice", "--area", "east-vale", "--ods", "y80001", "--name", "Oak Surgery"]));
    assert!(ok, "{err}");
    let (ok, _, err) = run(portal(&db).args(["areas", "add-organisation", "--area", "east-vale", "--ods", "RE1", "--name", "East Vale Trust"]));
    assert!(ok, "{err}");
    let (ok, _, err) = run(portal(&db).args(["areas", "add-practice", "--area", "nowhere", "--ods", "Y80002", "--name", "X"]));
    assert!(!ok);
    assert!(err.contains("there is no area called nowhere"), "{err}");

    let (ok, out, _) = run(portal(&db).args(["areas", "list"]));
    assert!(ok);
    assert!(out.contains("east-vale\tEast Vale Care Record\t1 organisation(s)"), "{out}");

    use app::server::store::*;
    let store = server::db::Db::connect(&db.url, 1).await.unwrap();
    let practice = store.practice(&app::domain::OdsCode::parse("Y80001").unwrap()).await.unwrap().unwrap();
    assert_eq!(practice.name, "Oak Surgery");

    // Its address and postcode, as patients find it; bad details are refused, naming the option.
    let (ok, _, err) = run(portal(&db).args(["areas", "set-practice", "--area", "east-vale", "--ods", "Y80001", "--name", "Oak Surgery", "--postcode", "EV1"]));
    assert!(!ok && err.contains("--postcode"), "{err}");
    let (ok, out, err) = run(portal(&db).args(["areas", "set-practice", "--area", "east-vale", "--ods", "Y80001", "--name", "Oak Tree Surgery", "--address", "1 Oak Lane, Evebury", "--postcode", "ev1 2ab"]));
    assert!(ok && out.contains("Changed practice Y80001"), "{err}");
    let practice = store.practice(&app::domain::OdsCode::parse("Y80001").unwrap()).await.unwrap().unwrap();
    assert_eq!((practice.name.as_str(), practice.address.as_str(), practice.postcode.map(|p| p.to_string())), ("Oak Tree Surgery", "1 Oak Lane, Evebury", Some("EV1 2AB".into())));
    let (ok, _, err) = run(portal(&db).args(["areas", "set-practice", "--area", "east-vale", "--ods", "Y99999", "--name", "X"]));
    assert!(!ok && err.contains("is not a practice of east-vale"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["areas", "set-contact", "--area", "east-vale", "--email", "not-an-email"]));
    assert!(!ok && err.contains("--email"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["areas", "set-contact", "--area", "east-vale", "--address", "DPO\\nEast Vale House", "--email", "dpo@eastvale.example", "--phone", "0113 496 0999"]));
    assert!(ok, "{err}");
    let area = store.area_by_slug(&app::domain::AreaSlug::parse("east-vale").unwrap()).await.unwrap().unwrap();
    assert_eq!((area.contact.address_lines(), area.contact.phone.as_str()), (vec!["DPO", "East Vale House"], "0113 496 0999"));
}

#[test]
fn production_refuses_unsafe_settings_naming_them() {
    let db = TestDb::sqlite();
    let (ok, _, err) = run(portal(&db).env("PORTAL_ENV", "production").env("PORTAL_PUBLIC_URL", "https://portal.example.nhs.uk"));
    assert!(!ok, "must not start");
    assert!(err.contains("PORTAL_COOKIE_SECRET"), "{err}");

    let (ok, _, err) = run(portal(&db)
        .env("PORTAL_ENV", "production")
        .env("PORTAL_PUBLIC_URL", "https://portal.example.nhs.uk")
        .env("PORTAL_COOKIE_SECRET", "0123456789abcdef0123456789abcdef")
        .env("PORTAL_NHS_LOGIN_ISSUER", "https://auth.login.nhs.uk")
        .env("PORTAL_NHS_LOGIN_KEY_FILE", "/nonexistent.pem")
        .env("PORTAL_DEMO_SIGN_IN", "on"));
    assert!(!ok);
    assert!(err.contains("PORTAL_DEMO_SIGN_IN"), "{err}");
}

#[tokio::test]
async fn serves_logs_without_personal_data_and_stops_gracefully_on_sigterm() {
    let db = TestDb::sqlite();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let mut child = portal(&db)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", &base)
        .env("PORTAL_SITE_ROOT", std::env::temp_dir())
        .env("PORTAL_LOG", "debug")
        .env("PORTAL_NOTIFY_POLL_SECONDS", "1")
        .env("PORTAL_DRAIN_SECONDS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the logs as they come: a full pipe would stop the portal writing, and so serving.
    let drain = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    wait_ready(&base).await;

    let mut b = Browser::new(&base);
    b.post_form("/auth/demo", &[("person", "demo-patient-p9")]).await;
    assert!(b.get("/your-choices").await.body.contains("Amira Khan"));
    b.get("/find-your-area?practice=Y90001").await;
    crate::rights::lodge_objection(&mut b).await;
    // Wait for the outbox worker to "send" the message (to the log: no Notify key is set).
    let mut sent = false;
    for _ in 0..100 {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL").fetch_one(&mut c).await.unwrap();
        if n == 1 {
            sent = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(sent, "the message was sent");
    b.post_form("/auth/sign-out", &[]).await;

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    let out = std::process::Output { status, stdout: stdout.join().unwrap(), stderr: stderr.join().unwrap() };
    assert!(out.status.success(), "SIGTERM ends it cleanly");
    let logs = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(logs.contains("session started") && logs.contains("shutting down"), "{logs}");
    assert!(logs.contains("request_id"), "requests are logged with their id");
    assert!(logs.contains("message to patient written to the log"), "{logs}");
    assert!(logs.contains("a***@example.com"), "the recipient is masked");
    for personal in ["Amira", "Khan", "9434765919", "1984-03-12", "__Host-scr-session=", "Y90001", "amira@example.com", "treated there"] {
        assert!(!logs.contains(personal), "the logs contain {personal}");
    }
}

/// SIGTERM with a client stalled half-way through its request headers: `/readyz` says not
/// ready at once, requests are still served through the drain period, then new connections
/// are refused, and the process ends by its deadline whatever the stalled client does.
#[tokio::test]
async fn on_sigterm_it_drains_then_stops_by_its_deadline_even_with_a_stalled_client() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let db = TestDb::sqlite();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let mut child = portal(&db)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", &base)
        .env("PORTAL_SITE_ROOT", std::env::temp_dir())
        .env("PORTAL_DRAIN_SECONDS", "2")
        .env("PORTAL_SHUTDOWN_DEADLINE_SECONDS", "5")
        // Longer than the deadline: only the deadline can end the stalled connection.
        .env("PORTAL_CLIENT_TIMEOUT_SECONDS", "60")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    wait_ready(&base).await;

    let mut stalled = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ").await.unwrap();

    let signalled = Instant::now();
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let readiness = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(readiness.status(), 503, "not ready as soon as shutdown begins");
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200, "still serving while draining");

    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(http.get(format!("{base}/healthz")).send().await.is_err(), "after the drain, new connections are refused");

    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    let took = signalled.elapsed();
    assert!(status.success(), "ends cleanly");
    assert!(took < Duration::from_secs(8), "ended by its deadline, not held open by the stalled client ({took:?})");
    let mut rest = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(1), stalled.read_to_end(&mut rest)).await;
}

/// A client that never finishes its request headers is cut off after the client timeout.
#[tokio::test]
async fn a_client_that_stalls_in_its_headers_is_cut_off() {
    use std::time::{Duration, Instant};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let db = TestDb::sqlite();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let mut child = portal(&db)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", &base)
        .env("PORTAL_SITE_ROOT", std::env::temp_dir())
        .env("PORTAL_CLIENT_TIMEOUT_SECONDS", "1")
        .env("PORTAL_DRAIN_SECONDS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(&base).await;
    let mut stalled = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stalled.write_all(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n").await.unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(5), stalled.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the connection was closed by the portal");
    assert!(started.elapsed() < Duration::from_secs(4), "after about the client timeout ({:?})", started.elapsed());
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
}

/// A build with hashed file names (hash.txt beside the program): pages link the hashed
/// stylesheet, and files under /pkg are cached for good.
#[tokio::test]
async fn hashed_site_files_are_linked_by_their_hashed_names_and_cached_for_good() {
    let db = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    // A hard link: the program then finds hash.txt beside itself, here, without a copy.
    let program = dir.path().join("scr-portal");
    std::fs::hard_link(BIN, &program).expect("the temporary folder is on the same disk as the build");
    std::fs::write(dir.path().join("hash.txt"), "js: J5h\nwasm: W5h\ncss: C5h\n").unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(site.join("pkg/scr-portal.C5h.css"), "body{}").unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let base = format!("http://127.0.0.1:{port}");
    let mut command = Command::new(&program);
    for (k, _) in std::env::vars() {
        if k.starts_with("PORTAL_") || k == "DATABASE_URL" || k.starts_with("LEPTOS_") {
            command.env_remove(k);
        }
    }
    let mut child = command
        .env("DATABASE_URL", &db.url)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", &base)
        .env("PORTAL_SITE_ROOT", &site)
        .env("PORTAL_DRAIN_SECONDS", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_ready(&base).await;
    let page = reqwest::get(format!("{base}/")).await.unwrap().text().await.unwrap();
    assert!(page.contains("href=\"/pkg/scr-portal.C5h.css\""), "the hashed stylesheet is linked");
    let file = reqwest::get(format!("{base}/pkg/scr-portal.C5h.css")).await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["cache-control"], "public, max-age=31536000, immutable");
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
}

#[tokio::test]
async fn audit_verify_says_what_is_wrong_and_exits_with_failure() {
    use app::server::store::*;
    let db = TestDb::sqlite();
    let (ok, _, err) = run(portal(&db).args(["migrate"]));
    assert!(ok, "{err}");
    let store = server::db::Db::connect(&db.url, 1).await.unwrap();
    server::seed::load(&store).await.unwrap();
    store.close().await;

    // The demo's events arrived five minutes ago: sealed now.
    let (ok, out, err) = run(portal(&db).args(["audit", "seal"]));
    assert!(ok, "{err}");
    assert!(out.lines().any(|l| l.starts_with("Sealed ")), "{out}");
    let (ok, out, err) = run(portal(&db).args(["audit", "verify"]));
    assert!(ok, "{out}{err}");
    assert!(out.contains("The audit trail matches its seals"), "{out}");
    let head = out.lines().find(|l| l.starts_with("Head of area northshire")).expect("the head is printed").rsplit(' ').next().unwrap().to_string();
    let (ok, out, _) = run(portal(&db).args(["audit", "verify", "--area", "northshire", "--since", "2020-01-01", "--digest", &head]));
    assert!(ok, "{out}");

    let store = server::db::Db::connect(&db.url, 1).await.unwrap();
    let first = store.audit_rows(AuditStream::AccessEvents, 0, None, 1).await.unwrap().remove(0).id;
    store.close().await;
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::query("UPDATE access_events SET agent_name = 'Someone else' WHERE id = $1").bind(first).execute(&mut c).await.unwrap();
    let (ok, out, err) = run(portal(&db).args(["audit", "verify"]));
    assert!(!ok, "a tampered trail fails the check");
    assert!(out.contains(&format!("PROBLEM: access event {first} was changed after it was sealed (entry 1 of area northshire)")), "{out}");
    assert!(err.contains("does not match its seals: 1 problem(s)"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["audit", "verify", "--since", "yesterday"]));
    assert!(!ok);
    assert!(err.contains("is not a date like 2026-12-01"), "{err}");
    let (ok, _, err) = run(portal(&db).args(["audit", "verify", "--area", "atlantis"]));
    assert!(!ok);
    assert!(err.contains("there is no area called atlantis"), "{err}");
}
