//! Messages to patients. Each status change queues a message in the outbox in the same
//! transaction as the change; this worker claims due messages (safely when several instances
//! run), sends them, and retries with backoff. Messages only ever say there is an update and
//! give the reference: never clinical detail or the patient's words.
//!
//! The sender speaks the GOV.UK Notify REST API (v2): a JWT signed with the API key's secret,
//! a template per channel, personalisation. Without a key, messages go to the log with the
//! recipient masked.

use app::domain::{Contact, MessageTemplate};
use app::server::{OutboxMessage, Store};
use chrono::{DateTime, Utc};
use serde_json::json;
use std::time::Duration;
use url::Url;

/// After this many failed attempts a message is given up (and shows as failed on the case).
pub const MAX_ATTEMPTS: i32 = 8;

/// A Notify API key: `{key name}-{service id}-{secret}`, both ids UUIDs.
pub struct NotifyKey {
    pub service_id: String,
    secret: String,
}

impl NotifyKey {
    pub fn parse(key: &str) -> Option<Self> {
        // The last 73 characters are "{service id}-{secret}"; the name before them may hold dashes.
        if key.len() < 74 || !key.is_ascii() {
            return None;
        }
        let tail = &key[key.len() - 73..];
        let (service_id, secret) = (&tail[..36], &tail[37..]);
        let uuid = |s: &str| uuid::Uuid::parse_str(s).is_ok();
        (tail.as_bytes()[36] == b'-' && uuid(service_id) && uuid(secret) && key.as_bytes()[key.len() - 74] == b'-')
            .then(|| Self { service_id: service_id.to_string(), secret: secret.to_string() })
    }

    /// The bearer token Notify expects: HS256, `iss` the service id, `iat` now.
    pub fn token(&self, now: DateTime<Utc>) -> Result<String, jsonwebtoken::errors::Error> {
        let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
        let claims = json!({ "iss": self.service_id, "iat": now.timestamp() });
        jsonwebtoken::encode(&header, &claims, &jsonwebtoken::EncodingKey::from_secret(self.secret.as_bytes()))
    }
}

pub struct Templates {
    pub email: String,
    pub sms: String,
    pub letter: String,
}

/// How messages leave the portal.
/// GOV.UK Notify, as the sender talks to it.
pub struct NotifyClient {
    base: Url,
    key: NotifyKey,
    templates: Templates,
    http: reqwest::Client,
    /// The portal's public address: each message links to where its news is.
    public_url: Url,
}

pub enum Sender {
    Notify(Box<NotifyClient>),
    /// No Notify key: write the message to the log, recipient masked.
    Log,
}

/// Why a send failed, and whether trying again could help.
#[derive(Debug)]
pub struct SendError {
    pub retry: bool,
    pub detail: String,
}

/// Where the message sends the patient (they sign in there): their access log for an alert
/// that their record was looked at, their requests for news of a case.
pub fn link(public_url: &Url, template: MessageTemplate) -> String {
    let page = if template == MessageTemplate::RecordLooked { "/access-log" } else { "/your-requests" };
    public_url.join(page).map(|u| u.to_string()).unwrap_or_default()
}

/// What the message says: the update, never what it is about.
fn update_text(template: MessageTemplate) -> &'static str {
    template.patient_text()
}

impl Sender {
    /// A sender through GOV.UK Notify with this key, or one that writes messages to the log
    /// (recipient masked) when there is no key.
    pub fn new(key: Option<NotifyKey>, base: Url, templates: Templates, public_url: Url) -> Self {
        match key {
            Some(key) => Sender::Notify(Box::new(NotifyClient {
                base,
                key,
                templates,
                http: reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap_or_default(),
                public_url,
            })),
            None => Sender::Log,
        }
    }

