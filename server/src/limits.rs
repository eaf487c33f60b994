//! Rate limits (tower_governor) where credentials are tried: starting a sign-in, and the machine
//! API with its token endpoint. Each is limited per address, and the API also per client, so
//! neither many clients from one address nor one client from many addresses gets through. A
//! request over the limit gets 429 with `Retry-After`, and is a security event.

use app::server::credentials::hash_secret;
use app::server::security::{self, SecurityEvent};
use axum::body::Body;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use http::{header, HeaderValue, Request, StatusCode};
use std::sync::Arc;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::{KeyExtractor, PeerIpKeyExtractor};
use tower_governor::{GovernorError, GovernorLayer};

/// The client a machine request names: its Basic user (client id), or its bearer token (by a
/// hash prefix, never the token), or else its address.
#[derive(Debug, Clone, Copy)]
pub struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = String;

    fn extract<T>(&self, req: &Request<T>) -> Result<String, GovernorError> {
        let auth = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if let Some(basic) = auth.strip_prefix("Basic ").or_else(|| auth.strip_prefix("basic ")) {
            if let Some(id) = base64::engine::general_purpose::STANDARD
                .decode(basic.trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|s| s.split_once(':').map(|(id, _)| id.to_string()))
            {
                return Ok(format!("client:{id}"));
            }
        }
        if let Some(token) = auth.strip_prefix("Bearer ").or_else(|| auth.strip_prefix("bearer ")) {
            return Ok(format!("token:{}", &hash_secret(token.trim())[..16]));
        }
        PeerIpKeyExtractor.extract(req).map(|ip| format!("ip:{ip}"))
    }
}

/// 429 with `Retry-After`, recorded as a security event.
fn too_many(e: GovernorError) -> Response<Body> {
    match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            security::record(SecurityEvent::RateLimited, "limit=credentials");
            let mut res = (StatusCode::TOO_MANY_REQUESTS, "Too many requests. Try again later.").into_response();
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait_time.max(1)));
            res
        }
        GovernorError::UnableToExtractKey => (StatusCode::BAD_REQUEST, "The request could not be identified.").into_response(),
        GovernorError::Other { code, msg, .. } => (code, msg.unwrap_or_default()).into_response(),
    }
}

/// A limit of `per_minute` requests a minute for each key, with bursts of that many.
fn per_minute<K: KeyExtractor>(key: K, per_minute: u32) -> GovernorLayer<K, governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>, Body> {
    let per_minute = per_minute.max(1);
    let config = GovernorConfigBuilder::default()
        .key_extractor(key)
        .per_millisecond((60_000 / u64::from(per_minute)).max(1))
        .burst_size(per_minute)
        .finish()
        .expect("a rate of at least one a minute is a valid quota");
    GovernorLayer::new(Arc::new(config)).error_handler(too_many)
}

/// Starting a sign-in: per address.
pub fn sign_in(per_minute_per_address: u32) -> GovernorLayer<PeerIpKeyExtractor, governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>, Body> {
    per_minute(PeerIpKeyExtractor, per_minute_per_address)
}

/// The machine API, per client.
pub fn api_per_client(per_minute_per_client: u32) -> GovernorLayer<ClientKey, governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>, Body> {
    per_minute(ClientKey, per_minute_per_client)
}

/// The machine API, per address.
pub fn api_per_address(per_minute_per_address: u32) -> GovernorLayer<PeerIpKeyExtractor, governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>, Body> {
    per_minute(PeerIpKeyExtractor, per_minute_per_address)
}
