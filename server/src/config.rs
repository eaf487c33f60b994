//! Typed settings, read from the environment (`PORTAL_*` and `DATABASE_URL`) or flags.
//! `scr-portal --help` lists each with its default. Secrets never print.

use clap::{Args, ValueEnum};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use url::Url;

/// A value that must never reach a log, a page or a `Debug` print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_string()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Toggle {
    /// Decided by the environment: see the setting.
    Auto,
    On,
    Off,
}

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// development or production. Production refuses unsafe settings.
    #[arg(long, env = "PORTAL_ENV", value_enum, default_value = "development")]
    pub env: Environment,

    /// Address and port to listen on.
    #[arg(long, env = "PORTAL_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// The address people use to reach the portal; sign-in callbacks are built from it.
    #[arg(long, env = "PORTAL_PUBLIC_URL", default_value = "http://127.0.0.1:3000")]
    pub public_url: Url,

    /// sqlite://path or postgres://user@host/db. SQLite files are created when missing.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://data/portal.db", hide_env_values = true)]
    pub database_url: Secret,

    /// Most database connections this instance opens.
    #[arg(long, env = "PORTAL_DB_MAX_CONNECTIONS", default_value_t = 10)]
    pub db_max_connections: u32,

    /// Offer made-up people on the sign-in page. Never allowed in production.
    #[arg(long, env = "PORTAL_DEMO_SIGN_IN", value_enum, default_value = "auto")]
    pub demo_sign_in: Toggle,

    /// Load the two demonstration areas, their notices and the demonstration staff at start-up.
    #[arg(long, env = "PORTAL_DEMO_DATA", value_enum, default_value = "auto")]
    pub demo_data: Toggle,

    /// NHS login issuer URL (discovery is read from it). Unset: no NHS login.
    #[arg(long, env = "PORTAL_NHS_LOGIN_ISSUER")]
    pub nhs_login_issuer: Option<Url>,

    /// The portal's client id at NHS login.
    #[arg(long, env = "PORTAL_NHS_LOGIN_CLIENT_ID", default_value = "scr-portal")]
    pub nhs_login_client_id: String,

    /// PEM file with the private key for private_key_jwt client authentication at NHS login.
    #[arg(long, env = "PORTAL_NHS_LOGIN_KEY_FILE")]
    pub nhs_login_key_file: Option<PathBuf>,

    /// The vectors of trust to ask NHS login for, as a JSON list.
    #[arg(long, env = "PORTAL_NHS_LOGIN_VTR", default_value = r#"["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]"#)]
    pub nhs_login_vtr: String,

    /// Scopes asked of NHS login.
    #[arg(long, env = "PORTAL_NHS_LOGIN_SCOPES", default_value = "openid profile gp_registration_details")]
    pub nhs_login_scopes: String,

    /// Staff sign-in issuer URL (NHS CIS2 or any OIDC provider). Unset: no staff sign-in.
    #[arg(long, env = "PORTAL_STAFF_ISSUER")]
    pub staff_issuer: Option<Url>,

    /// The portal's client id at the staff issuer.
    #[arg(long, env = "PORTAL_STAFF_CLIENT_ID", default_value = "scr-portal-staff")]
    pub staff_client_id: String,

    /// PEM file with the private key for private_key_jwt at the staff issuer.
    #[arg(long, env = "PORTAL_STAFF_KEY_FILE")]
    pub staff_key_file: Option<PathBuf>,

    /// Scopes asked of the staff issuer.
    #[arg(long, env = "PORTAL_STAFF_SCOPES", default_value = "openid profile")]
    pub staff_scopes: String,

    /// Key for the keyed hash of session tokens (at least 32 characters). Several instances must share it.
    /// Unset in development: a random one each start.
    #[arg(long, env = "PORTAL_COOKIE_SECRET", hide_env_values = true)]
    pub cookie_secret: Option<Secret>,

    /// Minutes a patient's session lasts without use.
    #[arg(long, env = "PORTAL_PATIENT_IDLE_MINUTES", default_value_t = 30)]
    pub patient_idle_minutes: i64,

    /// Minutes a member of staff's session lasts without use.
    #[arg(long, env = "PORTAL_STAFF_IDLE_MINUTES", default_value_t = 15)]
    pub staff_idle_minutes: i64,

    /// Hours any session lasts, however busy.
    #[arg(long, env = "PORTAL_SESSION_ABSOLUTE_HOURS", default_value_t = 12)]
    pub session_absolute_hours: i64,

    /// Allow, in production, sessions longer than OWASP ASVS level 2 sets (30 minutes idle, 12
    /// hours in all). Only with a documented reason.
    #[arg(long, env = "PORTAL_ALLOW_LONG_SESSIONS", default_value_t = false)]
    pub allow_long_sessions: bool,

    /// GOV.UK Notify API key (`name-serviceid-secret`). Unset: messages to patients are written
    /// to the log, recipient masked, and not sent.
    #[arg(long, env = "PORTAL_NOTIFY_API_KEY", hide_env_values = true)]
    pub notify_api_key: Option<Secret>,

    /// GOV.UK Notify's API address.
    #[arg(long, env = "PORTAL_NOTIFY_BASE_URL", default_value = "https://api.notifications.service.gov.uk")]
    pub notify_base_url: Url,

    /// Notify template for emails (personalisation: reference, update, sign_in_url).
    #[arg(long, env = "PORTAL_NOTIFY_EMAIL_TEMPLATE", default_value = "")]
    pub notify_email_template: String,

    /// Notify template for text messages (personalisation: reference, update, sign_in_url).
    #[arg(long, env = "PORTAL_NOTIFY_SMS_TEMPLATE", default_value = "")]
    pub notify_sms_template: String,

    /// Notify template for letters (address lines, reference, update, sign_in_url).
    #[arg(long, env = "PORTAL_NOTIFY_LETTER_TEMPLATE", default_value = "")]
    pub notify_letter_template: String,

    /// Seconds between looks at the outbox for messages to send.
    #[arg(long, env = "PORTAL_NOTIFY_POLL_SECONDS", default_value_t = 5)]
    pub notify_poll_seconds: u64,

    /// Seconds between writes of the notice page views counted in memory.
    #[arg(long, env = "PORTAL_VIEWS_WRITE_SECONDS", default_value_t = 5)]
    pub views_write_seconds: u64,

    /// On SIGTERM: seconds to keep serving while `/readyz` says not ready, so a load balancer
    /// can move traffic away before the listener closes.
    #[arg(long, env = "PORTAL_DRAIN_SECONDS", default_value_t = 10)]
    pub drain_seconds: u64,

    /// On SIGTERM: seconds after which the process ends, whatever is still open.
    #[arg(long, env = "PORTAL_SHUTDOWN_DEADLINE_SECONDS", default_value_t = 30)]
    pub shutdown_deadline_seconds: u64,

    /// Seconds a client has to send its request headers, and then its request body.
    #[arg(long, env = "PORTAL_CLIENT_TIMEOUT_SECONDS", default_value_t = 10)]
    pub client_timeout_seconds: u64,

    /// Seconds a request may take in all before it is answered 503.
    #[arg(long, env = "PORTAL_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,

    /// Seconds between looks for approved notice changes whose time to publish has come.
    #[arg(long, env = "PORTAL_PUBLISH_POLL_SECONDS", default_value_t = 30)]
    pub publish_poll_seconds: u64,

    /// Seconds between sealing the audit trail's settled rows into its chain and running the
    /// privacy monitoring rules over the access events that arrived. 0: this instance leaves
    /// both to the others (each instance may run them; another doing it first is not an error).
    #[arg(long, env = "PORTAL_AUDIT_SEAL_SECONDS", default_value_t = 30)]
    pub audit_seal_seconds: u64,

    /// Sign-ins a minute one address may start (NHS login, staff, demonstration).
    #[arg(long, env = "PORTAL_SIGN_IN_RATE_PER_MINUTE", default_value_t = 30)]
    pub sign_in_rate_per_minute: u32,

    /// Requests a minute one client (or one address) may make to the FHIR API.
    #[arg(long, env = "PORTAL_API_RATE_PER_MINUTE", default_value_t = 60_000)]
    pub api_rate_per_minute: u32,

    /// Tokens a minute one client (or one address) may ask for at `/oauth/token`.
    #[arg(long, env = "PORTAL_TOKEN_RATE_PER_MINUTE", default_value_t = 60)]
    pub token_rate_per_minute: u32,

    /// Months access events are kept; older ones are deleted by a daily job.
    #[arg(long, env = "PORTAL_ACCESS_EVENT_RETENTION_MONTHS", default_value_t = 96)]
    pub access_event_retention_months: u32,

    /// Days a patient can download the response to their request once it is ready.
    #[arg(long, env = "PORTAL_DOWNLOAD_DAYS", default_value_t = 28)]
    pub download_days: i64,

    /// Where the built site (pkg/, CSS, WebAssembly, public files) is.
    #[arg(long, env = "PORTAL_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Add a Server-Timing header to every answer: the time the portal spent on the request.
    /// For measuring (the benchmark reads it); off unless asked for, as it tells any visitor
    /// how long each request took.
    #[arg(long, env = "PORTAL_SERVER_TIMING", value_enum, default_value = "off")]
    pub server_timing: Toggle,

    /// text or json.
    #[arg(long, env = "PORTAL_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    /// Log filter, e.g. info or scr_portal=debug,info.
    #[arg(long, env = "PORTAL_LOG", default_value = "info")]
    pub log_filter: String,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{setting}: {problem}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub problem: String,
}

