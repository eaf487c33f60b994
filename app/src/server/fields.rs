//! One reader for posted form fields. A plain HTML form's body, in order; a name may repeat, as
//! checkboxes do. Handlers take [`Fields`] as their last argument.

use super::error::HandlerError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Self {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, or "" when it was not sent.
    pub fn one(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }

    /// The value of `name` trimmed, or `None` when it is empty or was not sent.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.one(name).trim()).filter(|s| !s.is_empty()).map(String::from)
    }

    pub fn as_slice(&self) -> &[(String, String)] {
        &self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = HandlerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, HandlerError> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| HandlerError::BadRequest("The form could not be read. Go back and try again."))?;
        Ok(Fields::parse(&body))
    }
}
