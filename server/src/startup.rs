//! Builds the whole application: database, sign-in providers, routes and layers, bound to a
//! listener. `main` and the tests start the same thing (tests on 127.0.0.1:0).

use crate::config::Settings;
use crate::db::Db;
use crate::auth::oidc::OidcProvider;
use crate::auth::sessions::{self, Lifetimes, TokenHasher};
use crate::state::AppState;
use crate::{auth, seed};
use app::server::SignInOptions;
use app::{shell, App};
use axum::extract::{FromRef, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::sync::Arc;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Database(#[from] crate::db::DbStartError),
    #[error("could not load demonstration data: {0}")]
    Seed(app::server::StoreError),
    #[error("sign-in provider: {0}")]
    Oidc(#[from] crate::auth::oidc::OidcError),
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: std::net::SocketAddr, source: std::io::Error },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pub db: Db,
    pub state: AppState,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartError> {
        settings.validate()?;
        let listener = TcpListener::bind(settings.bind)
            .await
            .map_err(|source| StartError::Bind { addr: settings.bind, source })?;
        Self::build_on(settings, listener).await
    }

    /// As [`Application::build`], on a listener the caller bound (tests bind 127.0.0.1:0 first,
    /// so the public URL can name the port).
    pub async fn build_on(settings: Settings, listener: TcpListener) -> Result<Self, StartError> {
        settings.validate()?;
        let db = Db::connect(settings.database_url.expose(), settings.db_max_connections).await?;
        tracing::info!(backend = app::server::Store::backend(&db), "database ready");
        if settings.demo_data_enabled() {
            seed::load(&db).await.map_err(StartError::Seed)?;
        }
        let state = build_state(settings, db.clone())?;
        let router = router(state.clone());
        Ok(Self { listener, router, db, state })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or_default()
    }

    /// Serves until the shutdown future resolves, then finishes requests in flight.
    pub async fn run_until(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let settings = &self.state.settings;
        let jobs = crate::jobs::start(
            self.state.store.clone(),
            crate::jobs::Schedule {
                views: self.state.views.clone(),
                views_every: std::time::Duration::from_secs(settings.views_write_seconds.max(1)),
                sender: settings.notify_sender(),
                notify_every: std::time::Duration::from_secs(settings.notify_poll_seconds.max(1)),
                publish_every: std::time::Duration::from_secs(settings.publish_poll_seconds.max(1)),
                services: self.state.services(),
                housekeeping_every: std::time::Duration::from_secs(600),
                retention_months: settings.access_event_retention_months.max(1),
                seal_every: (settings.audit_seal_seconds > 0).then_some(std::time::Duration::from_secs(settings.audit_seal_seconds)),
            },
        );
        let timings = crate::serve::Timings {
            header_read: std::time::Duration::from_secs(settings.client_timeout_seconds.max(1)),
            drain: std::time::Duration::from_secs(settings.drain_seconds),
            deadline: std::time::Duration::from_secs(settings.shutdown_deadline_seconds.max(settings.drain_seconds)),
        };
        let result = crate::serve::serve(self.listener, self.router, timings, self.state.draining.clone(), shutdown).await;
        jobs.stop();
        // The views counted since the last write are written before the database closes.
        if let Err(e) = self.state.views.flush(&*self.state.store).await {
            tracing::warn!(error = %e, "notice views counted at shutdown were not written");
        }
        self.db.close().await;
        result
    }
}

fn build_state(settings: Settings, db: Db) -> Result<AppState, StartError> {
    let secret = match &settings.cookie_secret {
        Some(s) => s.expose().as_bytes().to_vec(),
        None => {
            tracing::warn!("PORTAL_COOKIE_SECRET is not set: using a random one, so sessions end when this process stops");
            sessions::random_token().into_bytes()
        }
    };
    let callback = |path: &str| settings.public_url.join(path).expect("a path joins onto a URL");
    let nhs_login = match (&settings.nhs_login_issuer, &settings.nhs_login_key_file) {
        (Some(issuer), Some(key)) => Some(Arc::new(OidcProvider::new(
            issuer,
            &settings.nhs_login_client_id,
            key,
            &settings.nhs_login_scopes,
            Some(settings.nhs_login_vtr.clone()),
            callback("/auth/nhs-login/callback"),
        )?)),
        _ => None,
    };
    let staff_oidc = match (&settings.staff_issuer, settings.staff_key_file.as_ref().or(settings.nhs_login_key_file.as_ref())) {
        (Some(issuer), Some(key)) => Some(Arc::new(OidcProvider::new(
            issuer,
            &settings.staff_client_id,
            key,
            &settings.staff_scopes,
            None,
            callback("/auth/staff/callback"),
        )?)),
        _ => None,
    };
    let output_name = option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("scr-portal");
    let hashes = AssetHashes::beside_the_program();
    let leptos_options = LeptosOptions::builder()
        .output_name(output_name)
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.bind)
        .hash_files(hashes.is_some())
        .build();
    let css = match hashes.as_ref().and_then(|h| h.css.as_deref()) {
        Some(hash) => format!("/pkg/{output_name}.{hash}.css"),
        None => format!("/pkg/{output_name}.css"),
    };
    app::server::error::set_stylesheet(css);
    // The enhancer is not built by cargo-leptos, so its address carries its own content hash:
    // browsers keep it for good, and a changed file is a new address.
    let enhancer = std::fs::read(settings.site_root.join("enhance.js")).map(|bytes| {
        use sha2::Digest;
        hex::encode(&sha2::Sha256::digest(&bytes)[..8])
    });
    app::server::error::set_enhancer(match enhancer {
        Ok(hash) => format!("/enhance.js?v={hash}"),
        Err(_) => "/enhance.js".into(),
    });
    let sign_in = SignInOptions {
        demo: settings.demo_sign_in_enabled(),
        nhs_login: nhs_login.is_some(),
        staff_oidc: staff_oidc.is_some(),
    };
    Ok(AppState {
        leptos_options,
        store: Arc::new(db),
        hasher: TokenHasher::new(&secret),
        lifetimes: Lifetimes {
            patient_idle: chrono::Duration::minutes(settings.patient_idle_minutes),
            staff_idle: chrono::Duration::minutes(settings.staff_idle_minutes),
            absolute: chrono::Duration::hours(settings.session_absolute_hours),
        },
        settings: Arc::new(settings),
        nhs_login,
        staff_oidc,
        sign_in,
        draining: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        views: Arc::default(),
        notice_cache: Arc::default(),
        public_pages: Arc::default(),
    })
}

