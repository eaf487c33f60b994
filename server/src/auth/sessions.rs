//! Server-side sessions in the database. The browser holds only a random token in a
//! `__Host-` cookie; the table holds a keyed hash of it, so a copy of the database cannot
//! be replayed as a cookie. Idle and absolute lifetimes are checked on every request.

use app::domain::people::SignedIn;
use app::server::{CurrentSession, SessionRecord, Store};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub const SESSION_COOKIE: &str = "__Host-scr-session";
pub const SIGN_IN_COOKIE: &str = "__Host-scr-sign-in";

/// Hashes tokens with the cookie secret; one per process, shared by every instance's config.
#[derive(Clone)]
pub struct TokenHasher {
    key: Vec<u8>,
}

impl std::fmt::Debug for TokenHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHasher([redacted])")
    }
}

impl TokenHasher {
    pub fn new(key: &[u8]) -> Self {
        Self { key: key.to_vec() }
    }

    pub fn hash(&self, token: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(token.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

pub use app::server::credentials::random_token;

/// Reads one cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: `__Host-` names need Secure, Path=/ and no Domain. Browsers treat
/// loopback addresses as secure, so this works on http://127.0.0.1 in development too.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64) -> HeaderValue {
    let v = format!("{name}={value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}");
    HeaderValue::from_str(&v).expect("cookie values are URL-safe")
}

pub fn clear_cookie(name: &str) -> HeaderValue {
    set_cookie(name, "", 0)
}

/// What the session layer and sign-in need: the store, the token hasher and the lifetimes.
#[derive(Clone)]
pub struct Sessions {
    pub store: std::sync::Arc<dyn Store>,
    pub hasher: TokenHasher,
    pub lifetimes: Lifetimes,
}

#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    pub patient_idle: Duration,
    pub staff_idle: Duration,
    pub absolute: Duration,
}

impl Lifetimes {
    fn idle_for(&self, holder: &SignedIn) -> Duration {
        match holder {
            SignedIn::Patient(_) => self.patient_idle,
            SignedIn::Staff(_) => self.staff_idle,
        }
    }
}

/// Whether a stored session is still alive at `now`.
/// Last-seen is written at most this often (a tenth of the idle limit, at most a minute), so a
/// busy session costs few writes; and since last-seen may lag a use by up to this much, a
/// session is alive for this much longer than its idle limit: one in use never ends early.
pub fn touch_interval(idle_timeout_secs: i64) -> Duration {
    Duration::seconds((idle_timeout_secs / 10).clamp(1, 60))
}

/// Whether a stored session is still alive at `now`: within its absolute lifetime, and used
/// within its idle limit.
pub fn is_alive(s: &SessionRecord, now: DateTime<Utc>) -> bool {
    let idle = Duration::seconds(s.idle_timeout_secs);
    now < s.absolute_expires_at && now < s.last_seen_at + idle + touch_interval(s.idle_timeout_secs)
}

/// Starts a new session for `holder`, ending the one the browser had: the id always changes at sign-in.
/// Returns the `Set-Cookie` header value.
pub async fn start(state: &Sessions, previous: Option<&str>, holder: SignedIn) -> Result<HeaderValue, app::server::StoreError> {
    if let Some(old) = previous {
        state.store.delete_session(&state.hasher.hash(old)).await?;
    }
    let token = random_token();
    let now = Utc::now();
    let idle = state.lifetimes.idle_for(&holder);
    let record = SessionRecord {
        id_hash: state.hasher.hash(&token),
        holder,
        created_at: now,
        last_seen_at: now,
        idle_timeout_secs: idle.num_seconds(),
        absolute_expires_at: now + state.lifetimes.absolute,
    };
    state.store.create_session(&record).await?;
    tracing::info!(kind = record.holder.kind(), "session started");
    Ok(set_cookie(SESSION_COOKIE, &token, state.lifetimes.absolute.num_seconds()))
}

/// Staff roles are read from the directory on every request, so a role removed by an admin
/// stops working at once. Patients are as NHS login described them at sign-in.
/// `Ok(None)`: no roles left. An error is an error, never "no roles": a database blip must not
/// sign anyone out.
async fn refreshed(state: &Sessions, holder: SignedIn) -> Result<Option<SignedIn>, app::server::StoreError> {
    Ok(match holder {
        SignedIn::Staff(s) => match state.store.staff_member(&s.subject).await? {
            Some(r) if !r.grants.is_empty() => {
                Some(SignedIn::Staff(app::domain::people::StaffMember { subject: r.subject, name: r.name, grants: r.grants }))
            }
            _ => None,
        },
        patient => Some(patient),
    })
}

/// The answer when the session cannot be read: never "you are signed out". The database out
/// is 503 (the session and its cookie are kept for when it is back); a fault of ours is 500.
fn cannot_read(e: app::server::StoreError) -> Response {
    app::server::HandlerError::Store(e).into_response()
}

/// Loads the session for each request and puts its holder in the request's extensions.
/// An expired session is deleted and its cookie cleared.
pub async fn layer(State(state): State<Sessions>, mut req: Request, next: Next) -> Response {
    // The built site's files and the health checks never depend on who is asking: no lookup.
    let path = req.uri().path();
    if path.starts_with("/pkg/") || path == "/favicon.svg" || path == "/healthz" || path == "/readyz" || path == "/metrics" {
        return next.run(req).await;
    }
    let mut clear = false;
    let mut current = CurrentSession(None);
    if let Some(token) = cookie(req.headers(), SESSION_COOKIE).map(str::to_owned) {
        let id_hash = state.hasher.hash(&token);
        match state.store.session(&id_hash).await {
            Ok(Some(s)) => {
                let now = Utc::now();
                if is_alive(&s, now) {
                    if now - s.last_seen_at >= touch_interval(s.idle_timeout_secs) {
                        let idle_until = (now + Duration::seconds(s.idle_timeout_secs)).min(s.absolute_expires_at);
                        if let Err(e) = state.store.touch_session(&id_hash, now, idle_until).await {
                            tracing::warn!(error = %e, "could not record session activity");
                        }
                    }
                    match refreshed(&state, s.holder).await {
                        Ok(Some(holder)) => current = CurrentSession(Some(holder)),
                        Err(e) => return cannot_read(e),
                        Ok(None) => {
                            // Their roles were taken away: the session ends now, not at its expiry.
                            let _ = state.store.delete_session(&id_hash).await;
                            tracing::info!("staff session ended: no roles left");
                            clear = true;
                        }
                    }
                } else {
                    let _ = state.store.delete_session(&id_hash).await;
                    tracing::info!("session expired");
                    clear = true;
                }
            }
            Ok(None) => clear = true,
            // A stored session that cannot be read back (not an outage: its row is damaged)
            // can never work again: it is ended, and its holder signs in afresh.
            Err(app::server::StoreError::Corrupt(_)) => {
                let _ = state.store.delete_session(&id_hash).await;
                tracing::warn!("a session whose record could not be read was ended");
                clear = true;
            }
            Err(e) => return cannot_read(e),
        }
    }
    if let (Some(_), Some(token)) = (&current.0, cookie(req.headers(), SESSION_COOKIE)) {
        let id = app::server::CurrentSessionId(state.hasher.hash(token));
        req.extensions_mut().insert(id);
    }
    req.extensions_mut().insert(current);
    let mut res = next.run(req).await;
    if clear && !res.headers().contains_key(header::SET_COOKIE) {
        res.headers_mut().append(header::SET_COOKIE, clear_cookie(SESSION_COOKIE));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_keyed() {
        let a = TokenHasher::new(b"one key that is long enough......");
        let b = TokenHasher::new(b"another key that is long enough..");
        assert_eq!(a.hash("t"), a.hash("t"));
        assert_ne!(a.hash("t"), b.hash("t"));
        assert_ne!(a.hash("t"), "t");
    }

    #[test]
    fn reads_the_named_cookie_only() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; __Host-scr-session=abc; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "c"), None);
    }

    #[test]
    fn cookies_carry_the_safe_attributes() {
        let c = set_cookie(SESSION_COOKIE, "x", 60);
        let c = c.to_str().unwrap();
        for attr in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(c.contains(attr), "{c} lacks {attr}");
        }
        assert!(!c.contains("Domain"));
    }
}
