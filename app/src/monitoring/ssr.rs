//! The IG lead's monitoring forms: review a person's alerts, set the area's rules, keep its
//! watch list. Every change is a staff action; errors go back with what was typed.

use super::api::form_key;
use crate::domain::monitoring::{parse_reason, AlertStatus, MonitoringSettings, ReferralOutcome};
use crate::domain::people::StaffMember;
use crate::domain::{AreaSlug, NhsNumber, Role};
use crate::server::*;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/monitoring/{area}/people/{person}/review", post(review))
        .route("/monitoring/{area}/settings", post(settings))
        .route("/monitoring/{area}/watch-list/{action}", post(watch_list))
        .route("/monitoring/{area}/referrals/{id}/outcome", post(referral_outcome))
        .route("/monitoring/{area}/referrals/{id}/patient-told", post(patient_told))
        .route("/monitoring/{area}/referrals/{id}/pack.csv", get(pack_csv))
}

/// One review covers at most this many alerts (a person's page lists at most 1,000).
const MAX_ALERTS_PER_REVIEW: usize = 1_000;

const ONLY_IG_LEADS: &str = "Only an information governance lead of the area reviews its monitoring.";

fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The area, when the signed-in person is one of its IG leads; "not found" otherwise.
async fn my_area(store: &dyn Store, staff: &SignedInStaff, slug: &str) -> HandlerResult<Area> {
    let mine = staff.areas_with(Role::IgLead, ONLY_IG_LEADS)?;
    match AreaSlug::parse(slug) {
        Ok(s) if mine.contains(&s.to_string()) => store.area_by_slug(&s).await?.ok_or(HandlerError::NotFound),
        _ => Err(HandlerError::NotFound),
    }
}

fn action(me: &StaffMember, area_id: i64, action: &str, detail: String) -> StaffAction {
    StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id, case_id: None, action: action.into(), detail }
}

/// Sends the form back to `to` with its answers and errors.
async fn again(store: &dyn DraftStore, me: &StaffMember, key: String, f: &Fields, errors: Vec<(String, String)>, to: String) -> HandlerResult {
    let draft = Draft { key, owner_subject: me.subject.clone(), form: "monitoring".into(), answers: serde_json::to_value(f).unwrap_or_default(), errors, updated_at: Utc::now() };
    store.save_draft(&draft).await?;
    Ok(Redirect::to(&to).into_response())
}

