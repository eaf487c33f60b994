//! The access-transparency benchmark: seeds N access events for a realistic spread of patients,
//! then prints ingest rates through the HTTP API (bulk NDJSON and batch Bundles), with the
//! background jobs running (sealing the audit trail and the privacy monitoring rules), the
//! server time of the patient's access-log page (first page, and 10,000 events deep) and of
//! the IG lead's monitoring queue under concurrent load, how fast the rules check arriving
//! events and how fast the audit trail is sealed, on SQLite and on PostgreSQL. It prints
//! figures; it asserts nothing.
//!
//! `./scripts/bench [--events N]` (default 10,000,000).

use app::server::{AccessEvent, Store};
use chrono::{Duration, Utc};
use clap::Parser;
use server::config::{Secret, Settings, Toggle};
use server::startup::Application;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(about = "Seeds access events and measures ingest and the access-log page")]
struct Args {
    /// Events to seed before measuring.
    #[arg(long, default_value_t = 10_000_000)]
    events: u64,
    /// Events sent through the HTTP API for each ingest measurement.
    #[arg(long, default_value_t = 200_000)]
    ingest: u64,
    /// Concurrent clients loading pages.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Concurrent clients sending events.
    #[arg(long, default_value_t = 4)]
    ingest_clients: usize,
    /// Page loads per measurement.
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// PostgreSQL server to make a throwaway database on (default: TEST_POSTGRES_URL).
    #[arg(long, env = "BENCH_POSTGRES_URL")]
    postgres: Option<String>,
    /// Only this backend: sqlite or postgres.
    #[arg(long)]
    only: Option<String>,
}

/// The demonstration patient whose page is measured: she gets 20,000 events.
const HEAVY: &str = "9434765919";

/// A valid NHS number from a counter (modulus 11; counters whose check digit would be 10 skip).
fn nhs_number(n: u64) -> Option<String> {
    let body = format!("{:09}", 400_000_000 + n % 500_000_000);
    let sum: u32 = body.bytes().enumerate().map(|(i, b)| u32::from(b - b'0') * (10 - i as u32)).sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        c => c,
    };
    Some(format!("{body}{check}"))
}

fn event(source: Option<i64>, id: String, nhs: String, minutes_ago: i64, n: u64) -> AccessEvent {
    const ORGS: &[(&str, &str)] = &[
        ("RX1", "Northshire Hospitals NHS Foundation Trust"),
        ("RX2", "Northshire Mental Health NHS Trust"),
        ("RX3", "Northshire Community Health Services"),
        ("Y90001", "Riverside Medical Centre"),
    ];
    let (ods, org) = ORGS[(n % 4) as usize];
    AccessEvent {
        id: 0,
        source_id: source,
        source_event_id: id,
        nhs_number: app::domain::NhsNumber::parse(&nhs).expect("the benchmark makes valid NHS numbers"),
        recorded_at: Utc::now() - Duration::minutes(minutes_ago),
        agent_name: format!("Clinician {}", n % 977),
        // The same 977 clinicians, each with one SDS user id.
        agent_id: Some(format!("5550{:08}", n % 977)),
        agent_role: Some("Physician".into()),
        org_ods: Some(ods.into()),
        org_name: Some(org.into()),
        purpose: if n.is_multiple_of(50) { "ETREAT".into() } else { "TREAT".into() },
        emergency: n.is_multiple_of(50),
        viewed: "medicines, allergies".into(),
        outcome: "0".into(),
        automated: n.is_multiple_of(7),
        observer: "Northshire Shared Care Record".into(),
        action: Some("R".into()),
        subtype: None,
        content_hash: None,
    }
}

