//! The areas the portal serves: their names and settings, GP practices and member organisations.

use super::StoreResult;
use crate::domain::practice::Postcode;
use crate::domain::{AreaSlug, OdsCode};

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: i64,
    pub slug: AreaSlug,
    pub name: String,
    /// Patients see the names of the people who looked at their record (or roles only).
    pub show_staff_names: bool,
    /// Working days the area has to answer a concern about an access.
    pub concern_working_days: i64,
    /// Months the access events its systems send are kept.
    pub retention_months: i64,
    /// How patients reach it.
    pub contact: crate::domain::area_contact::AreaContact,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub ods_code: OdsCode,
    pub name: String,
    pub area_id: i64,
    /// Its street and town, as a person would write them ("12 River Road, Northtown"); empty
    /// when not yet known.
    pub address: String,
    pub postcode: Option<Postcode>,
}

pub use crate::domain::practice::PracticeDetails;

/// Which practices a search matches (see `domain::practice`).
#[derive(Debug, Clone, Copy)]
pub enum PracticeMatch<'a> {
    /// Every word is in its name, address or postcode.
    Words(&'a [String]),
    /// Its postcode is in the district ("NS1").
    District(&'a str),
    /// Its postcode is in the area ("NS").
    PostcodeArea(&'a str),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub ods_code: OdsCode,
    pub name: String,
}

#[async_trait::async_trait]
pub trait AreaStore: Send + Sync {
    async fn list_areas(&self) -> StoreResult<Vec<Area>>;
    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>>;
    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area>;
    async fn rename_area(&self, area_id: i64, name: &str) -> StoreResult<()>;
    async fn set_area_access_settings(&self, area_id: i64, show_staff_names: bool, concern_working_days: i64) -> StoreResult<()>;
    async fn set_area_retention(&self, area_id: i64, months: i64) -> StoreResult<()>;
    async fn set_area_contact(&self, area_id: i64, contact: &crate::domain::area_contact::AreaContact) -> StoreResult<()>;
    /// Adds a practice to an area; a conflict when it already belongs to one.
    async fn add_practice(&self, area_id: i64, ods: &OdsCode, details: &PracticeDetails) -> StoreResult<()>;
    /// Changes a practice's name, address or postcode; how many it changed (0: not the area's).
    async fn update_practice(&self, area_id: i64, ods: &OdsCode, details: &PracticeDetails) -> StoreResult<u64>;
    /// Practices of any area that match, by name (at most `limit`).
    async fn search_practices(&self, by: PracticeMatch<'_>, limit: usize) -> StoreResult<Vec<Practice>>;
    async fn practice(&self, ods: &OdsCode) -> StoreResult<Option<Practice>>;
    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>>;
    async fn remove_practice(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
    async fn add_organisation(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>>;
    async fn remove_organisation(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
    /// What each member organisation shares and who can see it, by ODS code.
    async fn area_sharing(&self, area_id: i64) -> StoreResult<Vec<(OdsCode, crate::domain::sharing::Sharing)>>;
    /// Sets (or with `None` clears) one member organisation's entry, with the staff action, in
    /// one transaction; `false` when the organisation is not the area's.
    async fn set_sharing(
        &self,
        area_id: i64,
        ods: &OdsCode,
        sharing: Option<&crate::domain::sharing::Sharing>,
        action: &super::StaffAction,
    ) -> StoreResult<bool>;
}
