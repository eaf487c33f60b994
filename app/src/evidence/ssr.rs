//! The evidence of engagement report as CSV, for the assurance panel's own records.

use super::service::{build, range};
use crate::notices::service::comms_areas;
use crate::server::download::{attachment, Csv};
use crate::server::*;
use axum::extract::{FromRef, Query, State};
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/notices/evidence.csv", get(csv))
}

/// `GET /notices/evidence.csv?area=…&from=…&to=…`.
async fn csv(State(services): State<Services>, SignedInStaff(me): SignedInStaff, Query(q): Query<HashMap<String, String>>) -> HandlerResult {
    let store = &*services.store;
    let areas = comms_areas(store, &me).await?;
    let Some((area, _, _)) = areas.into_iter().find(|(a, _, _)| Some(a.slug.as_str()) == q.get("area").map(String::as_str)) else {
        return Err(HandlerError::Forbidden("The evidence report is for the comms editors and approvers of the area."));
    };
    let Ok((from, to)) = range(q.get("from").map(String::as_str).unwrap_or_default(), q.get("to").map(String::as_str).unwrap_or_default()) else {
        return Err(HandlerError::BadRequest("Enter the dates as year, month and day, like 2027-03-31, with the start before the end."));
    };
    let (versions, items, views) = build(store, &area, from, to).await?;
    let mut out = Csv::new();
    out.row(["record", "format or kind", "version", "title", "written by", "sent for review", "approved by", "approved", "in force from", "in force until", "status or when", "day", "views"]);
    for v in &versions {
        let n = v.version.to_string();
        let views = v.views.to_string();
        out.row(["notice version", &v.format, &n, &v.title, &v.author, &v.submitted, &v.approver, &v.approved, &v.from, &v.until, "", "", &views]);
    }
    for i in &items {
        out.row(["engagement item", &i.kind, "", &i.title, &i.added_by, "", "", "", &i.published, "", &format!("{}; {}", i.status, i.when), "", ""]);
    }
    for (day, format, version, n) in &views {
        let (version, n) = (version.to_string(), n.to_string());
        out.row(["page views", format, &version, "", "", "", "", "", "", "", "", day, &n]);
    }
    let name = format!("evidence-{}-{}-to-{}.csv", area.slug, from, to);
    Ok(attachment(&name, "text/csv; charset=utf-8", out.into_bytes()))
}

