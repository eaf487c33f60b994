//! The areas the portal serves: their names and settings, GP practices and member organisations. (`AreaStore` for both backends.)

use super::*;
use app::domain::practice::{search_text, Postcode};
use app::domain::sharing::Sharing;

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    slug: String,
    name: String,
    show_staff_names: bool,
    concern_working_days: i64,
    retention_months: i64,
    contact_address: String,
    contact_email: String,
    contact_phone: String,
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
            contact: app::domain::area_contact::AreaContact { address: r.contact_address, email: r.contact_email, phone: r.contact_phone },
        })
    }
}

#[derive(sqlx::FromRow)]
struct PracticeRow {
    ods_code: String,
    name: String,
    area_id: i64,
    address: String,
    postcode: String,
}

impl TryFrom<PracticeRow> for Practice {
    type Error = StoreError;
    fn try_from(r: PracticeRow) -> StoreResult<Self> {
        let postcode = if r.postcode.is_empty() { None } else { Some(Postcode::parse(&r.postcode).map_err(|_| corrupt(format!("practice postcode {:?}", r.postcode)))?) };
        Ok(Practice { ods_code: ods(&r.ods_code)?, name: r.name, area_id: r.area_id, address: r.address, postcode })
    }
}

const PRACTICE_COLUMNS: &str = "ods_code, name, area_id, address, postcode";

