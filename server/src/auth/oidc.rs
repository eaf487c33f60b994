//! OpenID Connect sign-in, shaped like NHS login: discovery, PKCE S256, state and nonce,
//! `private_key_jwt` client authentication, `vtr` asked for and `vot` read back, and the ID
//! token's signature, issuer, audience, expiry and nonce verified by `openidconnect`.

use base64::Engine;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreJwsSigningAlgorithm, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde_json::{Map, Value};
use std::path::Path;
use tokio::sync::OnceCell;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("could not read the client key: {0}")]
    Key(String),
    #[error("discovery failed: {0}")]
    Discovery(String),
    #[error("the provider's metadata is incomplete: {0}")]
    Metadata(String),
    #[error("token request failed: {0}")]
    Token(String),
    #[error("the ID token was refused: {0}")]
    IdToken(String),
    #[error("userinfo request failed: {0}")]
    UserInfo(String),
}

/// One OIDC provider the portal signs people in with (NHS login for patients, one for staff).
pub struct OidcProvider {
    issuer: IssuerUrl,
    client_id: String,
    key: jsonwebtoken::EncodingKey,
    scopes: Vec<String>,
    vtr: Option<String>,
    redirect: RedirectUrl,
    http: openidconnect::reqwest::Client,
    metadata: OnceCell<CoreProviderMetadata>,
}

impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider").field("issuer", &self.issuer.as_str()).finish_non_exhaustive()
    }
}

/// What the browser is sent to, and what the callback will need to check.
pub struct Begun {
    pub url: Url,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The claims of a verified ID token, with userinfo's added where the token lacked them.
#[derive(Clone)]
pub struct Identity {
    pub subject: String,
    pub claims: Map<String, Value>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity").field("subject", &self.subject).finish_non_exhaustive()
    }
}

impl Identity {
    pub fn str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }
}

impl OidcProvider {
    pub fn new(
        issuer: &Url,
        client_id: &str,
        key_file: &Path,
        scopes: &str,
        vtr: Option<String>,
        redirect: Url,
    ) -> Result<Self, OidcError> {
        let pem = std::fs::read(key_file).map_err(|e| OidcError::Key(format!("{}: {e}", key_file.display())))?;
        let key = jsonwebtoken::EncodingKey::from_rsa_pem(&pem).map_err(|e| OidcError::Key(e.to_string()))?;
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects from the token endpoint could leak the code (openidconnect's advice).
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        Ok(Self {
            issuer: IssuerUrl::new(issuer.as_str().trim_end_matches('/').to_string())
                .map_err(|e| OidcError::Discovery(e.to_string()))?,
            client_id: client_id.to_string(),
            key,
            scopes: scopes.split_whitespace().filter(|s| *s != "openid").map(str::to_string).collect(),
            vtr,
            redirect: RedirectUrl::from_url(redirect),
            http,
            metadata: OnceCell::new(),
        })
    }

    /// Discovery happens at first use and is kept: the portal starts even if the provider is down.
    async fn metadata(&self) -> Result<&CoreProviderMetadata, OidcError> {
        self.metadata
            .get_or_try_init(|| async {
                CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http)
                    .await
                    .map_err(|e| OidcError::Discovery(e.to_string()))
            })
            .await
    }

    async fn client(&self) -> Result<(CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >, &CoreProviderMetadata), OidcError> {
        let metadata = self.metadata().await?;
        let client = CoreClient::from_provider_metadata(metadata.clone(), ClientId::new(self.client_id.clone()), None)
            .set_redirect_uri(self.redirect.clone());
        Ok((client, metadata))
    }

    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let (client, _) = self.client().await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .set_pkce_challenge(challenge);
        for scope in &self.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        if let Some(vtr) = &self.vtr {
            request = request.add_extra_param("vtr", vtr.clone());
        }
        let (url, state, nonce) = request.url();
        Ok(Begun {
            url,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// The client assertion for `private_key_jwt` (RFC 7523), signed RS512 as NHS login asks.
    fn client_assertion(&self, token_endpoint: &str) -> Result<String, OidcError> {
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": token_endpoint,
            "jti": uuid::Uuid::new_v4().to_string(),
            "iat": now,
            "exp": now + 60,
        });
        jsonwebtoken::encode(&jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS512), &claims, &self.key)
            .map_err(|e| OidcError::Key(e.to_string()))
    }

    pub async fn finish(&self, code: &str, pkce_verifier: &str, nonce: &str) -> Result<Identity, OidcError> {
        let (client, metadata) = self.client().await?;
        let token_endpoint = metadata
            .token_endpoint()
            .ok_or_else(|| OidcError::Metadata("no token endpoint".into()))?
            .url()
            .to_string();
        let assertion = self.client_assertion(&token_endpoint)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Metadata(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_string()))
            .add_extra_param("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
            .add_extra_param("client_assertion", assertion)
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Token(describe_token_error(&e)))?;

        let id_token = response.id_token().ok_or_else(|| OidcError::IdToken("no ID token".into()))?;
        let verifier = client.id_token_verifier().set_allowed_algs(vec![
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
            CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha512,
            CoreJwsSigningAlgorithm::RsaSsaPssSha512,
            CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        ]);
        let verified = id_token
            .claims(&verifier, &Nonce::new(nonce.to_string()))
            .map_err(|e| OidcError::IdToken(e.to_string()))?;
        let subject = verified.subject().as_str().to_string();

        // The signature is verified above; read the NHS login claims (vot, identity_proofing_level)
        // from the same token's payload, which the generic claims type does not carry.
        let raw = id_token.to_string();
        let payload = raw.split('.').nth(1).ok_or_else(|| OidcError::IdToken("malformed".into()))?;
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|e| OidcError::IdToken(e.to_string()))?;
        let mut claims: Map<String, Value> =
            serde_json::from_slice(&bytes).map_err(|e| OidcError::IdToken(e.to_string()))?;

        if let Some(userinfo) = metadata.userinfo_endpoint() {
            let body = self
                .http
                .get(userinfo.url().as_str())
                .bearer_auth(response.access_token().secret())
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .map_err(|e| OidcError::UserInfo(e.without_url().to_string()))?
                .bytes()
                .await
                .map_err(|e| OidcError::UserInfo(e.without_url().to_string()))?;
            let info: Map<String, Value> =
                serde_json::from_slice(&body).map_err(|e| OidcError::UserInfo(e.to_string()))?;
            // OIDC Core 5.3.2: userinfo's sub must be the ID token's.
            if info.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
                return Err(OidcError::UserInfo("userinfo sub differs from the ID token's".into()));
            }
            for (k, v) in info {
                claims.entry(k).or_insert(v);
            }
        }
        Ok(Identity { subject, claims })
    }
}

fn describe_token_error<E: std::error::Error>(e: &E) -> String {
    // The error's text can include the provider's response body; that has no personal data
    // (it is an OAuth error object), but keep only its first line to be brief.
    e.to_string().lines().next().unwrap_or_default().to_string()
}
