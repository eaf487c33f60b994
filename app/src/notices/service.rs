//! Loading what the notice pages show, with the caller's rights checked here.

use super::api::*;
use crate::domain::{uk_date, word_diff, DiffPart, NoticeVariant, Role};
use crate::domain::people::{SignedIn, StaffMember};
use crate::server::{internal, redirect, services, signed_in, Area, DraftStatus, Notice, NoticeDraft, Store, StoreResult};
use leptos::prelude::*;
use chrono::Utc;

pub use crate::domain::when::{day, moment};

pub fn status_label(s: DraftStatus) -> &'static str {
    match s {
        DraftStatus::Draft => "Draft",
        DraftStatus::Submitted => "Waiting for review",
        DraftStatus::Returned => "Returned with comments",
        DraftStatus::Approved => "Approved, waiting to publish",
        DraftStatus::Published => "Published",
        DraftStatus::Discarded => "Discarded",
    }
}

pub fn label(variant: &NoticeVariant) -> String {
    variant.label()
}

pub fn changes(old: &str, new: &str) -> Vec<(String, String)> {
    word_diff(old, new)
        .into_iter()
        .map(|p| match p {
            DiffPart::Same(s) => ("same".to_string(), s),
            DiffPart::Added(s) => ("added".to_string(), s),
            DiffPart::Removed(s) => ("removed".to_string(), s),
        })
        .collect()
}

/// The areas where this person writes or approves notices.
pub async fn comms_areas(store: &dyn Store, me: &StaffMember) -> StoreResult<Vec<(Area, bool, bool)>> {
    let (editor, approver) = (me.areas_with(Role::CommsEditor), me.areas_with(Role::CommsApprover));
    Ok(store
        .list_areas()
        .await?
        .into_iter()
        .filter_map(|a| {
            let (e, r) = (editor.contains(&a.slug.to_string()), approver.contains(&a.slug.to_string()));
            (e || r).then_some((a, e, r))
        })
        .collect())
}

pub async fn home(me: &StaffMember) -> Result<Vec<PublishingArea>, ServerFnError> {
    let store = services()?.store;
    let mut out = Vec::new();
    for (area, can_edit, _) in comms_areas(&*store, me).await.map_err(internal)? {
        let versions = store.notice_versions(area.id).await.map_err(internal)?;
        let drafts = store.open_notice_drafts(area.id).await.map_err(internal)?;
        let now = Utc::now();
        let mut notices = Vec::new();
        let mut other_formats = Vec::new();
        for v in NoticeVariant::all() {
            let current = versions.iter().filter(|n| n.variant == v && n.published_at <= now).max_by_key(|n| n.version);
            let draft = drafts.iter().find(|d| d.variant == v);
            if current.is_none() && draft.is_none() {
                other_formats.push((v.as_str().to_string(), v.label()));
                continue;
            }
            notices.push(NoticeLine {
                variant: v.as_str().into(),
                label: v.label(),
                current: current.map(|n| (n.version, day(n.published_at))),
                draft: draft.map(|d| (d.id, status_label(d.status).to_string(), d.author_name.clone())),
            });
        }
        out.push(PublishingArea { slug: area.slug.to_string(), name: area.name, can_edit, notices, other_formats });
    }
    Ok(out)
}

/// The draft, if this person writes or approves notices in its area.
pub async fn draft_for(store: &dyn Store, me: &StaffMember, id: i64) -> StoreResult<Option<(NoticeDraft, Area, bool, bool)>> {
    let Some(d) = store.notice_draft(id).await? else { return Ok(None) };
    Ok(comms_areas(store, me).await?.into_iter().find(|(a, _, _)| a.id == d.area_id).map(|(a, e, r)| (d, a, e, r)))
}

pub async fn current(store: &dyn Store, area_id: i64, variant: NoticeVariant) -> StoreResult<Option<Notice>> {
    store.current_notice(area_id, variant, Utc::now()).await
}

