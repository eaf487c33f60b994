//! Who is calling, as typed handler arguments. A handler that takes [`SignedInPatient`],
//! [`EligiblePatient`] or [`SignedInStaff`] only runs for that caller; anyone else gets the
//! extractor's rejection, a [`HandlerError`]: sign in, or the page that says why not.

use super::error::{HandlerError, HandlerResult};
use super::store::Area;
use super::{CurrentSession, Services};
use crate::domain::people::{NotEligible, Patient, SignedIn, StaffMember};

use crate::domain::Role;
use axum::extract::{FromRef, FromRequestParts};
use http::request::Parts;

fn holder(parts: &Parts) -> Option<&SignedIn> {
    parts.extensions.get::<CurrentSession>().and_then(|s| s.0.as_ref())
}

/// A patient signed in with NHS login, at any proofing level.
pub struct SignedInPatient(pub Patient);

impl<S: Send + Sync> FromRequestParts<S> for SignedInPatient {
    type Rejection = HandlerError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> HandlerResult<Self> {
        match holder(parts) {
            Some(SignedIn::Patient(p)) => Ok(SignedInPatient(p.clone())),
            _ => Err(HandlerError::SignIn),
        }
    }
}

/// A patient who may act (verified, in an area the portal serves), with their area.
pub struct EligiblePatient {
    pub patient: Patient,
    pub area: Area,
}

impl EligiblePatient {
    /// The patient's area, when they may act in it.
    pub async fn check(store: &dyn super::store::AreaStore, patient: &Patient) -> super::StoreResult<Result<Area, NotEligible>> {
        let slug = match patient.may_act() {
            Ok(slug) => slug,
            Err(why) => return Ok(Err(why)),
        };
        Ok(store.area_by_slug(&slug).await?.ok_or(NotEligible::NoArea))
    }
}

impl<S> FromRequestParts<S> for EligiblePatient
where
    Services: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = HandlerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> HandlerResult<Self> {
        let SignedInPatient(patient) = SignedInPatient::from_request_parts(parts, state).await?;
        let services = Services::from_ref(state);
        match Self::check(&*services.store, &patient).await? {
            Ok(area) => Ok(EligiblePatient { patient, area }),
            Err(_) => Err(HandlerError::NotEligible { page: journey_page(parts.uri.path()) }),
        }
    }
}

/// The page of the journey a path belongs to, where a patient who cannot use it yet is told why
/// and what they can do: `/objections/new` for `/objections/submit`, `/access-log` for a concern.
fn journey_page(path: &str) -> String {
    match path.trim_start_matches('/').split('/').next().unwrap_or_default() {
        journey @ ("objections" | "access-requests" | "complaints") => format!("/{journey}/new"),
        "" => "/your-choices".to_string(),
        other => format!("/{other}"),
    }
}

/// A member of staff, with their roles as the directory holds them on this request.
pub struct SignedInStaff(pub StaffMember);

impl<S: Send + Sync> FromRequestParts<S> for SignedInStaff {
    type Rejection = HandlerError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> HandlerResult<Self> {
        match holder(parts) {
            Some(SignedIn::Staff(s)) => Ok(SignedInStaff(s.clone())),
            _ => Err(HandlerError::SignIn),
        }
    }
}

impl SignedInStaff {
    /// The areas in which they hold `role`; refused when there are none.
    pub fn areas_with(&self, role: Role, why: &'static str) -> HandlerResult<Vec<String>> {
        let areas = self.0.areas_with(role);
        if areas.is_empty() {
            Err(HandlerError::Forbidden(why))
        } else {
            Ok(areas)
        }
    }

    /// Refused unless they hold `role` in the area `slug`.
    pub fn require(&self, role: Role, slug: &str, why: &'static str) -> HandlerResult<()> {
        if self.0.areas_with(role).iter().any(|a| a == slug) {
            Ok(())
        } else {
            Err(HandlerError::Forbidden(why))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::journey_page;

    #[test]
    fn a_refused_post_goes_back_to_its_journey() {
        assert_eq!(journey_page("/objections/submit"), "/objections/new");
        assert_eq!(journey_page("/access-requests/new"), "/access-requests/new");
        assert_eq!(journey_page("/complaints/submit"), "/complaints/new");
        assert_eq!(journey_page("/access-log/12/concern"), "/access-log");
    }
}
