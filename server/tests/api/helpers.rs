//! Test helpers that read like the journeys: a fresh database, the app on a free port, and a
//! browser-like client that keeps cookies the way a browser would.

use server::config::{Settings, Toggle};
use server::startup::Application;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A database of its own for one test: a SQLite file in a temporary folder, or a new
/// PostgreSQL database on the server `TEST_POSTGRES_URL` names, dropped afterwards.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite()),
            Backend::Postgres => Self::postgres().await,
        }
    }

    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("portal.db").display());
        TestDb { url, _dir: Some(dir), pg: None }
    }

    /// `None` when no PostgreSQL is configured (the test command says so loudly).
    pub async fn postgres() -> Option<TestDb> {
        use sqlx::Connection;
        let base = std::env::var("TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty())?;
        let name = format!("scr_test_{}", uuid::Uuid::new_v4().simple());
        let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to TEST_POSTGRES_URL");
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create test database");
        let mut url = url::Url::parse(&base).expect("TEST_POSTGRES_URL is a URL");
        url.set_path(&format!("/{name}"));
        Some(TestDb { url: url.to_string(), _dir: None, pg: Some((base, name)) })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg.take() {
            // Drop runs outside any runtime we may block: use a thread with its own.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut c) = sqlx::PgConnection::connect(&base).await {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut c).await;
                    }
                });
            })
            .join();
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub state: server::state::AppState,
    _db: TestDb,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl TestApp {
    /// The app with demonstration data and sign-in, on SQLite.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(TestDb::sqlite(), |_| {}).await
    }

    pub async fn spawn_with(db: TestDb, configure: impl FnOnce(&mut Settings)) -> TestApp {
        // SCR_TEST_LOG=debug shows the apps' logs, for when a test needs looking into.
        if let Ok(filter) = std::env::var("SCR_TEST_LOG") {
            server::telemetry::init(server::config::LogFormat::Text, &filter);
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut settings = Settings::defaults();
        settings.database_url = server::config::Secret::new(db.url.clone());
        settings.public_url = url::Url::parse(&format!("http://127.0.0.1:{port}")).unwrap();
        settings.demo_sign_in = Toggle::On;
        settings.demo_data = Toggle::On;
        settings.site_root = std::env::temp_dir();
        settings.db_max_connections = 4;
        configure(&mut settings);
        let app = Application::build_on(settings, listener).await.expect("app starts");
        let state = app.state.clone();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = rx.await;
        }));
        TestApp { address: format!("http://127.0.0.1:{port}"), state, _db: db, _stop: tx }
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.address)
    }

    pub async fn session_count(&self) -> i64 {
        count_sessions(&self.state.settings.database_url).await
    }

    /// Moves one time column of every session to `at`, as if time had passed (SQLite test apps).
    pub async fn set_session_time(&self, column: &str, at: chrono::DateTime<chrono::Utc>) {
        assert!(matches!(column, "last_seen_at" | "absolute_expires_at"), "not a session time: {column}");
        let mut c = self.sqlite().await;
        sqlx::query(&format!("UPDATE sessions SET {column} = $1")).bind(at).execute(&mut c).await.unwrap();
    }

    /// A direct connection to a SQLite test app's database, to look at what it stored.
    pub async fn sqlite(&self) -> sqlx::SqliteConnection {
        use sqlx::Connection;
        sqlx::SqliteConnection::connect(self.state.settings.database_url.expose()).await.unwrap()
    }

    /// A browser signed in as one of the demonstration people.
    pub async fn signed_in(&self, person: &str) -> Browser {
        let mut b = self.browser();
        let res = b.post_form("/auth/demo", &[("person", person)]).await;
        assert_eq!(res.status, 303, "demo sign-in redirects");
        b
    }
}

async fn count_sessions(url: &server::config::Secret) -> i64 {
    use sqlx::Connection;
    let url = url.expose();
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&mut c).await.unwrap()
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&mut c).await.unwrap()
    }
}

pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    /// Every response header, by lower-case name (the last value of a repeated one).
    pub headers: std::collections::HashMap<String, String>,
    pub body: String,
}

impl Page {
    pub fn title(&self) -> String {
        let start = self.body.find("<title>").map(|i| i + 7).unwrap_or(0);
        let end = self.body[start..].find("</title>").map(|i| i + start).unwrap_or(start);
        self.body[start..end].to_string()
    }

    pub fn h1_count(&self) -> usize {
        self.body.matches("<h1").count()
    }
}

/// Keeps cookies as a browser does (including `__Host-` ones on loopback) and never follows redirects.
pub struct Browser {
    base: String,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { base: base.to_string(), client, cookies: BTreeMap::new() }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") { path.to_string() } else { format!("{}{}", self.base, path) }
    }

    pub fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn read(&mut self, res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string());
        let headers = res.headers().iter().map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or_default().to_string())).collect();
        let set_cookies: Vec<String> =
            res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
        for c in &set_cookies {
            let first = c.split(';').next().unwrap();
            let (name, value) = first.split_once('=').unwrap();
            if c.contains("Max-Age=0") || value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let body = res.text().await.unwrap_or_default();
        Page { status, location, set_cookies, headers, body }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self
            .client
            .get(self.url(path))
            .header("cookie", self.cookie_header())
            .header("accept", "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap();
        self.read(res).await
    }

    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(self.url(path))
            .header("cookie", self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.read(res).await
    }

    /// Posts a body as it is, with its content type (a file upload, say).
    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Page {
        let res = self
            .client
            .post(self.url(path))
            .header("cookie", self.cookie_header())
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(res).await
    }

    pub fn has_session(&self) -> bool {
        self.cookies.contains_key("__Host-scr-session")
    }
}

/// Runs a storage test on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use $crate::helpers::{Backend, TestDb};
                #[tokio::test]
                async fn sqlite() {
                    super::$name(TestDb::new(Backend::Sqlite).await.unwrap()).await;
                }
                #[tokio::test]
                async fn postgres() {
                    match TestDb::new(Backend::Postgres).await {
                        Some(db) => super::$name(db).await,
                        None => eprintln!("PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set"),
                    }
                }
            }
        )*
    };
}

/// An NHS number for a test, parsed (every one the tests use is valid).
/// Every access event held about a patient, automated checks included, newest first.
pub async fn every_access_event(store: &dyn app::server::AccessEventStore, nhs_number: app::domain::NhsNumber) -> Vec<app::server::AccessEvent> {
    let query = app::server::AccessQuery { nhs_number, from: None, to: None, org_ods: None, include_automated: true, before: None, limit: 1_000_000 };
    store.access_events(&query).await.expect("access events read")
}

pub fn nhs(n: &str) -> app::domain::NhsNumber {
    app::domain::NhsNumber::parse(n).expect("a valid NHS number")
}
