//! The areas the portal serves: their names and settings, GP practices and member organisations. (`AreaStore` for both backends.)

use super::*;

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    slug: String,
    name: String,
    show_staff_names: bool,
    concern_working_days: i64,
    retention_months: i64,
}

impl TryFrom<AreaRow> for Area {
    type Error = StoreError;
    fn try_from(r: AreaRow) -> Result<Self, Self::Error> {
        Ok(Area {
            id: r.id,
            slug: AreaSlug::parse(&r.slug).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: r.name,
            show_staff_names: r.show_staff_names,
            concern_working_days: r.concern_working_days,
            retention_months: r.retention_months,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PracticeRow {
    ods_code: String,
    name: String,
    area_id: i64,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    ods_code: String,
    name: String,
}

fn ods(code: &str) -> StoreResult<OdsCode> {
    OdsCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait::async_trait]
impl AreaStore for Db {
    async fn list_areas(&self) -> StoreResult<Vec<Area>> {
        let rows: Vec<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months FROM areas ORDER BY name")
            .fetch_all(p).await)?;
        rows.into_iter().map(Area::try_from).collect()
    }

    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>> {
        let row: Option<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months FROM areas WHERE slug = $1")
            .bind(slug.as_str()).fetch_optional(p).await)?;
        row.map(Area::try_from).transpose()
    }

    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area> {
        let row: AreaRow = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO areas (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months")
            .bind(slug.as_str()).bind(name).bind(Utc::now()).fetch_one(p).await)?;
        row.try_into()
    }

    async fn rename_area(&self, area_id: i64, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET name = $1 WHERE id = $2")
            .bind(name).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn set_area_access_settings(&self, area_id: i64, show_staff_names: bool, concern_working_days: i64) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET show_staff_names = $1, concern_working_days = $2 WHERE id = $3")
            .bind(show_staff_names).bind(concern_working_days).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn set_area_retention(&self, area_id: i64, months: i64) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET retention_months = $1 WHERE id = $2")
            .bind(months).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn add_practice(&self, area_id: i64, code: &OdsCode, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO area_practices (ods_code, area_id, name) VALUES ($1, $2, $3)")
            .bind(code.as_str()).bind(area_id).bind(name).execute(p).await.map(|_| ()))
    }

    async fn practice(&self, code: &OdsCode) -> StoreResult<Option<Practice>> {
        let row: Option<PracticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, area_id FROM area_practices WHERE ods_code = $1")
            .bind(code.as_str()).fetch_optional(p).await)?;
        row.map(|r| Ok(Practice { ods_code: ods(&r.ods_code)?, name: r.name, area_id: r.area_id })).transpose()
    }

    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>> {
        let rows: Vec<PracticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, area_id FROM area_practices WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(|r| Ok(Practice { ods_code: ods(&r.ods_code)?, name: r.name, area_id: r.area_id })).collect()
    }

    async fn remove_practice(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM area_practices WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()))
    }

    async fn add_organisation(&self, area_id: i64, code: &OdsCode, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO area_organisations (area_id, ods_code, name) VALUES ($1, $2, $3)")
            .bind(area_id).bind(code.as_str()).bind(name).execute(p).await.map(|_| ()))
    }

    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name FROM area_organisations WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(|r| Ok(Organisation { ods_code: ods(&r.ods_code)?, name: r.name })).collect()
    }

    async fn remove_organisation(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM area_organisations WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()))
    }
}