fn refuse(setting: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError { setting, problem: problem.into() }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl Settings {
    /// The defaults, as if no flag or variable were given (tests start from this).
    pub fn defaults() -> Self {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            s: Settings,
        }
        <Only as clap::Parser>::parse_from(["scr-portal"]).s
    }

    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    pub fn demo_sign_in_enabled(&self) -> bool {
        match self.demo_sign_in {
            Toggle::On => true,
            Toggle::Off => false,
            Toggle::Auto => !self.is_production() && self.nhs_login_issuer.is_none(),
        }
    }

    pub fn demo_data_enabled(&self) -> bool {
        match self.demo_data {
            Toggle::On => true,
            Toggle::Off => false,
            Toggle::Auto => !self.is_production(),
        }
    }

    /// Checks what must hold before the portal starts; the error names the setting.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let secure_public = self.public_url.scheme() == "https";
        if !secure_public && (self.is_production() || !is_loopback(&self.public_url)) {
            return Err(refuse(
                "PORTAL_PUBLIC_URL",
                "must be https (plain http is allowed only on a loopback address in development)",
            ));
        }
        for (setting, issuer) in [
            ("PORTAL_NHS_LOGIN_ISSUER", &self.nhs_login_issuer),
            ("PORTAL_STAFF_ISSUER", &self.staff_issuer),
        ] {
            if let Some(url) = issuer {
                if url.scheme() != "https" && (self.is_production() || !is_loopback(url)) {
                    return Err(refuse(setting, "must be an https URL"));
                }
            }
        }
        if let Some(secret) = &self.cookie_secret {
            if secret.expose().len() < 32 {
                return Err(refuse("PORTAL_COOKIE_SECRET", "must be at least 32 characters"));
            }
            if estimated_entropy_bits(secret.expose()) < 128.0 {
                return Err(refuse("PORTAL_COOKIE_SECRET", "is too predictable: use at least 128 random bits, for example `openssl rand -base64 32`"));
            }
        }
        if self.nhs_login_issuer.is_some() && self.nhs_login_key_file.is_none() {
            return Err(refuse("PORTAL_NHS_LOGIN_KEY_FILE", "is needed to sign in to NHS login (private_key_jwt)"));
        }
        if self.patient_idle_minutes < 1 || self.staff_idle_minutes < 1 || self.session_absolute_hours < 1 {
            return Err(refuse("PORTAL_*_IDLE_MINUTES", "session lifetimes must be at least 1"));
        }
        if !(1..=365).contains(&self.download_days) {
            return Err(refuse("PORTAL_DOWNLOAD_DAYS", "must be between 1 and 365"));
        }
        if let Some(key) = &self.notify_api_key {
            if crate::notify::NotifyKey::parse(key.expose()).is_none() {
                return Err(refuse("PORTAL_NOTIFY_API_KEY", "is not a GOV.UK Notify API key (name-serviceid-secret)"));
            }
            if self.notify_email_template.is_empty() || self.notify_sms_template.is_empty() || self.notify_letter_template.is_empty() {
                return Err(refuse("PORTAL_NOTIFY_*_TEMPLATE", "an email, a text message and a letter template are needed with a Notify key"));
            }
        }
        if self.notify_base_url.scheme() != "https" && (self.is_production() || !is_loopback(&self.notify_base_url)) {
            return Err(refuse("PORTAL_NOTIFY_BASE_URL", "must be an https URL"));
        }
        if self.is_production() {
            if matches!(self.demo_sign_in, Toggle::On) {
                return Err(refuse("PORTAL_DEMO_SIGN_IN", "demonstration sign-in cannot be turned on in production"));
            }
            if matches!(self.demo_data, Toggle::On) {
                return Err(refuse("PORTAL_DEMO_DATA", "demonstration data cannot be loaded in production"));
            }
            if self.cookie_secret.is_none() {
                return Err(refuse("PORTAL_COOKIE_SECRET", "must be set in production"));
            }
            if self.nhs_login_issuer.is_none() {
                return Err(refuse("PORTAL_NHS_LOGIN_ISSUER", "must be set in production"));
            }
            if self.staff_issuer.is_some() && self.staff_key_file.is_none() {
                return Err(refuse("PORTAL_STAFF_KEY_FILE", "must be set in production"));
            }
            if !self.allow_long_sessions {
                if self.patient_idle_minutes > 30 {
                    return Err(refuse("PORTAL_PATIENT_IDLE_MINUTES", "must be 30 or fewer (OWASP ASVS level 2), unless PORTAL_ALLOW_LONG_SESSIONS is set"));
                }
                if self.staff_idle_minutes > 30 {
                    return Err(refuse("PORTAL_STAFF_IDLE_MINUTES", "must be 30 or fewer (OWASP ASVS level 2), unless PORTAL_ALLOW_LONG_SESSIONS is set"));
                }
                if self.session_absolute_hours > 12 {
                    return Err(refuse("PORTAL_SESSION_ABSOLUTE_HOURS", "must be 12 or fewer (OWASP ASVS level 2), unless PORTAL_ALLOW_LONG_SESSIONS is set"));
                }
            }
        }
        // Last, so a refusal of the settings above is named first.
        for (setting, file) in [
            ("PORTAL_NHS_LOGIN_KEY_FILE", &self.nhs_login_key_file),
            ("PORTAL_STAFF_KEY_FILE", &self.staff_key_file),
        ] {
            if let Some(path) = file {
                if let Err(e) = std::fs::read(path) {
                    return Err(refuse(setting, format!("names a key file that cannot be read ({})", e.kind())));
                }
            }
        }
        Ok(())
    }
}

