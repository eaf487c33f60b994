//! The comms team's notice forms: start a change, save or preview it, send it for review,
//! discard it; and the approver's review (approve now, approve for a date and time, return
//! with comments). Plain form posts; rights checked here against the draft's area, and the
//! store's guards make sure two people acting at once cannot both win, nor an author approve
//! their own change.

use super::api::MAX_NOTICE_CHARS;
use super::service::{comms_areas, draft_for, edit_key, review_key};
use crate::domain::{count_characters, uk_local_to_utc, NoticeVariant};
use crate::server::*;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::Router;
use chrono::{NaiveDate, NaiveTime, Utc};

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/notices/drafts", post(start))
        .route("/notices/drafts/{id}/edit", post(edit))
        .route("/notices/drafts/{id}/discard", post(discard))
        .route("/notices/drafts/{id}/review", post(review))
        .route("/notices/preview", post(preview))
}

/// The editor's live preview: the Markdown as the public page will show it, drawn by the same
/// renderer, as a fragment of HTML (the editor's island puts it beside the text). Only an
/// area's comms team may ask; the Markdown is bounded as a saved notice is.
async fn preview(SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    use crate::domain::Role;
    if !me.grants.iter().any(|g| matches!(g.role, Role::CommsEditor | Role::CommsApprover)) {
        return Err(HandlerError::Forbidden("Only an area's comms team previews its notice."));
    }
    let markdown = f.one("markdown");
    if markdown.len() > super::PREVIEW_MAX_BYTES {
        return Ok((http::StatusCode::PAYLOAD_TOO_LARGE, "The notice is too long to preview.").into_response());
    }
    let html = crate::domain::render_notice(markdown).into_string();
    Ok(([(http::header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response())
}

/// Who did what to a notice, in the append-only staff action table.
async fn record(store: &dyn StaffStore, subject: &str, area_id: i64, action: &str, draft_id: i64) -> StoreResult<()> {
    let a = StaffAction { at: Utc::now(), actor_subject: subject.into(), area_id, case_id: None, action: action.into(), detail: format!("notice draft {draft_id}") };
    store.record_staff_action(&a).await
}

/// `POST /notices/drafts`: an editor starts a change to one of their area's notices, beginning
/// from the version in force (or the area's template for a first notice).
async fn start(State(services): State<Services>, SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let areas = comms_areas(store, &me).await?;
    let Some((area, true, _)) = areas.into_iter().find(|(a, _, _)| a.slug.as_str() == f.one("area")) else {
        return Err(HandlerError::Forbidden("Only a comms editor of the area can change its notices."));
    };
    let Some(variant) = NoticeVariant::parse(f.one("variant")) else { return Err(HandlerError::BadRequest("Choose a format for the notice.")) };
    let current = store.current_notice(area.id, variant, Utc::now()).await?;
    let main = match (&current, variant) {
        (None, v) if v != NoticeVariant::Main => store.current_notice(area.id, NoticeVariant::Main, Utc::now()).await.ok().flatten(),
        _ => None,
    };
    let (title, text) = match (current, main) {
        (Some(c), _) => (c.title, c.body_markdown),
        // A new format starts from the main notice, for translating or rewriting.
        (None, Some(m)) => (m.title, m.body_markdown),
        (None, None) => {
            let orgs = store.organisations(area.id).await?.into_iter().map(|o| (o.ods_code.to_string(), o.name)).collect::<Vec<_>>();
            (format!("How the {} uses your information", area.name), crate::notices::template(&area.name, &orgs))
        }
    };
    match store.start_notice_draft(area.id, variant, &title, &text, (&me.subject, &me.name), Utc::now()).await {
        Ok(d) => {
            record(store, &me.subject, area.id, "notice change started", d.id).await?;
            Ok(Redirect::to(&format!("/notices/drafts/{}", d.id)).into_response())
        }
        // Someone started one a moment ago: show the page, which says whose it is.
        Err(StoreError::Conflict) => Ok(Redirect::to("/notices").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /notices/drafts/{id}/edit`: save, preview (the same as save, then the page shows the
/// rendered notice) or send for review.
async fn edit(State(services): State<Services>, SignedInStaff(me): SignedInStaff, Path(id): Path<i64>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let (draft, area) = match draft_for(store, &me, id).await?.ok_or(HandlerError::NotFound)? {
        (d, a, true, _) if d.author_subject == me.subject && d.status.editable() => (d, a),
        _ => return Err(HandlerError::Forbidden("Only its author changes a draft, and only until it is sent for review.")),
    };
    let title = f.one("title").trim();
    let text = f.one("body").replace("\r\n", "\n");
    let mut errors: Vec<(String, String)> = Vec::new();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(("title".into(), "Enter a title for the notice, up to 200 characters".into()));
    }
    if text.trim().is_empty() {
        errors.push(("body".into(), "Enter the notice".into()));
    } else if count_characters(&text) > MAX_NOTICE_CHARS {
        errors.push(("body".into(), format!("The notice must be {MAX_NOTICE_CHARS} characters or fewer")));
    }
    let key = edit_key(&me.subject, id);
    if !errors.is_empty() {
        // Keep what they typed: the words go into the draft only when they are valid.
        let form = Draft { key, owner_subject: me.subject.clone(), form: "notice".into(), answers: serde_json::to_value(&f).unwrap_or_default(), errors, updated_at: Utc::now() };
        store.save_notice_draft(id, &me.subject, if title.is_empty() { &draft.title } else { title }, if text.trim().is_empty() { &draft.body_markdown } else { &text }, Utc::now()).await?;
        store.save_draft(&form).await?;
        return Ok(Redirect::to(&format!("/notices/drafts/{id}")).into_response());
    }
    store.take_draft(&key, &me.subject).await?;
    store.save_notice_draft(id, &me.subject, title, &text, Utc::now()).await?;
    Ok(match f.one("action") {
        "submit" => match store.review_notice_draft(id, (&me.subject, &me.name), &ReviewStep::Submit, Utc::now()).await {
            Ok(()) => {
                record(store, &me.subject, area.id, "notice change submitted", id).await?;
                Redirect::to("/notices?done=submitted").into_response()
            }
            Err(StoreError::NotFound) => Redirect::to(&format!("/notices/drafts/{id}")).into_response(),
            Err(e) => return Err(e.into()),
        },
        "preview" => Redirect::to(&format!("/notices/drafts/{id}#preview-heading")).into_response(),
        _ => Redirect::to(&format!("/notices/drafts/{id}?saved=1")).into_response(),
    })
}

/// `POST /notices/drafts/{id}/discard`: the author gives the change up.
async fn discard(State(services): State<Services>, SignedInStaff(me): SignedInStaff, Path(id): Path<i64>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let (_, area, _, _) = draft_for(store, &me, id).await?.ok_or(HandlerError::NotFound)?;
    if let Some(asking) = crate::server::ask_first(&f, &format!("/notices/drafts/{id}/discard"), || crate::server::Ask {
        question: "Discard this change to the privacy notice?".into(),
        detail: "The change is given up: it cannot be sent for review, and the notice in force stays as it is.".into(),
        yes: "Yes, discard it",
        back: format!("/notices/drafts/{id}"),
    }) {
        return Ok(asking);
    }
    match store.review_notice_draft(id, (&me.subject, &me.name), &ReviewStep::Discard, Utc::now()).await {
        Ok(()) => {
            record(store, &me.subject, area.id, "notice change discarded", id).await?;
            Ok(Redirect::to("/notices?done=discarded").into_response())
        }
        Err(StoreError::NotFound) => Err(HandlerError::Forbidden("Only its author discards a change, and only before it is sent for review.")),
        Err(e) => Err(e.into()),
    }
}

/// When an approver asked for it to be published: a UK date and a 24-hour time.
fn publish_time(f: &Fields) -> Result<chrono::DateTime<Utc>, String> {
    let (d, m, y) = (f.one("publish-day").trim(), f.one("publish-month").trim(), f.one("publish-year").trim());
    let day = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (2000..=2100).contains(&y) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    }
    .ok_or_else(|| "Enter the date to publish as day, month and year, like 1 4 2027".to_string())?;
    let time = NaiveTime::parse_from_str(f.one("publish-time").trim(), "%H:%M").map_err(|_| "Enter the time to publish as hours and minutes, like 09:00".to_string())?;
    let at = uk_local_to_utc(day.and_time(time));
    if at <= Utc::now() {
        return Err("The time to publish must be in the future. To publish straight away, choose \"Approve and publish now\"".into());
    }
    Ok(at)
}

/// `POST /notices/drafts/{id}/review`: a second person approves (now, or at a time) or returns.
async fn review(State(services): State<Services>, SignedInStaff(me): SignedInStaff, Path(id): Path<i64>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = match draft_for(store, &me, id).await?.ok_or(HandlerError::NotFound)? {
        (d, a, _, true) if d.author_subject != me.subject => a,
        _ => return Err(HandlerError::Forbidden("A change is approved by a comms approver of the area who did not write it.")),
    };
    let comment = f.one("comment").trim();
    let now = Utc::now();
    let step = match f.one("decision") {
        "approve-now" => Ok(ReviewStep::Approve { publish_at: now }),
        "approve-later" => publish_time(&f).map(|at| ReviewStep::Approve { publish_at: at }).map_err(|m| ("publish-day", m)),
        "return" if comment.is_empty() => Err(("comment", "Enter your comments for the author, so they know what to change".to_string())),
        "return" if count_characters(comment) > 5000 => Err(("comment", "Comments must be 5,000 characters or fewer".to_string())),
        "return" => Ok(ReviewStep::Return { comment: comment.to_string() }),
        _ => Err(("decision", "Choose whether to approve the change or return it".to_string())),
    };
    let key = review_key(&me.subject, id);
    let step = match step {
        Ok(s) => s,
        Err((field, message)) => {
            let form = Draft { key, owner_subject: me.subject.clone(), form: "notice-review".into(), answers: serde_json::to_value(&f).unwrap_or_default(), errors: vec![(field.into(), message)], updated_at: now };
            store.save_draft(&form).await?;
            return Ok(Redirect::to(&format!("/notices/drafts/{id}")).into_response());
        }
    };
    store.take_draft(&key, &me.subject).await?;
    match store.review_notice_draft(id, (&me.subject, &me.name), &step, now).await {
        Ok(()) => {}
        // Someone else reviewed it first, or it was changed: the page shows where it stands.
        Err(StoreError::NotFound) => return Ok(Redirect::to(&format!("/notices/drafts/{id}")).into_response()),
        Err(e) => return Err(e.into()),
    }
    Ok(match step {
        ReviewStep::Return { .. } => {
            record(store, &me.subject, area.id, "notice change returned", id).await?;
            Redirect::to("/notices?done=returned").into_response()
        }
        ReviewStep::Approve { publish_at } => {
            record(store, &me.subject, area.id, "notice change approved", id).await?;
            if publish_at <= now {
                // Publish now, rather than wait for the job's next turn.
                store.publish_due_notices(Utc::now()).await?;
                services.published();
                Redirect::to("/notices?done=published").into_response()
            } else {
                Redirect::to("/notices?done=approved").into_response()
            }
        }
        _ => Redirect::to("/notices").into_response(),
    })
}