pub async fn draft_view(me: &StaffMember, id: i64) -> Result<Option<DraftView>, ServerFnError> {
    let store = services()?.store;
    let Some((d, area, is_editor, is_approver)) = draft_for(&*store, me, id).await.map_err(internal)? else { return Ok(None) };
    let current = current(&*store, area.id, d.variant).await.map_err(internal)?;
    let reviews = store
        .notice_reviews(d.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| (moment(r.at), r.actor_name, r.action, r.comment))
        .collect();
    let is_author = d.author_subject == me.subject;
    let (review_answers, errors) = match store.draft(&review_key(&me.subject, d.id), &me.subject).await.map_err(internal)? {
        Some(f) => (serde_json::from_value(f.answers).unwrap_or_default(), f.errors),
        None => (Vec::new(), Vec::new()),
    };
    let (review_answers, errors) = match store.draft(&edit_key(&me.subject, d.id), &me.subject).await.map_err(internal)? {
        Some(f) if !f.errors.is_empty() => (serde_json::from_value(f.answers).unwrap_or_default(), f.errors),
        _ => (review_answers, errors),
    };
    Ok(Some(DraftView {
        id: d.id,
        area_slug: area.slug.to_string(),
        area_name: area.name,
        format_label: label(&d.variant),
        variant: d.variant.as_str().to_string(),
        preview_html: crate::domain::render_notice(&d.body_markdown),
        changes: changes(current.as_ref().map(|c| c.body_markdown.as_str()).unwrap_or_default(), &d.body_markdown),
        current_version: current.map(|c| c.version),
        title: d.title,
        body: d.body_markdown,
        status: d.status.as_str().into(),
        status_label: status_label(d.status).into(),
        author_name: d.author_name,
        can_edit: is_author && is_editor && d.status.editable(),
        can_review: !is_author && is_approver && d.status == DraftStatus::Submitted,
        publish_at: d.publish_at.filter(|_| d.status == DraftStatus::Approved).map(moment),
        reviews,
        review_answers,
        errors,
    }))
}

pub fn review_key(me: &str, id: i64) -> String {
    format!("notice:{id}:review:{me}")
}

pub fn edit_key(me: &str, id: i64) -> String {
    format!("notice:{id}:edit:{me}")
}

/// Public notice pages as last loaded, each kept for up to 30 seconds (or until the next
/// scheduled version comes into force, if sooner), so that reading a notice costs neither
/// database queries nor a Markdown render. A publication on this instance empties it at once;
/// another instance's shows here within the 30 seconds.
#[derive(Default)]
pub struct NoticeCache {
    entries: std::sync::Mutex<std::collections::HashMap<NoticeKey, (Loaded, chrono::DateTime<Utc>)>>,
    /// One more at each publication: data read before it is not kept.
    generation: std::sync::atomic::AtomicU64,
}

/// (area, variant, version asked for).
type NoticeKey = (String, String, Option<i64>);
/// The page and its notice's id, or none.
type Loaded = Option<(NoticePage, i64)>;

impl NoticeCache {
    /// How long a page is kept.
    pub const KEEP_SECONDS: i64 = 30;
    /// Most pages kept (the key comes from the address, so it is bounded).
    const MOST: usize = 1000;

    fn get(&self, key: &NoticeKey, now: chrono::DateTime<Utc>) -> Option<(Loaded, chrono::DateTime<Utc>)> {
        let entries = self.entries.lock().ok()?;
        entries.get(key).filter(|(_, until)| now < *until).cloned()
    }

    fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn put(&self, generation: u64, key: NoticeKey, page: Option<(NoticePage, i64)>, until: chrono::DateTime<Utc>) {
        if let Ok(mut entries) = self.entries.lock() {
            if self.generation() != generation {
                return;
            }
            if entries.len() >= Self::MOST {
                entries.clear();
            }
            entries.insert(key, (page, until));
        }
    }

    /// Forget every page (after a publication).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            self.generation.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            entries.clear();
        }
    }
}

/// A public notice page, from the cache or freshly loaded; each view is counted in memory.
pub async fn public(slug: &str, variant: &str, version: Option<i64>) -> Result<Option<NoticePage>, ServerFnError> {
    let services = services()?;
    let now = Utc::now();
    let key = (slug.to_string(), variant.to_string(), version);
    let (loaded, until) = match services.notice_cache.get(&key, now) {
        Some(hit) => hit,
        None => {
            let generation = services.notice_cache.generation();
            let (page, until) = load_public(&*services.store, slug, variant, version, now).await?;
            services.notice_cache.put(generation, key, page.clone(), until);
            (page, until)
        }
    };
    // The finished page may be kept as long as its data is (see `server::public_pages`).
    crate::server::public_pages::mark_public(Some(until));
    // A page view, counted for the evidence report: the version and the day, nothing else.
    Ok(loaded.map(|(page, notice_id)| {
        crate::server::public_pages::mark_notice(notice_id);
        services.views.count(notice_id, uk_date(now));
        page
    }))
}