/// `POST /monitoring/{area}/people/{person}/review`: the IG lead's decision on the ticked alerts.
async fn review(State(services): State<Services>, staff: SignedInStaff, Path((slug, person)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let id: i64 = person.trim().parse().map_err(|_| HandlerError::NotFound)?;
    let key = store.alert(area.id, id).await?.ok_or(HandlerError::NotFound)?.person_key;
    let page = format!("/monitoring/{slug}/people/{person}");
    let form = form_key(&me.subject, &slug, &person);
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut ids: Vec<i64> = f.all("alert").iter().filter_map(|v| v.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        errors.push(("alert".into(), "Select the accesses this review covers".into()));
    } else if ids.len() > MAX_ALERTS_PER_REVIEW {
        return Err(HandlerError::BadRequest("A review covers at most 1,000 accesses. Go back and choose fewer."));
    }
    let decision = AlertStatus::parse(f.one("decision")).filter(|d| AlertStatus::DECISIONS.contains(d));
    if decision.is_none() {
        errors.push(("decision".into(), "Select your decision".into()));
    }
    let reason = parse_reason(f.one("reason"), 2000).map_err(|e| errors.push(("reason".into(), e.into()))).ok();
    if decision == Some(AlertStatus::Referred) {
        return refer(store, me, &area, &key, &ids, reason, errors, &f, &page, form).await;
    }
    let (Some(decision), Some(reason), true) = (decision, reason, errors.is_empty()) else {
        return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
    };
    // The decision, the alerts and the reason go into the sealed trail, not only the alerts.
    let detail = format!("alerts {} reviewed as {}: {reason}", id_list(&ids), decision.as_str());
    let n = store.review_alerts(area.id, &key, &ids, decision, &reason, &action(me, area.id, "alerts reviewed", detail)).await?;
    if n == 0 {
        // Nothing was still waiting: reviewed meanwhile (by another IG lead, or a second click).
        return again(store, me, form, &f, vec![("alert".into(), "These accesses have already been reviewed".into())], format!("{page}?form=1")).await;
    }
    tracing::info!(area = area.id, alerts = n, decision = decision.as_str(), "alerts reviewed");
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=reviewed")).into_response())
}

/// `POST /monitoring/{area}/settings`: which rules run, and their limits.
async fn settings(State(services): State<Services>, staff: SignedInStaff, Path(slug): Path<String>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/settings");
    let form = form_key(&me.subject, &slug, "settings");
    let parsed = MonitoringSettings::from_form(&f.all("rule"), f.one("start"), f.one("end"), f.one("volume"), f.one("days"), f.one("window"), f.one("target"));
    let settings = match parsed {
        Ok(s) => s,
        Err(errors) => {
            let errors = errors.into_iter().map(|(k, m)| (k.to_string(), m)).collect();
            return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
        }
    };
    let off: Vec<&str> = settings.off.iter().map(|r| r.as_str()).collect();
    let detail = format!(
        "rules off: [{}]; hours {}-{}; volume {}; repeated {} days in {}; target {} days",
        off.join(","),
        settings.working_hours_start.format("%H:%M"),
        settings.working_hours_end.format("%H:%M"),
        settings.volume_threshold,
        settings.repeated_days,
        settings.repeated_window_days,
        settings.review_target_days
    );
    store.set_monitoring_settings(area.id, &settings, &action(me, area.id, "monitoring rules changed", detail)).await?;
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=saved")).into_response())
}

/// `POST /monitoring/{area}/watch-list/{add|remove}`.
async fn watch_list(State(services): State<Services>, staff: SignedInStaff, Path((slug, what)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/settings");
    // Its own draft: a watch-list entry sent back never fills in the rules form.
    let form = form_key(&me.subject, &slug, "watch-list");
    match what.as_str() {
        "add" => {
            let mut errors: Vec<(String, String)> = Vec::new();
            let nhs = NhsNumber::parse(f.one("nhs_number")).map_err(|e| errors.push(("nhs_number".into(), e.to_string()))).ok();
            let reason = match crate::domain::names::parse_name(f.one("watch_reason"), 200) {
                Ok(r) => Some(r.to_string()),
                Err(_) => {
                    errors.push(("watch_reason".into(), "Enter why every access to this record is reviewed, in one line of up to 200 characters".into()));
                    None
                }
            };
            let (Some(nhs), Some(reason), true) = (nhs, reason, errors.is_empty()) else {
                return again(store, me, form, &f, errors, format!("{page}?form=1#nhs_number")).await;
            };
            let entry = WatchEntry { nhs_number: nhs, reason, added_by: me.name.clone(), added_at: Utc::now() };
            // The staff action names no patient: the list itself is the record.
            match store.add_to_watch_list(area.id, &entry, &action(me, area.id, "watch list added", "one record".into())).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => {
                    return again(store, me, form, &f, vec![("nhs_number".into(), "That record is already on the watch list".into())], format!("{page}?form=1#nhs_number")).await;
                }
                Err(e) => return Err(e.into()),
            }
            store.take_draft(&form, &me.subject).await?;
            Ok(Redirect::to(&format!("{page}?done=added")).into_response())
        }
        "remove" => {
            let Ok(nhs) = NhsNumber::parse(f.one("nhs_number")) else { return Err(HandlerError::BadRequest("The record to remove was not one on the list.")) };
            if let Some(asking) = crate::server::ask_first(&f, &format!("/monitoring/{slug}/watch-list/remove"), || crate::server::Ask {
                question: format!("Take {} off the watch list?", nhs.formatted()),
                detail: "Accesses to this record will no longer be flagged for review just because it is on the list. Alerts already raised stay in the queue.".into(),
                yes: "Yes, take it off",
                back: page.clone(),
            }) {
                return Ok(asking);
            }
            store.remove_from_watch_list(area.id, &nhs, &action(me, area.id, "watch list removed", "one record".into())).await?;
            Ok(Redirect::to(&format!("{page}?done=removed")).into_response())
        }
        _ => Err(HandlerError::NotFound),
    }
}

/// The referral half of a review: to the person's employing organisation, with a due date.
#[expect(clippy::too_many_arguments, reason = "the review's parts, already read and checked")]
async fn refer(
    store: &dyn Store,
    me: &StaffMember,
    area: &Area,
    key: &str,
    ids: &[i64],
    note: Option<String>,
    mut errors: Vec<(String, String)>,
    f: &Fields,
    page: &str,
    form: String,
) -> HandlerResult {
    let alerts = store.person_alerts(area.id, key).await?;
    let org = alerts.iter().find(|a| a.org_ods.as_deref() == Some(f.one("org").trim())).map(|a| {
        let ods = a.org_ods.clone().unwrap_or_default();
        (ods.clone(), a.org_name.clone().unwrap_or(ods))
    });
    if org.is_none() {
        errors.push(("org".into(), "Select the organisation the person works for".into()));
    }
    let contact = match crate::domain::names::parse_name(f.one("contact"), 200) {
        Ok(c) => Some(c.to_string()),
        Err(_) => {
            errors.push(("contact".into(), "Enter who at the organisation it goes to, in one line of up to 200 characters".into()));
            None
        }
    };
    let days = f.one("days").trim().parse::<u32>().ok().filter(|d| (1..=60).contains(d));
    if days.is_none() {
        errors.push(("days".into(), "Enter the working days for their reply as a whole number from 1 to 60".into()));
    }
    let (Some((org_ods, org_name)), Some(contact), Some(days), Some(note), true) = (org, contact, days, note, errors.is_empty()) else {
        return again(store, me, form, f, errors, format!("{page}?form=1")).await;
    };
    let holidays = store.bank_holidays().await?;
    let due_on = holidays.add_working_days(crate::domain::uk_date(Utc::now()), days);
    let person_name = alerts.first().map(|a| a.person_name.clone()).unwrap_or_default();
    let referral = NewReferral { person_name, org_ods, org_name, contact, due_on, note };
    let detail = format!("alerts {} referred to {}: {}", id_list(ids), referral.org_ods, referral.note);
    match store.refer_alerts(area.id, key, ids, &referral, &action(me, area.id, "alerts referred", detail)).await? {
        Some(id) => {
            tracing::info!(area = area.id, referral = id, "alerts referred to the employing organisation");
            store.take_draft(&form, &me.subject).await?;
            Ok(Redirect::to(&format!("/monitoring/{}/referrals/{id}?done=referred", area.slug)).into_response())
        }
        None => again(store, me, form, f, vec![("alert".into(), "These accesses have already been reviewed".into())], format!("{page}?form=1")).await,
    }
}

/// The referral, when it is one of the IG lead's area's.
async fn my_referral(store: &dyn Store, staff: &SignedInStaff, slug: &str, id: &str) -> HandlerResult<(Area, Referral)> {
    let area = my_area(store, staff, slug).await?;
    let id: i64 = id.trim().parse().map_err(|_| HandlerError::NotFound)?;
    let referral = store.referral(area.id, id).await?.ok_or(HandlerError::NotFound)?;
    Ok((area, referral))
}

/// `POST /monitoring/{area}/referrals/{id}/outcome`: what the organisation found. A patient who
/// raised a concern about one of the accesses is answered in the IG lead's words.
async fn referral_outcome(State(services): State<Services>, staff: SignedInStaff, Path((slug, id)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let (area, referral) = my_referral(store, &staff, &slug, &id).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/referrals/{}", referral.id);
    let form = form_key(&me.subject, &slug, &format!("referral-{}", referral.id));
    let alerts = store.referral_alerts(area.id, referral.id).await?;
    let mut concerns: Vec<String> = alerts.iter().filter_map(|a| a.case_reference.clone()).collect();
    concerns.sort();
    concerns.dedup();
    let mut errors: Vec<(String, String)> = Vec::new();
    let outcome = ReferralOutcome::parse(f.one("outcome"));
    if outcome.is_none() {
        errors.push(("outcome".into(), "Select what they found".into()));
    }
    let reply = match parse_reason(f.one("reply"), 4000) {
        Ok(r) => Some(r),
        Err(_) => {
            errors.push(("reply".into(), "Enter their reply, up to 4,000 characters, without hidden formatting characters".into()));
            None
        }
    };
    let words = if concerns.is_empty() {
        Some(String::new())
    } else {
        match parse_reason(f.one("patient_words"), 2000) {
            Ok(w) => Some(w),
            Err(_) => {
                errors.push(("patient_words".into(), "Enter what to tell the patient, up to 2,000 characters".into()));
                None
            }
        }
    };
    let (Some(outcome), Some(reply), Some(words), true) = (outcome, reply, words, errors.is_empty()) else {
        return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
    };
    let now = Utc::now();
    let recorded = store
        .record_referral_outcome(area.id, referral.id, outcome, &reply, &action(me, area.id, "referral outcome", format!("referral {}: {}", referral.id, outcome.as_str())))
        .await?;
    if !recorded {
        return again(store, me, form, &f, vec![("outcome".into(), "An outcome has already been recorded for this referral".into())], format!("{page}?form=1")).await;
    }
    // Each patient who raised a concern gets the answer, as if the IG lead had decided it on
    // the case page (when it is still theirs to decide).
    for reference in concerns {
        if let Some(sc) = crate::casework::ssr::case_for(store, me, &reference).await? {
            if sc.offers(me).decide_concern {
                crate::casework::ssr::answer_concern(store, me, &sc, outcome.concern_finding(), &words, now).await?;
            }
        }
    }
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=outcome")).into_response())
}

/// `POST /monitoring/{area}/referrals/{id}/patient-told`: whether and when a patient who did not
/// raise a concern was told of confirmed inappropriate access.
async fn patient_told(State(services): State<Services>, staff: SignedInStaff, Path((slug, id)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let (area, referral) = my_referral(store, &staff, &slug, &id).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/referrals/{}", referral.id);
    let form = form_key(&me.subject, &slug, &format!("referral-{}", referral.id));
    let mut errors: Vec<(String, String)> = Vec::new();
    let told = match f.one("told") {
        "told" => Some(true),
        "not_told" => Some(false),
        _ => {
            errors.push(("told".into(), "Select whether the patient has been told".into()));
            None
        }
    };
    let mut on = None;
    if told == Some(true) {
        let (d, m, y) = (f.one("told-day").trim(), f.one("told-month").trim(), f.one("told-year").trim());
        let today = crate::domain::uk_date(Utc::now());
        let earliest = crate::domain::uk_date(referral.referred_at) - chrono::Duration::days(366);
        on = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
            (Ok(d), Ok(m), Ok(y)) => chrono::NaiveDate::from_ymd_opt(y, m, d).filter(|day| *day <= today && *day >= earliest),
            _ => None,
        };
        if on.is_none() {
            errors.push(("told-day".into(), "Enter the real date they were told, not in the future, like 15 3 2027".into()));
        }
    }
    let note = f.one("told_note").trim();
    let note = if note.is_empty() && told == Some(true) {
        Some(String::new())
    } else {
        parse_reason(note, 2000).map_err(|_| errors.push(("told_note".into(), "Say why the patient has not been told, up to 2,000 characters".into()))).ok()
    };
    let (Some(told), Some(note), true) = (told, note, errors.is_empty()) else {
        return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
    };
    let detail = format!("referral {}: patient {}", referral.id, if told { "told" } else { "not told" });
    if !store.record_patient_told(area.id, referral.id, told, on, &note, &action(me, area.id, "patient told of access", detail)).await? {
        return again(store, me, form, &f, vec![("told".into(), "This has already been recorded, or the access was not confirmed as inappropriate".into())], format!("{page}?form=1")).await;
    }
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=told")).into_response())
}

/// `GET /monitoring/{area}/referrals/{id}/pack.csv`: the investigation pack's accesses, for the
/// organisation's IG lead.
async fn pack_csv(State(services): State<Services>, staff: SignedInStaff, Path((slug, id)): Path<(String, String)>) -> HandlerResult {
    let store = &*services.store;
    let (area, referral) = my_referral(store, &staff, &slug, &id).await?;
    let alerts = store.referral_alerts(area.id, referral.id).await?;
    let mut csv = crate::server::download::Csv::new();
    csv.row(["When (UK time)", "Patient NHS number", "Person", "Role", "Organisation", "ODS code", "Reason given", "Purpose codes", "What was seen", "Rule", "Why it was flagged"]);
    for a in &alerts {
        let viewed = store.access_event(&a.nhs_number, a.event_id).await?.map_or_else(|| "No longer held".to_string(), |e| e.viewed);
        csv.row([
            crate::domain::uk_time(a.recorded_at).format("%Y-%m-%d %H:%M:%S").to_string(),
            a.nhs_number.expose().to_string(),
            a.person_name.clone(),
            a.person_role.clone().unwrap_or_default(),
            a.org_name.clone().unwrap_or_default(),
            a.org_ods.clone().unwrap_or_default(),
            crate::access_log::describe::why(&a.purpose),
            a.purpose.replace('\n', " "),
            viewed,
            a.rule.shared_title().to_string(),
            a.rule.shared_explanation(&a.explanation),
        ]);
    }
    tracing::info!(area = area.id, referral = referral.id, "investigation pack downloaded");
    Ok(crate::server::download::attachment(&format!("referral-{}.csv", referral.id), "text/csv; charset=utf-8", csv.into_bytes()))
}
