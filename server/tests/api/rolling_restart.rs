//! A rolling restart of two instances on one PostgreSQL, behind a small proxy that does what a
//! load balancer does (routes new connections only to instances whose /readyz says ready, and
//! tries the other on a refused connection), while a system keeps sending access events:
//! every event sent is answered and stored; none is lost.

use crate::helpers::TestDb;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};

const BIN: &str = env!("CARGO_BIN_EXE_scr-portal");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(db: &TestDb, port: u16) -> Child {
    let mut c = Command::new(BIN);
    for (k, _) in std::env::vars() {
        if k.starts_with("PORTAL_") || k == "DATABASE_URL" {
            c.env_remove(k);
        }
    }
    c.env("DATABASE_URL", &db.url)
        .env("PORTAL_BIND", format!("127.0.0.1:{port}"))
        .env("PORTAL_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("PORTAL_SITE_ROOT", std::env::temp_dir())
        .env("PORTAL_COOKIE_SECRET", "a-cookie-secret-shared-by-both-instances-0123456789")
        .env("PORTAL_DRAIN_SECONDS", "2")
        .env("PORTAL_SHUTDOWN_DEADLINE_SECONDS", "10")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn ready(port: u16) -> bool {
    reqwest::get(format!("http://127.0.0.1:{port}/readyz")).await.map(|r| r.status() == 200).unwrap_or(false)
}

async fn wait_ready(port: u16) {
    for _ in 0..200 {
        if ready(port).await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("instance on {port} did not become ready");
}

async fn stop(mut child: Child) {
    assert!(Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
    assert!(status.success());
}

/// The proxy: health checks every 100 ms; each new connection goes to a ready instance in
/// turn, and to the next if the connection is refused.
async fn proxy(listener: TcpListener, upstreams: Vec<u16>) {
    let healthy: Arc<Mutex<Vec<bool>>> = Arc::new(Mutex::new(vec![true; upstreams.len()]));
    {
        let (healthy, upstreams) = (healthy.clone(), upstreams.clone());
        tokio::spawn(async move {
            loop {
                for (i, port) in upstreams.iter().enumerate() {
                    let ok = ready(*port).await;
                    healthy.lock().unwrap()[i] = ok;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        });
    }
    let turn = Arc::new(AtomicUsize::new(0));
    loop {
        let Ok((mut client, _)) = listener.accept().await else { continue };
        let (healthy, upstreams, turn) = (healthy.clone(), upstreams.clone(), turn.clone());
        tokio::spawn(async move {
            let first = turn.fetch_add(1, Ordering::SeqCst);
            for attempt in 0..20 {
                let i = (first + attempt) % upstreams.len();
                if !healthy.lock().unwrap()[i] && attempt < upstreams.len() {
                    continue;
                }
                if let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstreams[i])).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
    }
}

#[tokio::test]
async fn a_rolling_restart_of_two_instances_loses_no_request() {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set");
        return;
    };
    let (a_port, b_port) = (free_port(), free_port());
    // One instance first, so migrations run once; then the second.
    let a = start(&db, a_port);
    wait_ready(a_port).await;
    let b = start(&db, b_port);
    wait_ready(b_port).await;
    let store = server::db::Db::connect(&db.url, 2).await.unwrap();
    let (client_id, secret) = app::staff_admin::ssr::register_source(&store, "Rolling SCR", None).await.unwrap();

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let front = listener.local_addr().unwrap().port();
    tokio::spawn(proxy(listener, vec![a_port, b_port]));

    // A system sends events one after another, each on a new connection, until told to stop.
    let stop_sending = Arc::new(AtomicBool::new(false));
    let sender = {
        let stop_sending = stop_sending.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
            let (mut sent, mut failed) = (0usize, Vec::new());
            while !stop_sending.load(Ordering::SeqCst) {
                let event = server::fhir::audit_event::example(&format!("roll-{sent}"), "9434765919", "2026-11-20T09:00:00Z", "Dr Roll", "TREAT");
                let res = http
                    .post(format!("http://127.0.0.1:{front}/fhir/AuditEvent"))
                    .basic_auth(&client_id, Some(&secret))
                    .header("content-type", "application/fhir+json")
                    .body(event.to_string())
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status() == 201 => {}
                    Ok(r) => failed.push(format!("roll-{sent}: {}", r.status())),
                    Err(e) => failed.push(format!("roll-{sent}: {e}")),
                }
                sent += 1;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            (sent, failed)
        })
    };

    tokio::time::sleep(Duration::from_millis(500)).await;
    // Restart A, then B, each waiting for the other to be ready.
    stop(a).await;
    let a = start(&db, a_port);
    wait_ready(a_port).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop(b).await;
    let b = start(&db, b_port);
    wait_ready(b_port).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_sending.store(true, Ordering::SeqCst);
    let (sent, failed) = sender.await.unwrap();
    assert!(sent > 50, "events were sent throughout ({sent})");
    assert!(failed.is_empty(), "{} of {sent} failed: {:?}", failed.len(), &failed[..failed.len().min(5)]);
    let held = crate::helpers::every_access_event(&store, crate::helpers::nhs("9434765919")).await;
    let rolled = held.iter().filter(|e| e.source_event_id.starts_with("roll-")).count();
    assert_eq!(rolled, sent, "every event answered was stored");
    stop(a).await;
    stop(b).await;
}
