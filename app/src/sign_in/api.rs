//! The sign-in page's data, and who the page's viewer is (what a page may know about them).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignInWays {
    pub nhs_login: bool,
    pub staff_oidc: bool,
    /// (id, name, description) of each demonstration person; empty unless demo sign-in is on.
    pub demo_people: Vec<(String, String, String)>,
}

#[server(prefix = "/api", endpoint = "sign-in/choices")]
pub async fn sign_in_choices() -> Result<SignInWays, ServerFnError> {
    let options = crate::server::services()?.sign_in;
    let demo_people = if options.demo {
        super::demo::DEMO_PEOPLE
            .iter()
            .map(|p| (p.id.to_string(), p.name.to_string(), p.description.to_string()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(SignInWays { nhs_login: options.nhs_login, staff_oidc: options.staff_oidc, demo_people })
}

/// What a page may show of the session's holder; the area's name is looked up fresh.
#[cfg(feature = "ssr")]
pub async fn viewer_for(
    store: &dyn crate::server::Store,
    holder: crate::domain::people::SignedIn,
) -> Result<crate::domain::people::Viewer, ServerFnError> {
    use crate::domain::AreaSlug;
    use crate::domain::people::{SignedIn, Viewer};
    Ok(match holder {
        SignedIn::Patient(p) => {
            let area = match p.area_slug.as_deref().map(AreaSlug::parse) {
                Some(Ok(slug)) => store.area_by_slug(&slug).await.map_err(crate::server::internal)?,
                _ => None,
            };
            Viewer::Patient {
                name: format!("{} {}", p.given_name, p.family_name),
                masked_nhs_number: p.nhs_number.masked(),
                proofing: p.proofing,
                area_slug: area.as_ref().map(|a| a.slug.to_string()),
                area_name: area.map(|a| a.name),
                gp_practice: p.gp_practice.map(|c| c.to_string()),
            }
        }
        SignedIn::Staff(s) => Viewer::Staff { name: s.name, grants: s.grants },
    })
}