    /// Whether Notify already holds this message (by its own reference): the id Notify gave
    /// it, if so. Asked only when an earlier attempt ended with no answer.
    pub async fn find_sent(&self, m: &OutboxMessage, now: DateTime<Utc>) -> Result<Option<String>, SendError> {
        let Sender::Notify(client) = self else { return Ok(None) };
        let NotifyClient { base, key, http, .. } = client.as_ref();
        let mut url = base.join("v2/notifications").map_err(|e| SendError { retry: false, detail: e.to_string() })?;
        url.query_pairs_mut().append_pair("reference", &m.notify_reference());
        let token = key.token(now).map_err(|e| SendError { retry: false, detail: e.to_string() })?;
        let resp = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| SendError { retry: true, detail: format!("could not reach Notify: {}", e.without_url()) })?;
        let status = resp.status();
        if !status.is_success() {
            return Err(SendError { retry: true, detail: format!("Notify answered {} to a look-up", status.as_u16()) });
        }
        let reply: serde_json::Value = resp.json().await.map_err(|e| SendError { retry: true, detail: e.without_url().to_string() })?;
        Ok(reply["notifications"]
            .as_array()
            .and_then(|ns| ns.iter().find(|n| n["reference"].as_str() == Some(&m.notify_reference())))
            .and_then(|n| n["id"].as_str())
            .map(String::from))
    }

    /// Sends one message; the id Notify gave it, or why not.
    pub async fn send(&self, m: &OutboxMessage, now: DateTime<Utc>) -> Result<String, SendError> {
        match self {
            Sender::Log => {
                tracing::info!(
                    message = m.id,
                    case = m.case_id,
                    template = %m.template,
                    channel = m.contact.method(),
                    to = %m.contact.masked(),
                    "message to patient written to the log (no Notify key set, so not sent)"
                );
                Ok(format!("log-{}", m.id))
            }
            Sender::Notify(client) => {
                let NotifyClient { base, key, templates, http, public_url } = client.as_ref();
                let personalisation = json!({
                    "reference": m.reference,
                    "update": update_text(m.template),
                    "sign_in_url": link(public_url, m.template),
                });
                let (path, body) = match &m.contact {
                    Contact::Email(to) => (
                        "v2/notifications/email",
                        json!({ "email_address": to, "template_id": templates.email, "personalisation": personalisation, "reference": m.notify_reference() }),
                    ),
                    Contact::Text(to) => (
                        "v2/notifications/sms",
                        json!({ "phone_number": to, "template_id": templates.sms, "personalisation": personalisation, "reference": m.notify_reference() }),
                    ),
                    Contact::Post(address) => {
                        let mut p = personalisation.as_object().cloned().unwrap_or_default();
                        let lines: Vec<&str> = address.lines().map(str::trim).filter(|l| !l.is_empty()).take(7).collect();
                        for (i, line) in lines.iter().enumerate() {
                            p.insert(format!("address_line_{}", i + 1), json!(line));
                        }
                        ("v2/notifications/letter", json!({ "template_id": templates.letter, "personalisation": p, "reference": m.notify_reference() }))
                    }
                };
                let url = base.join(path).map_err(|e| SendError { retry: false, detail: e.to_string() })?;
                let token = key.token(now).map_err(|e| SendError { retry: false, detail: e.to_string() })?;
                let resp = http
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .map_err(|e| SendError { retry: true, detail: format!("could not reach Notify: {}", e.without_url()) })?;
                let status = resp.status();
                let reply: serde_json::Value = resp.json().await.unwrap_or_default();
                if status.is_success() {
                    return Ok(reply["id"].as_str().unwrap_or_default().to_string());
                }
                // Notify's errors name the problem (never the recipient); keep only that.
                let errors = reply["errors"]
                    .as_array()
                    .map(|es| es.iter().filter_map(|e| e["error"].as_str()).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                Err(SendError {
                    retry: status.as_u16() == 429 || status.is_server_error(),
                    detail: format!("Notify answered {}: {errors}", status.as_u16()),
                })
            }
        }
    }
}

/// When to try again after `attempts` failures: 30 s, 1 min, 2 min … up to an hour.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let secs = 30i64.saturating_mul(1i64 << attempts.clamp(0, 7));
    chrono::Duration::seconds(secs.min(3600))
}

/// How long a claim on a message lasts: far longer than the worst send (Notify's requests time
/// out after 20 seconds), so that a slow Notify never lets a second instance take a message
/// the first is still sending.
pub fn lease() -> chrono::Duration {
    chrono::Duration::minutes(5)
}

/// How many messages one round claims: few, so that each is sent well inside its lease.
pub const CLAIM_AT_ONCE: i64 = 5;