/// The page (with the notice's id), and until when it may be kept.
async fn load_public(
    store: &dyn Store,
    slug: &str,
    variant: &str,
    version: Option<i64>,
    now: chrono::DateTime<Utc>,
) -> Result<(Option<(NoticePage, i64)>, chrono::DateTime<Utc>), ServerFnError> {
    use crate::domain::AreaSlug;
    let keep = now + chrono::Duration::seconds(NoticeCache::KEEP_SECONDS);
    let (Ok(slug), Some(v)) = (AreaSlug::parse(slug), NoticeVariant::parse(variant)) else { return Ok((None, keep)) };
    let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok((None, keep)) };
    let all = store.notice_versions(area.id).await.map_err(internal)?;
    // A version scheduled to come into force ends the keeping of this page.
    let until = all.iter().map(|n| n.published_at).filter(|at| *at > now).min().map_or(keep, |next| next.min(keep));
    let versions: Vec<Notice> = all.into_iter().filter(|n| n.published_at <= now).collect();
    let of_variant: Vec<&Notice> = versions.iter().filter(|n| n.variant == v).collect();
    let shown = match version {
        Some(n) => of_variant.iter().find(|x| x.version == n).copied(),
        None => of_variant.iter().max_by_key(|x| x.version).copied(),
    };
    let Some(notice) = shown else { return Ok((None, until)) };
    let superseded_on = of_variant.iter().filter(|x| x.version > notice.version).map(|x| x.published_at).min().map(day);
    let mut formats: Vec<(String, String, Option<String>)> = Vec::new();
    for f in NoticeVariant::all() {
        if f != v && versions.iter().any(|n| n.variant == f) {
            formats.push((f.as_str().into(), f.label(), f.lang().map(str::to_string)));
        }
    }
    let organisations = store
        .organisations(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|o| (o.name, o.ods_code.to_string()))
        .collect();
    let page = NoticePage {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        variant: v.as_str().into(),
        format_label: v.label(),
        lang: v.lang().map(str::to_string),
        dir: v.dir().into(),
        title: notice.title.clone(),
        html: crate::domain::render_notice(&notice.body_markdown),
        version: notice.version,
        effective_from: day(notice.published_at),
        last_updated: day(notice.approved_at.unwrap_or(notice.published_at)),
        superseded_on,
        formats,
        organisations,
        contact: area.contact,
    };
    Ok((Some((page, notice.id)), until))
}


pub async fn versions(slug: &str, variant: &str) -> Result<Option<VersionsView>, ServerFnError> {
    use crate::domain::AreaSlug;
    let (Ok(slug), Some(v)) = (AreaSlug::parse(slug), NoticeVariant::parse(variant)) else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
    let now = Utc::now();
    let list: Vec<Notice> = store
        .notice_versions(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|n| n.variant == v && n.published_at <= now)
        .collect();
    if list.is_empty() {
        return Ok(None);
    }
    let mut versions: Vec<(i64, String, String, Option<String>)> = list
        .iter()
        .map(|n| {
            let until = list.iter().filter(|x| x.version > n.version).map(|x| x.published_at).min().map(day);
            (n.version, n.title.clone(), day(n.published_at), until)
        })
        .collect();
    versions.reverse();
    Ok(Some(VersionsView { area_slug: area.slug.to_string(), area_name: area.name, variant: v.as_str().into(), format_label: v.label(), versions }))
}

pub async fn compare(me: &StaffMember, slug: &str, variant: &str, from: Option<i64>, to: Option<i64>) -> Result<Option<CompareView>, ServerFnError> {
    use crate::domain::AreaSlug;
    let (Ok(slug), Some(v)) = (AreaSlug::parse(slug), NoticeVariant::parse(variant)) else { return Ok(None) };
    let store = services()?.store;
    let Some((area, _, _)) = comms_areas(&*store, me).await.map_err(internal)?.into_iter().find(|(a, _, _)| a.slug == slug) else {
        return Ok(None);
    };
    let list: Vec<Notice> = store.notice_versions(area.id).await.map_err(internal)?.into_iter().filter(|n| n.variant == v).collect();
    let Some(latest) = list.last() else { return Ok(None) };
    let to = to.and_then(|t| list.iter().find(|n| n.version == t)).unwrap_or(latest);
    let from = from
        .and_then(|f| list.iter().find(|n| n.version == f))
        .or_else(|| list.iter().rev().find(|n| n.version < to.version))
        .unwrap_or(to);
    Ok(Some(CompareView {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        variant: v.as_str().into(),
        format_label: v.label(),
        versions: list.iter().map(|n| n.version).collect(),
        from: from.version,
        to: to.version,
        changes: changes(&from.body_markdown, &to.body_markdown),
    }))
}

pub fn staff() -> Option<StaffMember> {
    match signed_in() {
        Some(SignedIn::Staff(me)) => Some(me),
        _ => {
            redirect("/sign-in");
            None
        }
    }
}
