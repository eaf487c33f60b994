//! The comms editors' engagement forms: add an item (now or scheduled), withdraw one.

use super::api::FORM;
use crate::domain::{count_characters, uk_local_to_utc};
use crate::notices::service::comms_areas;
use crate::server::*;
use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::Router;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/engagement/add", post(add)).route("/engagement/withdraw", post(withdraw))
}

fn one<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.one(k).trim()
}

fn optional(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// A date and time that could not be read.
#[derive(Debug, PartialEq, Eq)]
pub struct NotAMoment;

/// "3 3 2027 18:30" (UK time) as an instant; `None` for an empty box.
pub fn parse_moment(s: &str) -> Result<Option<DateTime<Utc>>, NotAMoment> {
    let parts: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == '/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => Ok(None),
        [d, m, y, t] => {
            let day = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
                (Ok(d), Ok(m), Ok(y)) if (2000..=2100).contains(&y) => NaiveDate::from_ymd_opt(y, m, d).ok_or(NotAMoment)?,
                _ => return Err(NotAMoment),
            };
            let time = NaiveTime::parse_from_str(t, "%H:%M").or_else(|_| NaiveTime::parse_from_str(t, "%H.%M")).map_err(|_| NotAMoment)?;
            Ok(Some(uk_local_to_utc(day.and_time(time))))
        }
        _ => Err(NotAMoment),
    }
}

/// `POST /engagement/add`.
async fn add(State(services): State<Services>, SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let areas = comms_areas(store, &me).await?.into_iter().filter(|(_, editor, _)| *editor).collect::<Vec<_>>();
    if areas.is_empty() {
        return Err(HandlerError::Forbidden("Only the comms editors of an area publish its engagement items."));
    }
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut error = |field: &str, message: &str| errors.push((field.into(), message.into()));
    let area = areas.iter().find(|(a, _, _)| a.slug.as_str() == one(&f, "area")).map(|(a, _, _)| a.clone());
    if area.is_none() {
        error("area", "Choose one of your areas");
    }
    let kind = one(&f, "kind");
    if !["event", "consultation", "outcome"].contains(&kind) {
        error("kind", "Choose whether it is an event, a consultation or what changed");
    }
    let title = one(&f, "title");
    if title.is_empty() || title.chars().count() > 200 {
        error("title", "Enter a title, up to 200 characters");
    }
    let summary = one(&f, "summary").replace("\r\n", "\n");
    if summary.is_empty() || count_characters(&summary) > 10_000 {
        error("summary", "Say what it is about, in up to 10,000 characters");
    }
    let now = Utc::now();
    let (starts_bad, ends_bad) = (parse_moment(one(&f, "starts")).is_err(), parse_moment(one(&f, "ends")).is_err());
    let starts = parse_moment(one(&f, "starts")).unwrap_or_else(|NotAMoment| {
        error("starts", "Enter when it starts as day, month, year and time, like 3 3 2027 18:30");
        None
    });
    let ends = parse_moment(one(&f, "ends")).unwrap_or_else(|NotAMoment| {
        error("ends", "Enter when it ends as day, month, year and time, like 3 3 2027 20:00");
        None
    });
    if kind == "event" && starts.is_none() && !starts_bad {
        error("starts", "Enter when the event starts");
    }
    if kind == "consultation" && ends.is_none() && !ends_bad {
        error("ends", "Enter when the consultation closes");
    }
    if let (Some(s), Some(e)) = (starts, ends) {
        if e < s {
            error("ends", "The end must be after the start");
        }
    }
    let online = one(&f, "online");
    if !(online.is_empty() || online.starts_with("https://") || online.starts_with("http://")) {
        error("online", "Enter the online link as a web address starting https://");
    }
    if kind == "event" && one(&f, "place").is_empty() && online.is_empty() {
        error("place", "Enter where the event is, or an online link");
    }
    let publish_at = match parse_moment(one(&f, "publish")) {
        Ok(Some(at)) => at.max(now),
        Ok(None) => now,
        Err(NotAMoment) => {
            error("publish", "Enter when to publish as day, month, year and time, like 1 3 2027 09:00, or leave it empty");
            now
        }
    };
    let (Some(area), true) = (area, errors.is_empty()) else {
        let draft = Draft { key: format!("{FORM}:{}", me.subject), owner_subject: me.subject.clone(), form: FORM.into(), answers: serde_json::to_value(&f).unwrap_or_default(), errors, updated_at: now };
        store.save_draft(&draft).await?;
        return Ok(Redirect::to("/engagement?form=add").into_response());
    };
    let item = EngagementItem {
        id: 0,
        area_id: area.id,
        kind: kind.into(),
        title: title.into(),
        summary,
        starts_at: starts,
        ends_at: ends,
        place: optional(one(&f, "place")),
        online_url: optional(online),
        accessibility: optional(one(&f, "accessibility")),
        how_to_respond: optional(one(&f, "respond")),
        publish_at,
        withdrawn_at: None,
        withdrawn_reason: None,
        created_by_name: me.name.clone(),
        created_at: now,
    };
    let saved = store.add_engagement_item(&item).await?;
    store.take_draft(&format!("{FORM}:{}", me.subject), &me.subject).await?;
    store
        .record_staff_action(&StaffAction { at: now, actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "engagement item added".into(), detail: format!("item {}", saved.id) })
        .await?;
    services.published();
    Ok(Redirect::to("/engagement?done=added").into_response())
}

/// `POST /engagement/withdraw`.
async fn withdraw(State(services): State<Services>, SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = comms_areas(store, &me).await?.into_iter().find(|(a, editor, _)| *editor && a.slug.as_str() == one(&f, "area")).map(|(a, _, _)| a);
    let (Some(area), Ok(id)) = (area, one(&f, "id").parse::<i64>()) else {
        return Err(HandlerError::Forbidden("Only the comms editors of an area withdraw its engagement items."));
    };
    if let Some(asking) = crate::server::ask_first(&f, "/engagement/withdraw", || crate::server::Ask {
        question: "Withdraw this item from the public engagement page?".into(),
        detail: "It stays on record in the evidence of engagement, marked withdrawn with your reason.".into(),
        yes: "Yes, withdraw it",
        back: "/engagement".into(),
    }) {
        return Ok(asking);
    }
    let reason: String = one(&f, "reason").chars().take(500).collect();
    match store.withdraw_engagement_item(area.id, id, &reason, Utc::now()).await {
        Ok(()) | Err(StoreError::NotFound) => {
            store
                .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "engagement item withdrawn".into(), detail: format!("item {id}") })
                .await?;
            services.published();
            Ok(Redirect::to("/engagement?done=withdrawn").into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_moment;

    #[test]
    fn moments_are_uk_time() {
        assert_eq!(parse_moment("").unwrap(), None);
        assert_eq!(parse_moment("3 3 2027 18:30").unwrap().unwrap().to_rfc3339(), "2027-03-03T18:30:00+00:00");
        assert_eq!(parse_moment("1/7/2027 09:00").unwrap().unwrap().to_rfc3339(), "2027-07-01T08:00:00+00:00", "BST");
        assert!(parse_moment("31 2 2027 09:00").is_err());
        assert!(parse_moment("tomorrow").is_err());
        assert!(parse_moment("1 1 2027 25:00").is_err());
    }
}
