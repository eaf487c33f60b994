//! An OpenID provider that speaks the protocol faithfully but can be told to misbehave: its
//! ID tokens can be for another audience, expired, signed by another key, unsigned, from
//! another issuer or with another nonce. It checks what the portal sends it (PKCE, the
//! private_key_jwt assertion, vtr) so the tests can assert on that too.
//! The happy path against a real provider (npm oidc-provider) is in the end-to-end specs.

use crate::helpers::fixture;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Good,
    WrongAudience,
    Expired,
    OtherKey,
    Unsigned,
    WrongIssuer,
    WrongNonce,
}

#[derive(Debug, Default, Clone)]
pub struct Seen {
    pub vtr: Option<String>,
    pub scope: Option<String>,
    pub code_challenge_method: Option<String>,
    pub client_assertion_valid: bool,
    pub pkce_verified: bool,
}

struct Grant {
    nonce: String,
    challenge: String,
    used: bool,
}

struct Inner {
    mode: Mode,
    issuer: String,
    grants: Mutex<HashMap<String, Grant>>,
    seen: Mutex<Seen>,
}

pub struct RogueProvider {
    pub issuer: String,
    inner: Arc<Inner>,
}

const CLIENT_ID: &str = "scr-portal-test";
const SUBJECT: &str = "rogue-sub";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

impl RogueProvider {
    pub async fn start(mode: Mode) -> RogueProvider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        let inner = Arc::new(Inner {
            mode,
            issuer: issuer.clone(),
            grants: Mutex::new(HashMap::new()),
            seen: Mutex::new(Seen::default()),
        });
        let app = Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(|| async { Json(serde_json::from_str::<Value>(&std::fs::read_to_string(fixture("provider.jwks.json")).unwrap()).unwrap()) }))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(inner.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        RogueProvider { issuer, inner }
    }

    pub fn seen(&self) -> Seen {
        self.inner.seen.lock().unwrap().clone()
    }

    /// What the provider's authorize endpoint does once the person has signed in: remember the
    /// request, and send the browser back with a code. Returns the callback URL.
    pub async fn authorize(&self, authorize_url: &str) -> String {
        let url = url::Url::parse(authorize_url).unwrap();
        let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["client_id"], CLIENT_ID);
        {
            let mut seen = self.inner.seen.lock().unwrap();
            seen.vtr = q.get("vtr").cloned();
            seen.scope = q.get("scope").cloned();
            seen.code_challenge_method = q.get("code_challenge_method").cloned();
        }
        let code = format!("code-{}", uuid::Uuid::new_v4().simple());
        self.inner.grants.lock().unwrap().insert(
            code.clone(),
            Grant { nonce: q["nonce"].clone(), challenge: q["code_challenge"].clone(), used: false },
        );
        let mut back = url::Url::parse(&q["redirect_uri"]).unwrap();
        back.query_pairs_mut().append_pair("code", &code).append_pair("state", &q["state"]);
        back.to_string()
    }
}

async fn discovery(State(p): State<Arc<Inner>>) -> Json<Value> {
    let i = &p.issuer;
    Json(json!({
        "issuer": i,
        "authorization_endpoint": format!("{i}/authorize"),
        "token_endpoint": format!("{i}/token"),
        "userinfo_endpoint": format!("{i}/userinfo"),
        "jwks_uri": format!("{i}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "scopes_supported": ["openid", "profile", "gp_registration_details"]
    }))
}

fn sign(header: &Value, claims: &Value, key_file: &str) -> String {
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(&std::fs::read(fixture(key_file)).unwrap()).unwrap();
    let mut h = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    h.kid = header["kid"].as_str().map(str::to_string);
    jsonwebtoken::encode(&h, claims, &key).unwrap()
}

async fn token(State(p): State<Arc<Inner>>, Form(form): Form<HashMap<String, String>>) -> (axum::http::StatusCode, Json<Value>) {
    use axum::http::StatusCode;
    let bad = |e: &str| (StatusCode::BAD_REQUEST, Json(json!({ "error": e })));

    // private_key_jwt: the assertion must be signed by the client's key and be for this endpoint.
    let assertion_ok = form.get("client_assertion_type").map(String::as_str)
        == Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        && form.get("client_assertion").is_some_and(|a| {
            let key = jsonwebtoken::DecodingKey::from_rsa_pem(&std::fs::read(fixture("client.pub.pem")).unwrap()).unwrap();
            let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS512);
            v.set_audience(&[format!("{}/token", p.issuer)]);
            v.set_issuer(&[CLIENT_ID]);
            jsonwebtoken::decode::<Value>(a, &key, &v).map(|d| d.claims["sub"] == CLIENT_ID).unwrap_or(false)
        });
    if !assertion_ok {
        return bad("invalid_client");
    }
    p.seen.lock().unwrap().client_assertion_valid = true;

    let code = form.get("code").cloned().unwrap_or_default();
    let nonce = {
        let mut grants = p.grants.lock().unwrap();
        let Some(grant) = grants.get_mut(&code) else { return bad("invalid_grant") };
        if grant.used {
            return bad("invalid_grant");
        }
        grant.used = true;
        let verifier = form.get("code_verifier").cloned().unwrap_or_default();
        if b64(&Sha256::digest(verifier.as_bytes())) != grant.challenge {
            return bad("invalid_grant");
        }
        grant.nonce.clone()
    };
    p.seen.lock().unwrap().pkce_verified = true;

    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": p.issuer, "aud": CLIENT_ID, "sub": SUBJECT, "iat": now, "exp": now + 300,
        "nonce": nonce, "vot": "P9.Cp.Cd", "identity_proofing_level": "P9", "vtm": "https://auth.login.nhs.uk/trustmark/login.nhs.uk"
    });
    let header = json!({ "kid": "test-provider-key" });
    let id_token = match p.mode {
        Mode::Good => sign(&header, &claims, "provider.key.pem"),
        Mode::WrongAudience => {
            claims["aud"] = json!("someone-else");
            sign(&header, &claims, "provider.key.pem")
        }
        Mode::Expired => {
            claims["iat"] = json!(now - 1200);
            claims["exp"] = json!(now - 600);
            sign(&header, &claims, "provider.key.pem")
        }
        Mode::OtherKey => sign(&header, &claims, "other.key.pem"),
        Mode::Unsigned => format!("{}.{}.", b64(br#"{"alg":"none","typ":"JWT"}"#), b64(claims.to_string().as_bytes())),
        Mode::WrongIssuer => {
            claims["iss"] = json!("https://evil.example");
            sign(&header, &claims, "provider.key.pem")
        }
        Mode::WrongNonce => {
            claims["nonce"] = json!("not-the-nonce");
            sign(&header, &claims, "provider.key.pem")
        }
    };
    (
        StatusCode::OK,
        Json(json!({ "access_token": "rogue-access-token", "token_type": "Bearer", "expires_in": 300, "id_token": id_token })),
    )
}

async fn userinfo() -> Json<Value> {
    Json(json!({
        "sub": SUBJECT,
        "nhs_number": "9434765919",
        "given_name": "Rogue",
        "family_name": "Tester",
        "birthdate": "1970-01-01",
        "identity_proofing_level": "P9",
        "gp_registration_details": { "gp_ods_code": "Y90001" }
    }))
}