async fn seed(store: &dyn Store, source: i64, total: u64) {
    let started = Instant::now();
    let heavy = total.min(20_000);
    let mut batch = Vec::with_capacity(10_000);
    for n in 0..total {
        // Amira gets `heavy` events; everyone else about 30 each.
        let nhs = if n < heavy {
            HEAVY.to_string()
        } else {
            let mut k = (n / 30) * 2;
            loop {
                if let Some(x) = nhs_number(k) {
                    break x;
                }
                k += 1;
            }
        };
        batch.push(event(Some(source), format!("seed-{n}"), nhs, (n % 525_600) as i64, n));
        if batch.len() == 10_000 {
            store.ingest_access_events(&batch, Utc::now()).await.expect("seed");
            batch.clear();
        }
    }
    store.ingest_access_events(&batch, Utc::now()).await.expect("seed");
    println!("  seeded {total} events in {:.1} s", started.elapsed().as_secs_f64());
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Request bodies for an ingest measurement, made before the clock starts so that the figure is
/// the portal's rate, not this program's JSON writing.
fn ingest_bodies(total: u64, bulk: bool) -> Vec<String> {
    let per_request: u64 = if bulk { 10_000 } else { 500 };
    let tag = if bulk { "bulk" } else { "batch" };
    (0..total.div_ceil(per_request))
        .map(|r| {
            let events = (0..per_request).map(|i| {
                let n = r * per_request + i;
                let nhs = nhs_number(n % 1_000_000 * 2).or_else(|| nhs_number(n % 1_000_000 * 2 + 1)).unwrap_or_else(|| HEAVY.into());
                let mut v = server::fhir::audit_event::example(&format!("{tag}-{n}"), &nhs, "2026-11-20T09:00:00Z", "Dr Bench", "TREAT");
                v["recorded"] = (Utc::now() - Duration::seconds(n as i64)).to_rfc3339().into();
                v
            });
            if bulk {
                events.map(|e| e.to_string()).collect::<Vec<_>>().join("\n")
            } else {
                let entries: Vec<serde_json::Value> =
                    events.map(|e| serde_json::json!({ "resource": e, "request": { "method": "POST", "url": "AuditEvent" } })).collect();
                serde_json::json!({ "resourceType": "Bundle", "type": "batch", "entry": entries }).to_string()
            }
        })
        .collect()
}

async fn ingest(base: &str, client_id: &str, secret: &str, total: u64, concurrency: usize, bulk: bool) -> f64 {
    let bodies = std::sync::Arc::new(ingest_bodies(total, bulk));
    let (path, content_type) = if bulk { ("/fhir/AuditEvent/$import", "application/fhir+ndjson") } else { ("/fhir", "application/fhir+json") };
    let started = Instant::now();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (base, id, secret, next, bodies) = (base.to_string(), client_id.to_string(), secret.to_string(), next.clone(), bodies.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            loop {
                let r = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some(body) = bodies.get(r) else { break };
                let res = http
                    .post(format!("{base}{path}"))
                    .basic_auth(&id, Some(&secret))
                    .header("content-type", content_type)
                    .body(body.clone())
                    .send()
                    .await
                    .expect("ingest request");
                assert!(res.status().is_success(), "ingest answered {}", res.status());
            }
        }));
    }
    for t in tasks {
        t.await.expect("ingest task");
    }
    let sent = bodies.len() as u64 * if bulk { 10_000 } else { 500 };
    sent as f64 / started.elapsed().as_secs_f64()
}

/// A page's times: as its clients saw them (waiting included), and the portal's own time on
/// each request from its `Server-Timing` header; p50 and p99 of each, in milliseconds.
struct Times {
    client: (f64, f64),
    server: (f64, f64),
}

impl std::fmt::Display for Times {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {:>7.2} ms   p99 {:>7.2} ms   (server time p50 {:>6.2} ms   p99 {:>6.2} ms)",
            self.client.0, self.client.1, self.server.0, self.server.1
        )
    }
}

async fn page_times(base: &str, path: &str, concurrency: usize, requests: usize) -> Times {
    page_times_as(base, "demo-patient-p9", path, concurrency, requests).await
}

