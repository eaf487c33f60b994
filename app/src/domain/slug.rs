//! An area's slug: the stable, URL-safe name of a shared care record area (`north-east-london`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaSlug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("An area slug is 2 to 60 lower-case letters, numbers and hyphens")]
pub struct AreaSlugError;

impl AreaSlug {
    pub fn parse(input: &str) -> Result<Self, AreaSlugError> {
        let s = input.trim();
        let ok = (2..=60).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-');
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(AreaSlugError)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AreaSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for AreaSlug {
    type Error = AreaSlugError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<AreaSlug> for String {
    fn from(value: AreaSlug) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_url_safe_names_only() {
        assert!(AreaSlug::parse("north-east-london").is_ok());
        assert!(AreaSlug::parse("North").is_err());
        assert!(AreaSlug::parse("-x").is_err());
        assert!(AreaSlug::parse("../etc").is_err());
    }
}