/// The columns a practice's details fill: name, address, postcode, district, area, search text.
fn practice_values(d: &PracticeDetails) -> [String; 6] {
    let p = d.postcode.as_ref();
    [
        d.name.clone(),
        d.address.clone(),
        p.map(|p| p.to_string()).unwrap_or_default(),
        p.map(|p| p.district().to_string()).unwrap_or_default(),
        p.map(|p| p.area().to_string()).unwrap_or_default(),
        search_text(&d.name, &d.address, p),
    ]
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
        let rows: Vec<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months, contact_address, contact_email, contact_phone FROM areas ORDER BY name")
            .fetch_all(p).await)?;
        rows.into_iter().map(Area::try_from).collect()
    }

    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>> {
        let row: Option<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months, contact_address, contact_email, contact_phone FROM areas WHERE slug = $1")
            .bind(slug.as_str()).fetch_optional(p).await)?;
        row.map(Area::try_from).transpose()
    }

    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area> {
        let row: AreaRow = on_writer!(self, p => sqlx::query_as(
            "INSERT INTO areas (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months, contact_address, contact_email, contact_phone")
            .bind(slug.as_str()).bind(name).bind(Utc::now()).fetch_one(p).await)?;
        row.try_into()
    }

    async fn rename_area(&self, area_id: i64, name: &str) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("UPDATE areas SET name = $1 WHERE id = $2")
            .bind(name).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn set_area_access_settings(&self, area_id: i64, show_staff_names: bool, concern_working_days: i64) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("UPDATE areas SET show_staff_names = $1, concern_working_days = $2 WHERE id = $3")
            .bind(show_staff_names).bind(concern_working_days).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn set_area_contact(&self, area_id: i64, c: &app::domain::area_contact::AreaContact) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("UPDATE areas SET contact_address = $1, contact_email = $2, contact_phone = $3 WHERE id = $4")
            .bind(&c.address).bind(&c.email).bind(&c.phone).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn set_area_retention(&self, area_id: i64, months: i64) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("UPDATE areas SET retention_months = $1 WHERE id = $2")
            .bind(months).bind(area_id).execute(p).await.map(|_| ()))
    }

    async fn add_practice(&self, area_id: i64, code: &OdsCode, details: &PracticeDetails) -> StoreResult<()> {
        let [name, address, postcode, district, area, text] = practice_values(details);
        on_writer!(self, p => sqlx::query(
            "INSERT INTO area_practices (ods_code, area_id, name, address, postcode, postcode_district, postcode_area, search_text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(code.as_str()).bind(area_id).bind(&name).bind(&address).bind(&postcode).bind(&district).bind(&area).bind(&text)
            .execute(p).await.map(|_| ()))
    }

    async fn update_practice(&self, area_id: i64, code: &OdsCode, details: &PracticeDetails) -> StoreResult<u64> {
        let [name, address, postcode, district, area, text] = practice_values(details);
        on_writer!(self, p => sqlx::query(
            "UPDATE area_practices SET name = $1, address = $2, postcode = $3, postcode_district = $4, postcode_area = $5, search_text = $6
             WHERE area_id = $7 AND ods_code = $8")
            .bind(&name).bind(&address).bind(&postcode).bind(&district).bind(&area).bind(&text).bind(area_id).bind(code.as_str())
            .execute(p).await.map(|r| r.rows_affected()))
    }

    async fn search_practices(&self, by: PracticeMatch<'_>, limit: usize) -> StoreResult<Vec<Practice>> {
        let mut binds = Vec::new();
        let condition = match by {
            // Each word matches the start of one of the practice's words. Words are letters and
            // digits only (domain::practice::search_words): nothing in them means anything to LIKE.
            PracticeMatch::Words(words) if !words.is_empty() => words
                .iter()
                .map(|w| format!("search_text LIKE {}", param(&mut binds, Bind::Text(Some(format!("% {w}%"))))))
                .collect::<Vec<_>>()
                .join(" AND "),
            PracticeMatch::Words(_) => return Ok(Vec::new()),
            PracticeMatch::District(d) => format!("postcode_district = {}", param(&mut binds, Bind::Text(Some(d.to_string())))),
            PracticeMatch::PostcodeArea(a) => format!("postcode_area = {}", param(&mut binds, Bind::Text(Some(a.to_string())))),
        };
        let sql = format!(
            "SELECT {PRACTICE_COLUMNS} FROM area_practices WHERE {condition} ORDER BY name, ods_code LIMIT {}",
            i64::try_from(limit).unwrap_or(i64::MAX)
        );
        let rows: Vec<PracticeRow> = on_pool!(self, p => bind_all!(sqlx::query_as(&sql), binds).fetch_all(p).await)?;
        rows.into_iter().map(Practice::try_from).collect()
    }

    async fn practice(&self, code: &OdsCode) -> StoreResult<Option<Practice>> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} FROM area_practices WHERE ods_code = $1");
        let row: Option<PracticeRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(code.as_str()).fetch_optional(p).await)?;
        row.map(Practice::try_from).transpose()
    }

    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} FROM area_practices WHERE area_id = $1 ORDER BY name");
        let rows: Vec<PracticeRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(Practice::try_from).collect()
    }

    async fn remove_practice(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM area_practices WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()))
    }

    async fn add_organisation(&self, area_id: i64, code: &OdsCode, name: &str) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("INSERT INTO area_organisations (area_id, ods_code, name) VALUES ($1, $2, $3)")
            .bind(area_id).bind(code.as_str()).bind(name).execute(p).await.map(|_| ()))
    }

    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name FROM area_organisations WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(|r| Ok(Organisation { ods_code: ods(&r.ods_code)?, name: r.name })).collect()
    }

    async fn remove_organisation(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM area_organisations WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()))
    }

    async fn area_sharing(&self, area_id: i64) -> StoreResult<Vec<(OdsCode, Sharing)>> {
        let rows: Vec<(String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT s.ods_code, s.kinds, s.seen_by FROM area_sharing s
             JOIN area_organisations o ON o.area_id = s.area_id AND o.ods_code = s.ods_code
             WHERE s.area_id = $1 ORDER BY o.name")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(code, kinds, seen_by)| {
                let kinds: Vec<String> = serde_json::from_str(&kinds).map_err(corrupt)?;
                let seen_by: Vec<String> = serde_json::from_str(&seen_by).map_err(corrupt)?;
                Ok((ods(&code)?, Sharing::read(&kinds, &seen_by).map_err(|_| corrupt("area sharing"))?))
            })
            .collect()
    }

    async fn set_sharing(&self, area_id: i64, code: &OdsCode, sharing: Option<&Sharing>, action: &StaffAction) -> StoreResult<bool> {
        let words = |list: Vec<&str>| serde_json::to_string(&list).map_err(corrupt);
        let kinds = sharing.map(|s| words(s.kinds.iter().map(|k| k.as_str()).collect())).transpose()?;
        let seen_by = sharing.map(|s| words(s.seen_by.iter().map(|k| k.as_str()).collect())).transpose()?;
        in_tx!(self, tx => {
            let member: Option<i64> = sqlx::query_scalar("SELECT area_id FROM area_organisations WHERE area_id = $1 AND ods_code = $2")
                .bind(area_id).bind(code.as_str()).fetch_optional(&mut *tx).await?;
            if member.is_some() {
                match (&kinds, &seen_by) {
                    (Some(kinds), Some(seen_by)) => {
                        sqlx::query(
                            "INSERT INTO area_sharing (area_id, ods_code, kinds, seen_by, updated_at) VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (area_id, ods_code) DO UPDATE SET kinds = excluded.kinds, seen_by = excluded.seen_by, updated_at = excluded.updated_at")
                            .bind(area_id).bind(code.as_str()).bind(kinds).bind(seen_by).bind(action.at)
                            .execute(&mut *tx).await?;
                    }
                    _ => {
                        sqlx::query("DELETE FROM area_sharing WHERE area_id = $1 AND ods_code = $2")
                            .bind(area_id).bind(code.as_str()).execute(&mut *tx).await?;
                    }
                }
                record_action!(&mut *tx, action);
            }
            member.is_some()
        })
    }
}