async fn page_times_as(base: &str, person: &str, path: &str, concurrency: usize, requests: usize) -> Times {
    let mut tasks = Vec::new();
    for c in 0..concurrency {
        let (base, path, person) = (base.to_string(), path.to_string(), person.to_string());
        let share = requests / concurrency + usize::from(c < requests % concurrency);
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
            // Sign-in is rate limited: a client turned away waits and tries again.
            let mut signed_in = None;
            for _ in 0..60 {
                let res = http.post(format!("{base}/auth/demo")).form(&[("person", person.as_str())]).send().await.expect("demo sign-in");
                if res.status() != 429 {
                    signed_in = Some(res);
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            let signed_in = signed_in.expect("signed in within a minute");
            let cookie = signed_in
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find(|c| c.starts_with("__Host-scr-session="))
                .and_then(|c| c.split(';').next())
                .unwrap_or_default()
                .to_string();
            let mut times = Vec::with_capacity(share);
            for _ in 0..share {
                let t = Instant::now();
                let res = http.get(format!("{base}{path}")).header("cookie", &cookie).send().await.expect("page");
                assert_eq!(res.status(), 200, "{path} answered {}", res.status());
                // "app;dur=12.345"
                let server = res
                    .headers()
                    .get("server-timing")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.split("dur=").nth(1))
                    .and_then(|d| d.parse::<f64>().ok())
                    .expect("the portal says its time (Server-Timing)");
                let _ = res.bytes().await;
                times.push((t.elapsed().as_secs_f64() * 1000.0, server));
            }
            times
        }));
    }
    let (mut client, mut server) = (Vec::new(), Vec::new());
    for t in tasks {
        for (c, s) in t.await.expect("page task") {
            client.push(c);
            server.push(s);
        }
    }
    client.sort_by(|a, b| a.total_cmp(b));
    server.sort_by(|a, b| a.total_cmp(b));
    Times { client: (percentile(&client, 0.5), percentile(&client, 0.99)), server: (percentile(&server, 0.5), percentile(&server, 0.99)) }
}

/// Runs one statement on the benchmark's database, outside the portal.
async fn execute(database_url: &str, statement: &str) {
    use sqlx::Connection;
    if database_url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(database_url).await.expect("connect to SQLite");
        sqlx::query(statement).execute(&mut c).await.expect("statement");
    } else {
        let mut c = sqlx::PgConnection::connect(database_url).await.expect("connect to PostgreSQL");
        sqlx::query(statement).execute(&mut c).await.expect("statement");
    }
}

/// The seeded events are history the portal held before privacy monitoring began (the rules
/// check events as they arrive, not history), and an IG lead's queue as a busy area's would
/// be: an alert for one seeded event in a hundred, spread over the seeded people, one in twenty
/// still waiting for review (a backlog of 5,000 at 10,000,000 events).
async fn history(database_url: &str, events: u64) {
    use sqlx::Connection;
    let started = Instant::now();
    // The access log's counts of the history, as the migration that made the table would have.
    let hour = if database_url.starts_with("sqlite:") { "replace(substr(recorded_at, 1, 13), 'T', ' ')" } else { "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')" };
    let counts = format!(
        "INSERT INTO access_look_hours (nhs_number, hour, org_ods, org_name, looks)
         SELECT nhs_number, {hour}, COALESCE(org_ods, ''), CASE WHEN org_ods IS NULL THEN COALESCE(org_name, '') ELSE '' END, COUNT(*)
         FROM access_events WHERE automated = FALSE AND outcome = '0'
           AND id <= (SELECT last_event_id FROM access_look_progress WHERE id = 1) GROUP BY 1, 2, 3, 4"
    );
    // One transaction: the counts of everything up to their progress mark, and the mark.
    let statements = [
        "BEGIN",
        "UPDATE access_look_progress SET last_event_id = (SELECT COALESCE(MAX(id), 0) FROM access_events)",
        counts.as_str(),
        "COMMIT",
        "UPDATE monitoring_progress SET last_event_id = (SELECT COALESCE(MAX(id), 0) FROM access_events)",
        "INSERT INTO alerts (area_id, event_id, rule, explanation, person_key, person_name, person_role, org_ods, org_name,
             nhs_number, recorded_at, purpose, raised_at, status)
         SELECT s.area_id, e.id, CASE WHEN e.emergency THEN 'emergency' ELSE 'out_of_hours' END, 'Seeded for the benchmark.',
             'id:' || e.agent_id, e.agent_name, e.agent_role, e.org_ods, e.org_name, e.nhs_number, e.recorded_at, e.purpose, e.recorded_at,
             CASE WHEN e.id % 2000 = 0 THEN 'open' ELSE 'appropriate' END
         FROM access_events e JOIN event_sources s ON s.id = e.source_id
         WHERE e.id % 100 = 0 AND e.agent_id IS NOT NULL AND s.area_id IS NOT NULL
         ON CONFLICT DO NOTHING",
    ];
    if database_url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(database_url).await.expect("connect to SQLite");
        for s in statements {
            sqlx::query(s).execute(&mut c).await.expect("history");
        }
    } else {
        let mut c = sqlx::PgConnection::connect(database_url).await.expect("connect to PostgreSQL");
        for s in statements {
            sqlx::query(s).execute(&mut c).await.expect("history");
        }
    }
    println!("  history counted for the access log and {} alerts seeded for the queue in {:.1} s", events / 100, started.elapsed().as_secs_f64());
}