/// A rough upper bound on a secret's randomness: its length times the bits each character could
/// carry if the characters it uses were chosen at random. A repeated or short secret scores low.
fn estimated_entropy_bits(secret: &str) -> f64 {
    let distinct: std::collections::BTreeSet<char> = secret.chars().collect();
    if distinct.len() < 2 {
        return 0.0;
    }
    secret.chars().count() as f64 * (distinct.len() as f64).log2()
}

impl Settings {
    /// The sender of messages to patients these settings describe.
    pub fn notify_sender(&self) -> crate::notify::Sender {
        use crate::notify::{NotifyKey, Sender, Templates};
        Sender::new(
            self.notify_api_key.as_ref().and_then(|k| NotifyKey::parse(k.expose())),
            self.notify_base_url.clone(),
            Templates {
                email: self.notify_email_template.clone(),
                sms: self.notify_sms_template.clone(),
                letter: self.notify_letter_template.clone(),
            },
            self.public_url.clone(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn production() -> Settings {
        let mut s = Settings::defaults();
        s.env = Environment::Production;
        s.public_url = Url::parse("https://portal.example.nhs.uk").unwrap();
        s.nhs_login_issuer = Some(Url::parse("https://auth.login.nhs.uk").unwrap());
        s.nhs_login_key_file = Some(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/client.key.pem").into());
        s.cookie_secret = Some(Secret::new("q8Zr2Xw7Lk4Pn9Tb6Vc3Hy5Md1Gf0Sj8Ua2Ee7Ri4Ow"));
        s.demo_sign_in = Toggle::Auto;
        s
    }

    #[test]
    fn defaults_run_a_demonstration_locally() {
        let s = Settings::defaults();
        assert!(s.validate().is_ok());
        assert!(s.demo_sign_in_enabled());
        assert_eq!(s.bind.to_string(), "127.0.0.1:3000");
    }

    #[test]
    fn a_sound_production_config_starts() {
        let s = production();
        assert_eq!(s.validate(), Ok(()));
        assert!(!s.demo_sign_in_enabled());
    }

    #[test]
    fn production_refuses_unsafe_settings_by_name() {
        let mut s = production();
        s.demo_sign_in = Toggle::On;
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_DEMO_SIGN_IN");

        let mut s = production();
        s.nhs_login_issuer = Some(Url::parse("http://auth.example").unwrap());
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_NHS_LOGIN_ISSUER");

        let mut s = production();
        s.cookie_secret = None;
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_COOKIE_SECRET");

        let mut s = production();
        s.nhs_login_key_file = None;
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_NHS_LOGIN_KEY_FILE");

        let mut s = production();
        s.public_url = Url::parse("http://portal.example.nhs.uk").unwrap();
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_PUBLIC_URL");

        let mut s = production();
        s.staff_issuer = Some(Url::parse("https://cis2.example").unwrap());
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_STAFF_KEY_FILE");
    }

    #[test]
    fn production_refuses_weak_secrets_missing_keys_and_long_sessions() {
        let mut s = production();
        s.cookie_secret = Some(Secret::new("x".repeat(40)));
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_COOKIE_SECRET", "a repeated character is not random");

        let mut s = production();
        s.cookie_secret = Some(Secret::new("abababababababababababababababab"));
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_COOKIE_SECRET", "two characters carry one bit each");

        let mut s = production();
        s.nhs_login_key_file = Some("/nowhere/key.pem".into());
        let refused = s.validate().unwrap_err();
        assert_eq!(refused.setting, "PORTAL_NHS_LOGIN_KEY_FILE");
        assert!(refused.problem.contains("cannot be read"), "{}", refused.problem);

        let mut s = production();
        s.patient_idle_minutes = 31;
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_PATIENT_IDLE_MINUTES");
        s.allow_long_sessions = true;
        assert_eq!(s.validate(), Ok(()), "with the explicit override");

        let mut s = production();
        s.session_absolute_hours = 13;
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_SESSION_ABSOLUTE_HOURS");
    }

    #[test]
    fn development_allows_http_only_on_loopback() {
        let mut s = Settings::defaults();
        s.public_url = Url::parse("http://portal.example").unwrap();
        assert_eq!(s.validate().unwrap_err().setting, "PORTAL_PUBLIC_URL");
    }

    #[test]
    fn secrets_never_print() {
        let mut s = Settings::defaults();
        s.cookie_secret = Some(Secret::new("super-secret-value-that-is-long-enough"));
        s.database_url = Secret::new("postgres://user:pw@host/db");
        let printed = format!("{s:?}");
        assert!(!printed.contains("super-secret"));
        assert!(!printed.contains("pw@host"));
    }
}
