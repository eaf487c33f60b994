//! The browser's defences the portal asks for on every response: a strict
//! Content-Security-Policy (scripts only by the response's nonce), no framing, no sniffing,
//! HSTS where the portal is served over https, and no powerful features it does not use.

/// The policy of a page the app renders: scripts only with this response's nonce (and what
/// they load, `'strict-dynamic'`), WebAssembly compiled by them, everything else from the portal
/// itself; no plugins, no `<base>`, forms only to the portal, never in a frame.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy of a public page sent from memory to everyone not signed in (see
/// `public_pages`): it has no inline script, so scripts come only from the portal itself; a
/// nonce would be the same for every reader, so none is used. Such a page has no island, so no
/// WebAssembly either (the enhancer loads a page with islands afresh, under its own policy).
pub const KEPT_PAGE_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The policy of every other response (problem pages the handlers draw, files, JSON): no
/// script at all.
pub const NO_SCRIPT_POLICY: &str = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// What the portal does not use, denied to every page.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), \
     microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()";

/// Strict-Transport-Security for a portal whose public address is https: two years, and its subdomains.
pub const HSTS: &str = "max-age=63072000; includeSubDomains";

/// Security events: each is one log line (target `security`, ids only) and a counter that
/// `/metrics` exposes, so a burst of failures shows both in the log and on a dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecurityEvent {
    SignInSucceeded,
    SignInFailed,
    /// A signed-in person asked for something their role does not allow.
    AuthorisationRefused,
    /// A wrong client id, secret or bearer token at the FHIR API or the token endpoint.
    ApiCredentialsRefused,
    /// A request over a rate limit.
    RateLimited,
    RoleGranted,
    RoleRemoved,
    SourceRegistered,
    SourceRevoked,
}

impl SecurityEvent {
    const ALL: [SecurityEvent; 9] = [
        SecurityEvent::SignInSucceeded,
        SecurityEvent::SignInFailed,
        SecurityEvent::AuthorisationRefused,
        SecurityEvent::ApiCredentialsRefused,
        SecurityEvent::RateLimited,
        SecurityEvent::RoleGranted,
        SecurityEvent::RoleRemoved,
        SecurityEvent::SourceRegistered,
        SecurityEvent::SourceRevoked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SecurityEvent::SignInSucceeded => "sign_in_succeeded",
            SecurityEvent::SignInFailed => "sign_in_failed",
            SecurityEvent::AuthorisationRefused => "authorisation_refused",
            SecurityEvent::ApiCredentialsRefused => "api_credentials_refused",
            SecurityEvent::RateLimited => "rate_limited",
            SecurityEvent::RoleGranted => "role_granted",
            SecurityEvent::RoleRemoved => "role_removed",
            SecurityEvent::SourceRegistered => "source_registered",
            SecurityEvent::SourceRevoked => "source_revoked",
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|e| *e == self).unwrap_or_default()
    }
}

static COUNTS: [std::sync::atomic::AtomicU64; 9] = [const { std::sync::atomic::AtomicU64::new(0) }; 9];

/// Records a security event: one log line with the ids given (never names, NHS numbers, free
/// text or tokens), and one more on its counter.
pub fn record(event: SecurityEvent, ids: &str) {
    COUNTS[event.index()].fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    tracing::warn!(target: "security", event = event.as_str(), ids, "security event");
}

/// How many of each event this process has seen.
pub fn count(event: SecurityEvent) -> u64 {
    COUNTS[event.index()].load(std::sync::atomic::Ordering::Relaxed)
}

/// The counters in the Prometheus text format, for `/metrics`. (A handful of counters: the
/// text format is simpler than a metrics library and its registry.)
pub fn metrics_text() -> String {
    let mut out = String::from("# HELP scr_security_events_total Security events since the process started, by kind.\n# TYPE scr_security_events_total counter\n");
    for e in SecurityEvent::ALL {
        out.push_str(&format!("scr_security_events_total{{event=\"{}\"}} {}\n", e.as_str(), count(e)));
    }
    out
}