/// The content hashes a build gave the site's files (`hash-files` in the workspace's Leptos
/// settings): cargo-leptos writes them to `hash.txt` beside the server program, and the names
/// of the CSS, JavaScript and WebAssembly carry them, so each can be cached for good.
struct AssetHashes {
    css: Option<String>,
}

impl AssetHashes {
    fn beside_the_program() -> Option<Self> {
        let path = std::env::current_exe().ok()?.parent()?.join("hash.txt");
        let text = std::fs::read_to_string(path).ok()?;
        let css = text.lines().filter_map(|l| l.split_once(':')).find(|(k, _)| k.trim() == "css").map(|(_, v)| v.trim().to_string());
        Some(Self { css })
    }
}

/// Whether the site's files carry content hashes in their names (and so may be cached for good).
pub fn assets_hashed() -> bool {
    AssetHashes::beside_the_program().is_some()
}

/// Counters for monitoring (Prometheus text format): security events. No personal data.
async fn metrics() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], app::server::security::metrics_text()).into_response()
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready: not shutting down, and the database takes a write within a second (a database that
/// answers reads but refuses writes, on a full disk say, is not ready).
async fn readyz(State(state): State<AppState>) -> Response {
    if state.draining.load(std::sync::atomic::Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    match tokio::time::timeout(std::time::Duration::from_secs(1), state.store.check_writable(chrono::Utc::now())).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database not taking writes");
            (StatusCode::SERVICE_UNAVAILABLE, "database not taking writes").into_response()
        }
        Err(_) => {
            tracing::warn!("database did not answer within a second");
            (StatusCode::SERVICE_UNAVAILABLE, "database not answering").into_response()
        }
    }
}

/// Refuses state-changing requests sent from other sites (SameSite=Lax covers most; this covers the rest).
/// `Origin: null` is refused too; the `same-origin` Referrer-Policy below keeps browsers sending our origin.
async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if let Some(origin) = req.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
            let ours = state.settings.public_url.origin().ascii_serialization();
            if origin != ours {
                tracing::warn!("cross-site form post refused");
                return (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response();
            }
        }
    }
    next.run(req).await
}

