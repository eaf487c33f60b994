//! The areas the portal serves: their names and settings, GP practices and member organisations.

use super::StoreResult;
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
}

#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub ods_code: OdsCode,
    pub name: String,
    pub area_id: i64,
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
    async fn add_practice(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn practice(&self, ods: &OdsCode) -> StoreResult<Option<Practice>>;
    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>>;
    async fn remove_practice(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
    async fn add_organisation(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>>;
    async fn remove_organisation(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
}
