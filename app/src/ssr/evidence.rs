//! The evidence of engagement report as CSV, for the assurance panel's own records.

use super::{CurrentSession, Services};
use crate::evidence::data::{build, range};
use crate::notices::data::comms_areas;
use crate::people::SignedIn;
use axum::extract::{FromRef, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use std::collections::HashMap;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/notices/evidence.csv", get(csv))
}

/// One CSV field: quoted when it must be, and never read as a formula by a spreadsheet.
fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

fn row(out: &mut String, fields: &[&str]) {
    out.push_str(&fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
    out.push_str("\r\n");
}

async fn csv(State(services): State<Services>, Extension(session): Extension<CurrentSession>, Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(SignedIn::Staff(me)) = &session.0 else { return Redirect::to("/sign-in").into_response() };
    let store = &*services.store;
    let areas = match comms_areas(store, me).await {
        Ok(a) => a,
        Err(e) => {
            super::internal(e);
            return (http::StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
        }
    };
    let Some((area, _, _)) = areas.into_iter().find(|(a, _, _)| Some(a.slug.as_str()) == q.get("area").map(String::as_str)) else {
        return (http::StatusCode::FORBIDDEN, "The evidence report is for the comms editors and approvers of the area.").into_response();
    };
    let (from, to) = match range(q.get("from").map(String::as_str).unwrap_or_default(), q.get("to").map(String::as_str).unwrap_or_default()) {
        Ok(r) => r,
        Err(m) => return (http::StatusCode::BAD_REQUEST, m).into_response(),
    };
    let (versions, items, views) = match build(store, &area, from, to).await {
        Ok(b) => b,
        Err(e) => {
            super::internal(e);
            return (http::StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service.").into_response();
        }
    };
    let mut out = String::new();
    row(&mut out, &["record", "format or kind", "version", "title", "written by", "sent for review", "approved by", "approved", "in force from", "in force until", "status or when", "day", "views"]);
    for v in &versions {
        let n = v.version.to_string();
        let views = v.views.to_string();
        row(&mut out, &["notice version", &v.format, &n, &v.title, &v.author, &v.submitted, &v.approver, &v.approved, &v.from, &v.until, "", "", &views]);
    }
    for i in &items {
        row(&mut out, &["engagement item", &i.kind, "", &i.title, &i.added_by, "", "", "", &i.published, "", &format!("{}; {}", i.status, i.when), "", ""]);
    }
    for (day, format, version, n) in &views {
        let (version, n) = (version.to_string(), n.to_string());
        row(&mut out, &["page views", format, &version, "", "", "", "", "", "", "", "", day, &n]);
    }
    let name = format!("evidence-{}-{}-to-{}.csv", area.slug, from, to);
    (
        [
            (http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (http::header::CACHE_CONTROL, "no-store".to_string()),
        ],
        out,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
    }
}