/// A page's Content-Security-Policy names the nonce its scripts carry. The shell sets it as the
/// page renders; this makes sure of it for every HTML response that has scripts: the nonce is
/// read from the page itself, so the header and the page can never disagree.
async fn page_policy(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    let has_nonce_policy = res
        .headers()
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.contains("'nonce-"));
    if !is_html || has_nonce_policy {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
    };
    let nonce = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|html| html.split("nonce=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=')));
    if let Some(policy) = nonce.and_then(|n| HeaderValue::from_str(&app::server::security::page_policy(n)).ok()) {
        parts.headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A page with no island sends no WebAssembly: the hydration script and the preloads of the
/// JavaScript and WebAssembly are taken out of every HTML page that has nothing interactive
/// (most patient pages). `public/enhance.js` starts them when it brings in a page that has
/// islands.
async fn only_needed_scripts(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if !is_html {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 8 * 1024 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
    };
    let Some(lighter) = std::str::from_utf8(&bytes).ok().and_then(without_hydration) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(lighter))
}

/// The page without its hydration script and preloads, when it has no island (`None` when it
/// has islands, or no hydration script).
pub fn without_hydration(html: &str) -> Option<String> {
    if html.contains("<leptos-island") {
        return None;
    }
    let head_end = html.find("</head>")?;
    let (head, rest) = html.split_at(head_end);
    let mut out = String::with_capacity(html.len());
    let mut changed = false;
    let mut at = 0;
    while let Some(start) = head[at..].find('<').map(|i| at + i) {
        let Some(end) = head[start..].find('>').map(|i| start + i + 1) else { break };
        let tag = &head[start..end];
        let preload = tag.starts_with("<link") && tag.contains("/pkg/") && (tag.contains("modulepreload") || tag.contains(".wasm"));
        let hydration = tag.starts_with("<script") && tag.contains("type=\"module\"") && !tag.contains("src=") && head[end..].starts_with("((root, pkg_path");
        if preload {
            out.push_str(&head[at..start]);
            at = end;
            changed = true;
        } else if hydration {
            let Some(close) = head[end..].find("</script>").map(|i| end + i + "</script>".len()) else { break };
            out.push_str(&head[at..start]);
            at = close;
            changed = true;
        } else {
            out.push_str(&head[at..end]);
            at = end;
        }
    }
    out.push_str(&head[at..]);
    // The body's bookkeeping for resources the browser would take over: empty, and nothing to
    // take them over on a page without islands.
    let mut at = 0;
    while let Some(start) = rest[at..].find("<script").map(|i| at + i) {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else { break };
        let Some(close) = rest[open_end..].find("</script>").map(|i| open_end + i) else { break };
        if !rest[start..open_end].contains(" src=") && only_empty_bookkeeping(&rest[open_end..close]) {
            out.push_str(&rest[at..start]);
            at = close + "</script>".len();
            changed = true;
        } else {
            out.push_str(&rest[at..close]);
            at = close;
        }
    }
    out.push_str(&rest[at..]);
    changed.then_some(out)
}

/// `__RESOLVED_RESOURCES=[];__INCOMPLETE_CHUNKS=[];` and the like: Leptos's empty lists for
/// hydration, nothing else.
fn only_empty_bookkeeping(script: &str) -> bool {
    !script.is_empty()
        && script.split(';').all(|s| {
            s.is_empty()
                || s.strip_suffix("=[]")
                    .and_then(|name| name.strip_prefix("__"))
                    .is_some_and(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        })
}

/// The enhancer at its versioned address (`?v=` its content hash) never changes: kept for good;
/// at its bare address, checked before each use. The site's other loose files (the icon) are
/// kept for a day.
async fn loose_files(req: Request, next: Next) -> Response {
    let policy = match (req.uri().path(), req.uri().query()) {
        ("/enhance.js", Some(q)) if q.starts_with("v=") => Some("public, max-age=31536000, immutable"),
        ("/enhance.js", _) => Some("no-cache"),
        ("/favicon.svg", _) => Some("public, max-age=86400"),
        _ => None,
    };
    let Some(policy) = policy else { return next.run(req).await };
    let mut res = next.run(req).await;
    if res.status() == StatusCode::OK || res.status() == StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    res
}

/// A server function called with arguments missing or of the wrong type answers 400 with a
/// plain sentence, not 500 with the deserialiser's words (server_fn answers every error 500).
async fn server_fn_arguments(req: Request, next: Next) -> Response {
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
    };
    if [&b"Args|"[..], b"Deserialization|", b"MissingArg|"].iter().any(|p| bytes.starts_with(p)) {
        return (StatusCode::BAD_REQUEST, "The request's arguments are missing or not valid.").into_response();
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A form sent while the database was out (answered 503) comes back as a page holding what was
/// typed, in the form itself, with a button to send it again: nothing is thrown away, and
/// sending again is safe (every form carries the key that makes a second sending a repeat).
async fn keep_answers(req: Request, next: Next) -> Response {
    let form = req.method() == Method::POST
        && req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.trim().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    if !form {
        return next.run(req).await;
    }
    let action = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let (parts, body) = req.into_parts();
    // The body limit layer outside this one has already bounded it.
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response(),
    };
    let res = next.run(Request::from_parts(parts, axum::body::Body::from(bytes.clone()))).await;
    if res.status() != StatusCode::SERVICE_UNAVAILABLE {
        return res;
    }
    let fields = app::server::Fields::parse(&bytes).0;
    app::server::error::unavailable_form(action, fields)
}

/// Requests may carry 256 KB, except documents case workers add to a case.
/// A refusal axum answers in plain text (405, 413, 415, 422, 400) reaches a person as an
/// NHS-style page with the same status; the machine-facing addresses (the FHIR API, server
/// functions, health checks) keep their own answers.
async fn refusals_in_words(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let machine = ["/fhir", "/api/", "/oauth", "/healthz", "/readyz", "/metrics", "/pkg/"].iter().any(|p| path.starts_with(p));
    let res = next.run(req).await;
    let html = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.starts_with("text/html"));
    if machine || html || !(res.status().is_client_error()) {
        return res;
    }
    match app::server::error::framework_refusal(res.status()) {
        Some(mut page) => {
            // A method refused says which it takes.
            if let Some(allow) = res.headers().get(header::ALLOW) {
                page.headers_mut().insert(header::ALLOW, allow.clone());
            }
            page
        }
        None => res,
    }
}

async fn body_limit(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let upload = req.method() == Method::POST && path.starts_with("/cases/") && path.ends_with("/documents");
    let fhir = crate::fhir::body_limit(path);
    let limit = match (upload, fhir) {
        (true, _) => app::casework::ssr::MAX_DOCUMENT_BYTES + 64 * 1024,
        (false, Some(l)) => l,
        (false, None) => 256 * 1024,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        if fhir.is_some() {
            return crate::fhir::too_large();
        }
        return (StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let (parts, body) = req.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    let res = next.run(Request::from_parts(parts, body)).await;
    // A body that runs over the limit without saying its length (chunked) is found out while
    // it is read: the FHIR API still answers with an OperationOutcome.
    let plain = !res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| t.contains("fhir+json"));
    if fhir.is_some() && res.status() == StatusCode::PAYLOAD_TOO_LARGE && plain {
        return crate::fhir::too_large();
    }
    res
}

/// The request id, as the reference a person can quote: for pages and server functions in the
/// request's extensions, for handlers' errors in the task serving the request.
async fn request_reference(mut req: Request, next: Next) -> Response {
    let id = req.extensions().get::<RequestId>().and_then(|r| r.header_value().to_str().ok()).unwrap_or_default().to_string();
    req.extensions_mut().insert(app::server::error::RequestReference(id.clone()));
    app::server::error::REQUEST_REFERENCE.scope(id, next.run(req)).await
}

/// With the setting on, `Server-Timing: app;dur=…`: the milliseconds the portal spent on the
/// request, from reaching its layers to the answer being ready (pages are rendered whole before
/// they are sent), before compression. The benchmark reads it; browsers' developer tools show it.
async fn server_timing(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.settings.server_timing != crate::config::Toggle::On {
        return next.run(req).await;
    }
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={ms:.3}")) {
        res.headers_mut().insert(HeaderName::from_static("server-timing"), v);
    }
    res
}

pub fn router(state: AppState) -> Router {
    use app::server::security;
    // HSTS only means something over https; on a loopback development address it is left out.
    let hsts = if state.settings.public_url.scheme() == "https" { Some(HeaderValue::from_static(security::HSTS)) } else { None };
    let routes = generate_route_list(App);
    let services = state.services();
    let context = move || provide_context(services.clone());
    let options = state.leptos_options.clone();
    let page_shell = move || shell(options.clone());

    let trace = TraceLayer::new_for_http().make_span_with(|req: &Request| {
        let id = req
            .extensions()
            .get::<RequestId>()
            .and_then(|r| r.header_value().to_str().ok())
            .unwrap_or_default()
            .to_string();
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
    });

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .merge(auth::routes(state.settings.sign_in_rate_per_minute))
        .merge(crate::fhir::routes(state.settings.api_rate_per_minute, state.settings.token_rate_per_minute))
        .merge(app::objections::ssr::routes())
        .merge(app::complaints::ssr::routes())
        .merge(app::sharing::ssr::routes())
        .merge(app::access_requests::ssr::routes())
        .merge(app::your_requests::ssr::routes())
        .merge(app::casework::ssr::routes())
        .merge(app::access_log::ssr::routes())
        .merge(app::notices::ssr::routes())
        .merge(app::engagement::ssr::routes())
        .merge(app::evidence::ssr::routes())
        .merge(app::area_admin::ssr::routes())
        .merge(app::staff_admin::ssr::routes())
        .merge(app::your_choices::ssr::routes())
        .merge(app::record_alerts::ssr::routes())
        .merge(app::monitoring::ssr::routes())
        .leptos_routes_with_context(&state, routes, context.clone(), page_shell.clone())
        // The built CSS, JavaScript and WebAssembly: the brotli or gzip copy a release build
        // made (`cargo leptos build --release --precompress`) when the browser takes it, else
        // compressed as it goes out; revalidated by date rather than fetched again each time.
        .nest_service(
            "/pkg",
            tower::ServiceBuilder::new()
                .layer(SetResponseHeaderLayer::overriding(
                    header::CACHE_CONTROL,
                    // Names that carry a content hash never change what they hold: kept for a
                    // year. Without hashes, kept and checked before each use.
                    HeaderValue::from_static(if assets_hashed() { "public, max-age=31536000, immutable" } else { "no-cache" }),
                ))
                .service(
                    tower_http::services::ServeDir::new(state.settings.site_root.join("pkg"))
                        .precompressed_br()
                        .precompressed_gzip(),
                ),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(middleware::from_fn_with_state(sessions::Sessions::from_ref(&state), sessions::layer))
        .layer(middleware::from_fn(keep_answers))
        .layer(middleware::from_fn_with_state(state.clone(), same_origin))
        .layer(middleware::from_fn(body_limit))
        .layer(middleware::from_fn(refusals_in_words))
        // A client that stalls while sending its body is cut off; no request runs for ever.
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(std::time::Duration::from_secs(state.settings.client_timeout_seconds.max(1))))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            std::time::Duration::from_secs(state.settings.request_timeout_seconds.max(1)),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(middleware::from_fn(only_needed_scripts))
        .layer(middleware::from_fn(page_policy))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(security::NO_SCRIPT_POLICY)))
        .layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(security::PERMISSIONS_POLICY)))
        .layer(SetResponseHeaderLayer::if_not_present(header::STRICT_TRANSPORT_SECURITY, hsts))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(middleware::from_fn(loose_files))
        .layer(middleware::from_fn(server_fn_arguments))
        .layer(middleware::from_fn(request_reference))
        // Public pages, finished once and kept, for everyone not signed in.
        .layer(middleware::from_fn_with_state(state.clone(), crate::public_pages::keep))
        .layer(middleware::from_fn_with_state(state.clone(), server_timing))
        // Pages and files compressed for the browsers that take it (brotli, else gzip); files
        // already compressed on disk are sent as they are.
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(trace)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // A kept public page goes out from memory before anything else runs.
        .layer(middleware::from_fn_with_state(state.clone(), crate::public_pages::send_kept))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_without_islands_loses_its_hydration_and_its_empty_bookkeeping() {
        let page = concat!(
            r#"<html><head><link rel="modulepreload" href="/pkg/a.js"><script type="module" nonce="n">((root, pkg_path) => {})()</script>"#,
            r#"<script type="module" src="/enhance.js" nonce="n"></script></head><body><p>Hi</p>"#,
            r#"<script nonce="n">__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];</script><script nonce="n">__INCOMPLETE_CHUNKS=[];</script>"#,
            r#"<script nonce="n">__RESOLVED_RESOURCES=["data"];</script></body></html>"#,
        );
        let light = without_hydration(page).unwrap();
        assert_eq!(
            light,
            concat!(
                r#"<html><head><script type="module" src="/enhance.js" nonce="n"></script></head><body><p>Hi</p>"#,
                r#"<script nonce="n">__RESOLVED_RESOURCES=["data"];</script></body></html>"#,
            ),
            "a list that holds something is kept"
        );
        assert!(without_hydration(r#"<head></head><body><leptos-island></leptos-island></body>"#).is_none());
        assert!(!only_empty_bookkeeping("alert(1)") && !only_empty_bookkeeping("__X=[1];") && only_empty_bookkeeping("__A_B=[];"));
    }
}
