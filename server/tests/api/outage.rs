//! The database stops mid-session (a TCP proxy between the portal and PostgreSQL is shut, as a
//! database host going away looks to the portal): a signed-in patient is never sent to sign in,
//! gets a prompt 503 saying the service is unavailable, keeps what they typed in the form, and
//! carries on, still signed in, once the database is back.

use crate::helpers::{TestApp, TestDb};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

/// Forwards connections on `listen` to PostgreSQL until dropped (then every connection ends).
struct Proxy {
    _tasks: JoinSet<()>,
}

async fn proxy(listen: SocketAddr, target: SocketAddr) -> Proxy {
    let listener = TcpListener::bind(listen).await.expect("proxy binds");
    let mut tasks = JoinSet::new();
    tasks.spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            let Ok((mut client, _)) = listener.accept().await else { continue };
            connections.spawn(async move {
                if let Ok(mut server) = TcpStream::connect(target).await {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                }
            });
        }
    });
    Proxy { _tasks: tasks }
}

#[tokio::test]
async fn a_database_outage_is_a_prompt_503_that_keeps_the_patients_answers_and_signs_nobody_out() {
    let Some(mut db) = TestDb::postgres().await else {
        eprintln!("PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set");
        return;
    };
    let direct = url::Url::parse(&db.url).unwrap();
    let target: SocketAddr = tokio::net::lookup_host((direct.host_str().unwrap(), direct.port().unwrap_or(5432))).await.unwrap().next().unwrap();
    let listen: SocketAddr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let mut via = direct.clone();
    via.set_host(Some("127.0.0.1")).unwrap();
    via.set_port(Some(listen.port())).unwrap();
    db.url = via.to_string();
    let up = proxy(listen, target).await;
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    assert_eq!(amira.get("/your-requests").await.status, 200);
    let form = amira.get("/objections/new").await;
    let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
    let key = form.body[at..at + 43].to_string();

    // The database goes away.
    drop(up);
    let started = Instant::now();
    let page = amira.get("/your-requests").await;
    assert_eq!(page.status, 503, "a page that cannot be read is an outage, not a sign-in");
    assert!(started.elapsed() < Duration::from_secs(4), "answered promptly, not after {:?}", started.elapsed());
    assert!(page.body.contains("Sorry, the service is unavailable"));
    assert_eq!(page.headers.get("retry-after").map(String::as_str), Some("30"));
    assert!(page.location.is_none(), "not sent to sign in");
    assert!(page.set_cookies.iter().all(|c| !c.contains("Max-Age=0")), "the session cookie is kept");

    let words = "I do not want my record shared </textarea><script>alert(1)</script> & that's final";
    let started = Instant::now();
    let sent = amira
        .post_form("/objections/new", &[("key", &key), ("scope", "organisations"), ("organisations", "RX2"), ("reason", words), ("contact", "email"), ("email", "amira@example.com")])
        .await;
    assert_eq!(sent.status, 503);
    assert!(started.elapsed() < Duration::from_secs(4), "answered promptly, not after {:?}", started.elapsed());
    assert!(sent.location.is_none(), "not sent to sign in");
    assert!(sent.body.contains("action=\"/objections/new\""), "a form that sends the answers again");
    assert!(sent.body.contains("I do not want my record shared &lt;/textarea&gt;&lt;script&gt;"), "what was typed is kept, as text");
    assert!(!sent.body.contains("<script>alert"), "and never as markup");
    assert!(sent.body.contains(&key), "with its key, so a second sending is a repeat");
    let ready = reqwest::get(format!("{}/readyz", app.address)).await.unwrap();
    assert_eq!(ready.status(), 503, "not ready while the database is out");

    // The database is back: the same session, and the kept answers go through.
    let _up = proxy(listen, target).await;
    let mut back = false;
    for _ in 0..50 {
        if reqwest::get(format!("{}/readyz", app.address)).await.unwrap().status() == 200 {
            back = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(back, "ready again within seconds of the database returning");
    assert_eq!(amira.get("/your-requests").await.status, 200, "still signed in");
    let again = amira
        .post_form("/objections/new", &[("key", &key), ("scope", "organisations"), ("organisations", "RX2"), ("reason", words), ("contact", "email"), ("email", "amira@example.com")])
        .await;
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(again.location.as_deref(), Some(format!("/objections/check?draft={key}").as_str()));
}

/// A session whose stored record is damaged is not an outage: it is ended (a fresh sign-in
/// works), never answered 503 for good.
#[tokio::test]
async fn a_damaged_session_record_ends_that_session_rather_than_failing_for_ever() {
    use sqlx::Connection;
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    assert_eq!(amira.get("/your-requests").await.status, 200);
    let mut c = sqlx::SqliteConnection::connect(app.state.settings.database_url.expose()).await.unwrap();
    sqlx::query("UPDATE sessions SET holder = 'not json'").execute(&mut c).await.unwrap();
    let page = amira.get("/your-requests").await;
    assert_ne!(page.status, 503, "not an outage");
    assert!(page.status == 303 || page.location.is_some() || page.body.contains("Sign in"), "signed out: {}", page.status);
    assert!(page.set_cookies.iter().any(|c| c.starts_with("__Host-scr-session=") && c.contains("Max-Age=0")), "its cookie cleared");
}