/// What an operator does after a bulk load, and the database's own background work would do
/// soon after: refresh the planner's statistics (and, on PostgreSQL, the visibility map).
async fn settle(database_url: &str) {
    use sqlx::Connection;
    let started = Instant::now();
    if database_url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(database_url).await.expect("connect to SQLite");
        sqlx::query("ANALYZE").execute(&mut c).await.expect("analyze");
    } else {
        let mut c = sqlx::PgConnection::connect(database_url).await.expect("connect to PostgreSQL");
        sqlx::query("VACUUM (ANALYZE) access_events").execute(&mut c).await.expect("vacuum");
        sqlx::query("VACUUM (ANALYZE) alerts").execute(&mut c).await.expect("vacuum");
        sqlx::query("CHECKPOINT").execute(&mut c).await.expect("checkpoint");
    }
    println!("  analysed in {:.1} s", started.elapsed().as_secs_f64());
}

async fn run(backend: &str, database_url: String, args: &Args) {
    println!("\n{backend}");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut settings = Settings::defaults();
    settings.database_url = Secret::new(database_url.clone());
    settings.public_url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    settings.demo_sign_in = Toggle::On;
    settings.demo_data = Toggle::On;
    settings.site_root = std::env::temp_dir();
    settings.db_max_connections = 16;
    settings.server_timing = Toggle::On;
    let app = Application::build_on(settings, listener).await.expect("the portal starts");
    let store = app.state.store.clone();
    let base = format!("http://127.0.0.1:{port}");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    // The benchmark's system is Northshire's, so its events are monitored for that area.
    let northshire = store.area_by_slug(&app::domain::AreaSlug::parse("northshire").unwrap()).await.unwrap().expect("the demo area");
    let (client_id, secret) = app::staff_admin::ssr::register_source(&*store, "Benchmark", Some(northshire.id)).await.unwrap();
    let source = store.source_by_client_id(&client_id).await.unwrap().unwrap().id;
    // The seeded events are history: the rules' job is held off them while they are loaded
    // (at 10^7 the load outlasts its first runs), then starts after the last of them.
    execute(&database_url, "UPDATE monitoring_progress SET last_event_id = 9000000000000000000").await;
    execute(&database_url, "UPDATE access_look_progress SET last_event_id = 9000000000000000000").await;
    seed(&*store, source, args.events).await;
    history(&database_url, args.events).await;
    settle(&database_url).await;
    // The chain covers history too: seal it all now, as the job would in its first minutes.
    // (One call seals a bounded number of batches: called until nothing is left, so that no
    // sealing runs while the pages are measured.)
    let started = Instant::now();
    let mut sealed = 0;
    loop {
        let n = server::audit::seal(&*store, Utc::now() + Duration::minutes(2)).await.expect("seal");
        sealed += n;
        if n == 0 {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!("  audit trail sealed:             {sealed} rows in {seconds:.1} s ({:.0} rows/s)", sealed as f64 / seconds);
    // A few loads first, so that the figures are of a running portal, not its first requests.
    page_times(&base, "/access-log", 2, 50).await;

    println!("  pages, {} clients at once:", args.concurrency);
    let t = page_times(&base, "/access-log", args.concurrency, args.requests).await;
    println!("  access log, first page:         {t}");
    let deep = store
        .access_events(&app::server::AccessQuery {
            nhs_number: app::domain::NhsNumber::parse(HEAVY).expect("a valid NHS number"),
            from: None,
            to: None,
            org_ods: None,
            include_automated: false,
            before: None,
            limit: 10_000,
        })
        .await
        .unwrap();
    match deep.last() {
        Some(e) if deep.len() == 10_000 => {
            let path = format!("/access-log?before={}~{}", e.recorded_at.timestamp_micros(), e.id);
            let t = page_times(&base, &path, args.concurrency, args.requests).await;
            println!("  access log, 10,000 events deep: {t}");
        }
        _ => println!("  access log, 10,000 events deep: not measured (fewer than 10,000 seeded for the patient)"),
    }
    // The queue as an IG lead opens it; filtered by rule and organisation; and every alert,
    // reviewed too (the widest view: 100,000 alerts at 10^7 events).
    const QUEUES: [(&str, &str); 3] = [
        ("monitoring queue (IG lead):    ", "/monitoring?area=northshire"),
        ("monitoring queue, filtered:    ", "/monitoring?area=northshire&rule=out_of_hours&org=RX2"),
        ("monitoring queue, all alerts:  ", "/monitoring?area=northshire&state=all"),
    ];
    for (label, path) in QUEUES {
        let t = page_times_as(&base, "demo-ig-lead", path, args.concurrency, args.requests / 4).await;
        println!("  {label} {t}");
    }
    // An IG lead opening the queue while nobody else is asking: the server's own time, with
    // no other request sharing the two cores.
    println!("  pages, one client:");
    for (label, path) in QUEUES {
        let t = page_times_as(&base, "demo-ig-lead", path, 1, args.requests / 4).await;
        println!("  {label} {t}");
    }

    let bulk = ingest(&base, &client_id, &secret, args.ingest, args.ingest_clients, true).await;
    println!("  ingest, bulk NDJSON (10,000 per request):  {bulk:>10.0} events/s");
    let batch = ingest(&base, &client_id, &secret, args.ingest / 4, args.ingest_clients, false).await;
    println!("  ingest, batch Bundles (500 per request):   {batch:>10.0} events/s");
    // The rules over what was just ingested, as the job runs them once the events settle.
    let started = Instant::now();
    let run = app::monitoring::service::check_arrivals(&*store, Utc::now() + Duration::minutes(2)).await.expect("rules");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "  monitoring rules on arrivals:   {} events in {seconds:.1} s ({:.0} events/s), {} alerts",
        run.events_checked,
        run.events_checked as f64 / seconds,
        run.alerts_raised
    );
    let started = Instant::now();
    let counted = app::access_log::ssr::count_looks(&*store, Utc::now() + Duration::minutes(2)).await.expect("count");
    let seconds = started.elapsed().as_secs_f64();
    println!("  access log counts on arrivals:  {counted} events in {seconds:.1} s ({:.0} events/s)", counted as f64 / seconds);
    let started = Instant::now();
    let sealed = server::audit::seal(&*store, Utc::now() + Duration::minutes(2)).await.expect("seal");
    let seconds = started.elapsed().as_secs_f64();
    println!("  audit trail sealed on arrival:  {sealed} rows in {seconds:.1} s ({:.0} rows/s)", sealed as f64 / seconds);

    let _ = tx.send(());
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let args = Args::parse();
    println!("Seeding {} events per backend; ingesting {} more through the API.", args.events, args.ingest);
    if args.only.as_deref() != Some("postgres") {
        let dir = tempfile_dir();
        run("SQLite", format!("sqlite://{}/bench.db", dir.display()), &args).await;
        let _ = std::fs::remove_dir_all(dir);
    }
    if args.only.as_deref() != Some("sqlite") {
        let Some(base) = args.postgres.clone().or_else(|| std::env::var("TEST_POSTGRES_URL").ok()) else {
            println!("\nPostgreSQL: skipped (set BENCH_POSTGRES_URL or TEST_POSTGRES_URL)");
            return;
        };
        use sqlx::Connection;
        let name = format!("scr_bench_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create the bench database");
        let mut url = url::Url::parse(&base).expect("a PostgreSQL URL");
        url.set_path(&format!("/{name}"));
        run("PostgreSQL", url.to_string(), &args).await;
        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin).await;
    }
}

fn tempfile_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scr-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
}