/// One round: claims the messages due now and sends each, exactly once as far as the portal
/// can make it: the claim is renewed just before the send and the message marked sent only
/// under that claim; a message whose earlier claim ended mid-send is first looked up at
/// Notify by its own reference. Returns how many were sent (or found already sent).
pub async fn deliver_due(store: &dyn Store, sender: &Sender, now: DateTime<Utc>) -> Result<usize, app::server::StoreError> {
    let claimed = store.claim_messages(now, lease(), CLAIM_AT_ONCE).await?;
    let mut sent = 0;
    for m in claimed {
        // The round's clock, or the real one once it has moved on.
        let at = || now.max(Utc::now());
        if !store.renew_claim(m.id, &m.claim, at(), lease()).await? {
            tracing::warn!(message = m.id, "message claim no longer held: left to the instance that holds it");
            continue;
        }
        if m.in_doubt {
            match sender.find_sent(&m, Utc::now()).await {
                Ok(Some(provider_id)) => {
                    store.message_sent(m.id, &m.claim, &provider_id, at()).await?;
                    tracing::info!(message = m.id, case = m.case_id, "message to patient found already sent: not sent again");
                    sent += 1;
                    continue;
                }
                Ok(None) => {}
                Err(e) => {
                    // Not knowing whether it went, do not send it: ask again later.
                    tracing::warn!(message = m.id, error = %e.detail, "could not ask Notify whether a message went");
                    store.message_failed(m.id, &m.claim, &e.detail, Some(now + backoff(m.attempts + 1)), at()).await?;
                    continue;
                }
            }
        }
        // The token's `iat` is the real time, whatever round this is.
        match sender.send(&m, Utc::now()).await {
            Ok(provider_id) => {
                if store.message_sent(m.id, &m.claim, &provider_id, at()).await? {
                    tracing::info!(message = m.id, case = m.case_id, template = %m.template, "message to patient sent");
                } else {
                    tracing::error!(message = m.id, "message sent after its claim was lost: it may be sent twice");
                }
                sent += 1;
            }
            Err(e) => {
                let attempts = m.attempts + 1;
                let retry_at = (e.retry && attempts < MAX_ATTEMPTS).then(|| now + backoff(attempts));
                tracing::warn!(message = m.id, case = m.case_id, attempts, retry = retry_at.is_some(), error = %e.detail, "message to patient not sent");
                store.message_failed(m.id, &m.claim, &e.detail, retry_at, at()).await?;
            }
        }
    }
    Ok(sent)
}

/// Runs [`deliver_due`] every `every` until the task is stopped.
pub async fn run(store: std::sync::Arc<dyn Store>, sender: Sender, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = deliver_due(&*store, &sender, Utc::now()).await {
            tracing::warn!(error = %e, "could not read the outbox");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_split_into_service_and_secret() {
        let key = "portal_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
        let k = NotifyKey::parse(key).unwrap();
        assert_eq!(k.service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
        assert!(NotifyKey::parse("not-a-key").is_none());
        assert!(NotifyKey::parse(&key.replace("-3d84", "x3d84")).is_none());
        let token = k.token(Utc::now()).unwrap();
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
        v.required_spec_claims.clear();
        let data = jsonwebtoken::decode::<serde_json::Value>(
            &token,
            &jsonwebtoken::DecodingKey::from_secret(b"3d844edf-8d35-48ac-975b-e847b4f122b0"),
            &v,
        )
        .unwrap();
        assert_eq!(data.claims["iss"], "26785a09-ab16-4eb0-8407-a37497a57506");
    }

    #[test]
    fn an_alert_links_to_the_access_log_and_news_of_a_case_to_the_requests() {
        let portal = Url::parse("https://portal.example/").unwrap();
        assert_eq!(link(&portal, MessageTemplate::RecordLooked), "https://portal.example/access-log");
        assert_eq!(link(&portal, MessageTemplate::Decided), "https://portal.example/your-requests");
    }

    #[test]
    fn backoff_grows_and_stops_at_an_hour() {
        assert_eq!(backoff(1), chrono::Duration::seconds(60));
        assert_eq!(backoff(2), chrono::Duration::seconds(120));
        assert_eq!(backoff(7), chrono::Duration::seconds(3600));
        assert_eq!(backoff(30), chrono::Duration::seconds(3600));
    }
}
