//! Privacy notices: the comms team's editor (write, preview, submit), the second person's
//! review (approve to publish now or later, or return with comments), and the public pages
//! (the notice in force, its other formats, every previous version). Staff compare any two
//! versions word by word.

use crate::components::{ErrorSummary, Layout, LoadError};
use crate::forms::{group_class, ErrorMessage, Errors};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// The largest notice an editor can write (characters of Markdown).
pub const MAX_NOTICE_CHARS: usize = 60_000;

/// One notice of an area on the comms home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub variant: String,
    pub label: String,
    /// The version in force and the day it was published.
    pub current: Option<(i64, String)>,
    /// The change on its way: draft id, where it stands, who started it.
    pub draft: Option<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishingArea {
    pub slug: String,
    pub name: String,
    pub can_edit: bool,
    pub notices: Vec<NoticeLine>,
    /// Formats not yet started: (variant, label).
    pub other_formats: Vec<(String, String)>,
}

/// A draft as the person looking at it may see and act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub title: String,
    pub body: String,
    /// The body as it will be published (the same renderer as the public page).
    pub preview_html: String,
    pub status: String,
    pub status_label: String,
    pub author_name: String,
    pub can_edit: bool,
    pub can_review: bool,
    /// When an approved change will be published.
    pub publish_at: Option<String>,
    /// The review trail: (when, who, what, comment).
    pub reviews: Vec<(String, String, String, Option<String>)>,
    /// Word-level changes from the version in force: ("same" | "added" | "removed", text).
    pub changes: Vec<(String, String)>,
    pub current_version: Option<i64>,
    /// A review form sent back with errors: its answers and what was wrong.
    pub review_answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// The public page of one notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticePage {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub lang: Option<String>,
    pub dir: String,
    pub title: String,
    pub html: String,
    pub version: i64,
    pub effective_from: String,
    pub last_updated: String,
    /// Whether this is an older version, and until when it was in force.
    pub superseded_on: Option<String>,
    /// The notice's other formats in force: (variant, label, lang).
    pub formats: Vec<(String, String, Option<String>)>,
    pub organisations: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionsView {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    /// (version, title, in force from, until)
    pub versions: Vec<(i64, String, String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub versions: Vec<i64>,
    pub from: i64,
    pub to: i64,
    pub changes: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
pub mod data {
    //! Loading what the pages show, with the caller's rights checked here.
    use super::*;
    use crate::domain::{uk_date, word_diff, DiffPart, NoticeVariant, Role};
    use crate::people::{SignedIn, StaffMember};
    use crate::ssr::{internal, services, signed_in, Area, DraftStatus, Notice, NoticeDraft, Store, StoreResult};
    use chrono::{DateTime, Utc};

    pub fn day(at: DateTime<Utc>) -> String {
        uk_date(at).format("%-d %B %Y").to_string()
    }

    pub fn moment(at: DateTime<Utc>) -> String {
        let local = crate::domain::uk_time(at);
        format!("{} at {}", local.format("%-d %B %Y"), local.format("%-I:%M%P"))
    }

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

    pub fn label(variant: &str) -> String {
        NoticeVariant::parse(variant).map(NoticeVariant::label).unwrap_or_else(|| variant.to_string())
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
                let current = versions.iter().filter(|n| n.variant == v.as_str() && n.published_at <= now).max_by_key(|n| n.version);
                let draft = drafts.iter().find(|d| d.variant == v.as_str());
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

    pub async fn current(store: &dyn Store, area_id: i64, variant: &str) -> StoreResult<Option<Notice>> {
        store.current_notice(area_id, variant, Utc::now()).await
    }

    pub async fn draft_view(me: &StaffMember, id: i64) -> Result<Option<DraftView>, ServerFnError> {
        let store = services()?.store;
        let Some((d, area, is_editor, is_approver)) = draft_for(&*store, me, id).await.map_err(internal)? else { return Ok(None) };
        let current = current(&*store, area.id, &d.variant).await.map_err(internal)?;
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
            variant: d.variant.clone(),
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

    pub async fn public(slug: &str, variant: &str, version: Option<i64>) -> Result<Option<NoticePage>, ServerFnError> {
        use crate::domain::AreaSlug;
        let (Ok(slug), Some(v)) = (AreaSlug::parse(slug), NoticeVariant::parse(variant)) else { return Ok(None) };
        let store = services()?.store;
        let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
        let now = Utc::now();
        let versions: Vec<Notice> = store.notice_versions(area.id).await.map_err(internal)?.into_iter().filter(|n| n.published_at <= now).collect();
        let of_variant: Vec<&Notice> = versions.iter().filter(|n| n.variant == v.as_str()).collect();
        let shown = match version {
            Some(n) => of_variant.iter().find(|x| x.version == n).copied(),
            None => of_variant.iter().max_by_key(|x| x.version).copied(),
        };
        let Some(notice) = shown else { return Ok(None) };
        // A page view, counted for the evidence report: the version and the day, nothing else.
        if let Err(e) = store.count_notice_view(notice.id, uk_date(now)).await {
            tracing::warn!(notice = notice.id, error = %e, "a notice view was not counted");
        }
        let superseded_on = of_variant.iter().filter(|x| x.version > notice.version).map(|x| x.published_at).min().map(day);
        let mut formats: Vec<(String, String, Option<String>)> = Vec::new();
        for f in NoticeVariant::all() {
            if f != v && versions.iter().any(|n| n.variant == f.as_str()) {
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
        Ok(Some(NoticePage {
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
        }))
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
            .filter(|n| n.variant == v.as_str() && n.published_at <= now)
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
        let list: Vec<Notice> = store.notice_versions(area.id).await.map_err(internal)?.into_iter().filter(|n| n.variant == v.as_str()).collect();
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
                crate::ssr::redirect("/sign-in");
                None
            }
        }
    }
}

#[server(prefix = "/api", endpoint = "notices/home")]
pub async fn publishing_home() -> Result<Option<Vec<PublishingArea>>, ServerFnError> {
    let Some(me) = data::staff() else { return Ok(None) };
    let areas = data::home(&me).await?;
    if areas.is_empty() {
        crate::pages::set_status(403);
        return Ok(None);
    }
    Ok(Some(areas))
}

#[server(prefix = "/api", endpoint = "notices/draft")]
pub async fn notice_draft(id: i64) -> Result<Option<DraftView>, ServerFnError> {
    let Some(me) = data::staff() else { return Ok(None) };
    let view = data::draft_view(&me, id).await?;
    if view.is_none() {
        crate::pages::set_status(404);
    }
    Ok(view)
}

#[server(prefix = "/api", endpoint = "notices/public")]
pub async fn public_notice(slug: String, variant: String, version: Option<i64>) -> Result<Option<NoticePage>, ServerFnError> {
    data::public(&slug, &variant, version).await
}

#[server(prefix = "/api", endpoint = "notices/versions")]
pub async fn notice_versions(slug: String, variant: String) -> Result<Option<VersionsView>, ServerFnError> {
    data::versions(&slug, &variant).await
}

#[server(prefix = "/api", endpoint = "notices/compare")]
pub async fn compare_versions(slug: String, variant: String, from: Option<i64>, to: Option<i64>) -> Result<Option<CompareView>, ServerFnError> {
    let Some(me) = data::staff() else { return Ok(None) };
    let page = data::compare(&me, &slug, &variant, from, to).await?;
    if page.is_none() {
        crate::pages::set_status(404);
    }
    Ok(page)
}

/// The editor's Markdown box and, beside it, the page as it will be published. With
/// JavaScript the preview follows every keystroke, drawn by the same renderer as the public
/// page; without it, the "Preview" button saves and shows the same thing.
#[island]
pub fn NoticeEditor(body: String, preview_html: String, error: bool) -> impl IntoView {
    let text = RwSignal::new(body.clone());
    let live = RwSignal::new(false);
    Effect::new(move |_| live.set(true));
    let html = move || if live.get() { crate::domain::render_notice(&text.get()) } else { preview_html.clone() };
    let class = if error { "nhsuk-textarea nhsuk-textarea--error scr-notice-source" } else { "nhsuk-textarea scr-notice-source" };
    view! {
        <div class="scr-editor">
            <div class="scr-editor__source">
                <label class="nhsuk-label nhsuk-label--s" for="body">"The notice, in Markdown"</label>
                <div class="nhsuk-hint" id="body-hint">"## for a heading, - for a list item, [words](https://…) for a link."</div>
                <textarea class=class id="body" name="body" rows="24" aria-describedby="body-hint"
                    on:input=move |ev| text.set(event_target_value(&ev))>{body}</textarea>
            </div>
            <section class="scr-editor__preview" aria-labelledby="preview-heading">
                <h2 class="nhsuk-heading-s" id="preview-heading">"Preview: how the page will look"</h2>
                <div class="scr-notice" inner_html=html></div>
            </section>
        </div>
    }
}

#[component]
pub fn PublishingHomePage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let done = q.get("done");
    let data = publishing_home();
    view! {
        <Layout title="Privacy notices">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(areas)) => view! { <PublishingHome areas=areas done=done.clone()/> }.into_any(),
                    Ok(None) => view! {
                        <h1>"You cannot publish notices"</h1>
                        <p>"Only the comms editors and approvers of an area write and publish its privacy notice."</p>
                    }.into_any(),
                    Err(e) => view! { <h1>"Privacy notices"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn PublishingHome(areas: Vec<PublishingArea>, done: Option<String>) -> impl IntoView {
    view! {
        <h1>"Privacy notices"</h1>
        {done.map(|d| view! {
            <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{match d.as_str() {
                    "published" => "The notice is published.",
                    "approved" => "The change is approved and will be published at the time you chose.",
                    "returned" => "The change was returned to its author with your comments.",
                    "submitted" => "The change was sent for review.",
                    "discarded" => "The change was discarded.",
                    _ => "Done.",
                }}</p></div>
        })}
        <p>"Each change is written by an editor and published only when a second person, an approver of the area, has read and approved it."</p>
        {areas.into_iter().map(|a| {
            let slug = a.slug.clone();
            view! {
                <h2>{a.name.clone()}</h2>
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{format!("Notices of {}", a.name)}</caption>
                    <thead class="nhsuk-table__head"><tr>
                        <th scope="col">"Format"</th><th scope="col">"Published"</th><th scope="col">"Change on its way"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">
                        {a.notices.into_iter().map(|n| {
                            let slug = slug.clone();
                            let can_edit = a.can_edit;
                            view! { <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{n.label.clone()}</td>
                                <td class="nhsuk-table__cell">{match n.current.clone() {
                                    Some((v, on)) => view! {
                                        <a href=format!("/areas/{slug}/notices/{}", n.variant)>{format!("Version {v}, {on}")}</a>
                                        " · "<a href=format!("/notices/compare?area={slug}&variant={}", n.variant)>"Compare versions"</a>
                                    }.into_any(),
                                    None => view! { "Not yet" }.into_any(),
                                }}</td>
                                <td class="nhsuk-table__cell">{match n.draft.clone() {
                                    Some((id, status, author)) => view! {
                                        <a href=format!("/notices/drafts/{id}")>{format!("{status} ({author})")}</a>
                                    }.into_any(),
                                    None if can_edit => view! {
                                        <form action="/notices/drafts" method="post" class="scr-inline-form">
                                            <input type="hidden" name="area" value=slug.clone()/>
                                            <input type="hidden" name="variant" value=n.variant.clone()/>
                                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                                aria-label=format!("Start a change to {}", n.label)>"Start a change"</button>
                                        </form>
                                    }.into_any(),
                                    None => view! { "None" }.into_any(),
                                }}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                {(a.can_edit && !a.other_formats.is_empty()).then(|| view! {
                    <form action="/notices/drafts" method="post">
                        <input type="hidden" name="area" value=slug.clone()/>
                        <div class="nhsuk-form-group">
                            <label class="nhsuk-label" for=format!("variant-{slug}")>"Publish the notice in another format"</label>
                            <select class="nhsuk-select" id=format!("variant-{slug}") name="variant">
                                {a.other_formats.clone().into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
                            </select>
                        </div>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Start it"</button>
                    </form>
                })}
            }
        }).collect_view()}
    }
}

#[component]
pub fn NoticeDraftPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
    let data = notice_draft(id);
    view! {
        <Layout title="Change to a notice">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(d)) => view! { <DraftPage d=d/> }.into_any(),
                    Ok(None) => view! { <h1>"Page not found"</h1><p>"There is no change to a notice here that you can see."</p> }.into_any(),
                    Err(e) => view! { <h1>"Change to a notice"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Changes(changes: Vec<(String, String)>) -> impl IntoView {
    view! {
        <div class="scr-diff">
            {changes.into_iter().map(|(kind, text)| match kind.as_str() {
                "added" => view! { <ins><span class="nhsuk-u-visually-hidden">"[added: "</span>{text}<span class="nhsuk-u-visually-hidden">"]"</span></ins> }.into_any(),
                "removed" => view! { <del><span class="nhsuk-u-visually-hidden">"[removed: "</span>{text}<span class="nhsuk-u-visually-hidden">"]"</span></del> }.into_any(),
                _ => view! { <span>{text}</span> }.into_any(),
            }).collect_view()}
        </div>
    }
}

#[component]
fn DraftPage(d: DraftView) -> impl IntoView {
    let errors = Errors(d.errors.clone());
    let answer = |k: &str| d.review_answers.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let heading = format!("{}: {}", d.area_name, d.format_label);
    let id = d.id;
    let when = answer("when");
    let (pd, pm, py, pt) = (answer("publish-day"), answer("publish-month"), answer("publish-year"), answer("publish-time"));
    let comment = answer("comment");
    let title_value = if d.can_edit && !answer("title").is_empty() { answer("title") } else { d.title.clone() };
    view! {
        <ErrorSummary errors=d.errors.clone()/>
        <span class="nhsuk-caption-l">{heading}</span>
        <h1>{if d.can_edit { "Change the notice" } else { "Review a change to the notice" }}</h1>
        <p><strong class="nhsuk-tag">{d.status_label.clone()}</strong>" Started by "{d.author_name.clone()}"."
            {d.publish_at.clone().map(|p| view! { " It will be published on "{p}"." })}</p>
        {d.reviews.iter().rev().find(|r| r.2 == "returned").filter(|_| d.status == "returned").map(|r| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"Returned with comments"</span></h2>
                <p>{format!("{} wrote:", r.1)}</p>
                <p class="scr-preserve-lines">{r.3.clone().unwrap_or_default()}</p>
            </div>
        })}
        {if d.can_edit {
            view! {
                <form action=format!("/notices/drafts/{id}/edit") method="post" novalidate>
                    <div class=group_class(errors.get("title").is_some())>
                        <label class="nhsuk-label nhsuk-label--s" for="title">"Title"</label>
                        <ErrorMessage id="title" message=errors.get("title")/>
                        <input class="nhsuk-input" id="title" name="title" type="text" value=title_value/>
                    </div>
                    <div class=group_class(errors.get("body").is_some())>
                        <ErrorMessage id="body" message=errors.get("body")/>
                        <NoticeEditor body=d.body.clone() preview_html=d.preview_html.clone() error=errors.get("body").is_some()/>
                    </div>
                    <div class="nhsuk-button-group">
                        <button class="nhsuk-button" type="submit" name="action" value="submit">"Send for review"</button>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="save">"Save draft"</button>
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit" name="action" value="preview">"Preview"</button>
                    </div>
                </form>
                <form action=format!("/notices/drafts/{id}/discard") method="post">
                    <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="submit">"Discard this change"</button>
                </form>
            }.into_any()
        } else {
            view! {
                <h2>{d.title.clone()}</h2>
                <div class="scr-notice">
                    <div inner_html=d.preview_html.clone()></div>
                </div>
            }.into_any()
        }}
        <h2>{match d.current_version { Some(v) => format!("What changes from version {v}"), None => "What will be published".to_string() }}</h2>
        <Changes changes=d.changes.clone()/>
        {d.can_review.then(|| view! {
            <h2>"Your review"</h2>
            <form action=format!("/notices/drafts/{id}/review") method="post" novalidate>
                <div class=group_class(errors.get("decision").is_some())>
                    <fieldset class="nhsuk-fieldset">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Your decision"</legend>
                        <ErrorMessage id="decision" message=errors.get("decision")/>
                        <div class="nhsuk-radios">
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id="decision" name="decision" type="radio" value="approve-now" checked=answer("decision") == "approve-now"/>
                                <label class="nhsuk-label nhsuk-radios__label" for="decision">"Approve and publish now"</label>
                            </div>
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id="decision-later" name="decision" type="radio" value="approve-later" checked=answer("decision") == "approve-later"/>
                                <label class="nhsuk-label nhsuk-radios__label" for="decision-later">"Approve and publish at a date and time"</label>
                            </div>
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id="decision-return" name="decision" type="radio" value="return" checked=answer("decision") == "return"/>
                                <label class="nhsuk-label nhsuk-radios__label" for="decision-return">"Return it to the author with comments"</label>
                            </div>
                        </div>
                    </fieldset>
                </div>
                <div class=group_class(errors.get("publish-day").is_some())>
                    <fieldset class="nhsuk-fieldset" role="group" aria-describedby="publish-hint">
                        <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"If publishing later: when (UK time)"</legend>
                        <div class="nhsuk-hint" id="publish-hint">"For example, 1 4 2027 and 09:00"</div>
                        <ErrorMessage id="publish-day" message=errors.get("publish-day")/>
                        <div class="nhsuk-date-input">
                            <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                                <label class="nhsuk-label nhsuk-date-input__label" for="publish-day">"Day"</label>
                                <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-2" id="publish-day" name="publish-day" type="text" inputmode="numeric" value=pd/>
                            </div></div>
                            <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                                <label class="nhsuk-label nhsuk-date-input__label" for="publish-month">"Month"</label>
                                <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-2" id="publish-month" name="publish-month" type="text" inputmode="numeric" value=pm/>
                            </div></div>
                            <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                                <label class="nhsuk-label nhsuk-date-input__label" for="publish-year">"Year"</label>
                                <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-4" id="publish-year" name="publish-year" type="text" inputmode="numeric" value=py/>
                            </div></div>
                            <div class="nhsuk-date-input__item"><div class="nhsuk-form-group">
                                <label class="nhsuk-label nhsuk-date-input__label" for="publish-time">"Time"</label>
                                <input class="nhsuk-input nhsuk-date-input__input nhsuk-input--width-4" id="publish-time" name="publish-time" type="text" value=pt/>
                            </div></div>
                        </div>
                    </fieldset>
                </div>
                <div class=group_class(errors.get("comment").is_some())>
                    <label class="nhsuk-label nhsuk-label--s" for="comment">"Comments for the author (if returning it)"</label>
                    <ErrorMessage id="comment" message=errors.get("comment")/>
                    <textarea class="nhsuk-textarea" id="comment" name="comment" rows="4">{comment}</textarea>
                </div>
                <input type="hidden" name="when" value=when/>
                <button class="nhsuk-button" type="submit">"Send your review"</button>
            </form>
        })}
        {(!d.reviews.is_empty()).then(|| view! {
            <h2>"Review trail"</h2>
            <ul class="nhsuk-list">
                {d.reviews.clone().into_iter().map(|(at, who, what, comment)| view! {
                    <li>{format!("{at}: {what} by {who}")}{comment.map(|c| view! { <br/><span class="scr-preserve-lines">{c}</span> })}</li>
                }).collect_view()}
            </ul>
        })}
        <p><a href="/notices">"Back to privacy notices"</a></p>
    }
}

#[component]
pub fn PublicNoticePage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let slug = params.get("slug").unwrap_or_default();
    let variant = params.get("variant").unwrap_or_else(|| "main".into());
    let version = params.get("version").and_then(|v| v.parse::<i64>().ok());
    let data = public_notice(slug, variant, version);
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(n)) => view! { <PublicNoticeView n=n/> }.into_any(),
                    Ok(None) => view! { <crate::pages::NotFoundBody/> }.into_any(),
                    Err(e) => view! { <h1>"Sorry, there is a problem with the service"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn PublicNoticeView(n: NoticePage) -> impl IntoView {
    let title = match (n.variant.as_str(), &n.superseded_on) {
        ("main", None) => format!("{} privacy notice", n.area_name),
        ("main", Some(_)) => format!("Version {}: {} privacy notice", n.version, n.area_name),
        (_, None) => format!("{}: {} privacy notice", n.format_label, n.area_name),
        (_, Some(_)) => format!("Version {}, {}: {} privacy notice", n.version, n.format_label, n.area_name),
    };
    let slug = n.area_slug.clone();
    let variant = n.variant.clone();
    view! {
        <crate::components::PageTitle text=title/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{n.area_name.clone()}</span>
                {n.superseded_on.clone().map(|until| view! {
                    <div class="nhsuk-warning-callout">
                        <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"This is an older version"</span></h2>
                        <p>{format!("Version {} was in force from {} until {}.", n.version, n.effective_from, until)}" "
                            <a href=format!("/areas/{slug}/notices/{variant}")>"Read the notice in force now"</a></p>
                    </div>
                })}
                <div lang=n.lang.clone() dir=n.dir.clone()>
                    <h1>{n.title.clone()}</h1>
                </div>
                <dl class="nhsuk-summary-list scr-notice-dates">
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"In force from"</dt><dd class="nhsuk-summary-list__value">{n.effective_from.clone()}</dd></div>
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Last updated"</dt><dd class="nhsuk-summary-list__value">{n.last_updated.clone()}</dd></div>
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Version"</dt><dd class="nhsuk-summary-list__value">
                        {n.version}" · "<a href=format!("/areas/{slug}/notices/{variant}/versions")>"Previous versions"</a></dd></div>
                </dl>
                {(!n.formats.is_empty()).then(|| view! {
                    <nav aria-label="Other formats">
                        <h2 class="nhsuk-heading-s">"This notice in other formats"</h2>
                        <ul class="nhsuk-list">
                            {n.formats.clone().into_iter().map(|(v, label, lang)| {
                                let href = if v == "main" { format!("/areas/{slug}") } else { format!("/areas/{slug}/notices/{v}") };
                                view! { <li><a href=href hreflang=lang.clone() lang=lang>{label}</a></li> }
                            }).collect_view()}
                        </ul>
                    </nav>
                })}
                <div class="scr-notice" lang=n.lang.clone() dir=n.dir.clone() inner_html=n.html.clone()></div>
                <h2>"Organisations that share information in this area"</h2>
                <ul>
                    {n.organisations.clone().into_iter().map(|(name, code)| view! { <li>{format!("{name} ({code})")}</li> }).collect_view()}
                </ul>
                <h2>"Find out more"</h2>
                <ul class="nhsuk-list">
                    <li><a href=format!("/areas/{slug}/engagement")>"Events, consultations and what we changed"</a></li>
                    <li><a href=format!("/areas/{slug}/figures")>"Objections and requests, in figures"</a></li>
                </ul>
            </div>
        </div>
    }
}

#[component]
pub fn NoticeVersionsPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let data = notice_versions(params.get("slug").unwrap_or_default(), params.get("variant").unwrap_or_default());
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(v)) => {
                        let title = format!("Previous versions: {} {}", v.area_name, v.format_label.to_lowercase());
                        let (slug, variant) = (v.area_slug.clone(), v.variant.clone());
                        view! {
                            <crate::components::PageTitle text=title.clone()/>
                            <span class="nhsuk-caption-l">{v.area_name.clone()}</span>
                            <h1>{format!("{}: every version", v.format_label)}</h1>
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Versions, newest first"</caption>
                                <thead class="nhsuk-table__head"><tr><th scope="col">"Version"</th><th scope="col">"In force"</th></tr></thead>
                                <tbody class="nhsuk-table__body">
                                    {v.versions.into_iter().map(|(n, title, from, until)| {
                                        let href = format!("/areas/{slug}/notices/{variant}/versions/{n}");
                                        view! { <tr class="nhsuk-table__row">
                                            <td class="nhsuk-table__cell"><a href=href>{format!("Version {n}: {title}")}</a></td>
                                            <td class="nhsuk-table__cell">{match until { Some(u) => format!("{from} to {u}"), None => format!("From {from} (in force now)") }}</td>
                                        </tr> }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    Ok(None) => view! { <crate::pages::NotFoundBody/> }.into_any(),
                    Err(e) => view! { <h1>"Sorry, there is a problem with the service"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn CompareVersionsPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let data = compare_versions(q.get("area").unwrap_or_default(), q.get("variant").unwrap_or_else(|| "main".into()), num("from"), num("to"));
    view! {
        <Layout title="Compare versions">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(c)) => view! {
                        <span class="nhsuk-caption-l">{format!("{}: {}", c.area_name, c.format_label)}</span>
                        <h1>{format!("Changes from version {} to version {}", c.from, c.to)}</h1>
                        <form action="/notices/compare" method="get">
                            <input type="hidden" name="area" value=c.area_slug.clone()/>
                            <input type="hidden" name="variant" value=c.variant.clone()/>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="from">"From version"</label>
                                <select class="nhsuk-select" id="from" name="from">
                                    {c.versions.iter().map(|v| view! { <option value=v.to_string() selected=*v == c.from>{v.to_string()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="to">"To version"</label>
                                <select class="nhsuk-select" id="to" name="to">
                                    {c.versions.iter().map(|v| view! { <option value=v.to_string() selected=*v == c.to>{v.to_string()}</option> }).collect_view()}
                                </select>
                            </div>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Compare"</button>
                        </form>
                        <p class="nhsuk-body-s">"Added words are underlined, removed words struck through."</p>
                        <Changes changes=c.changes/>
                        <p><a href="/notices">"Back to privacy notices"</a></p>
                    }.into_any(),
                    Ok(None) => view! { <h1>"Page not found"</h1><p>"There are no versions of that notice you can compare."</p> }.into_any(),
                    Err(e) => view! { <h1>"Compare versions"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

/// The sections a shared care record privacy notice needs, offered when an area writes its
/// first notice: who the joint controllers are, what information, why and the lawful basis, who
/// can see it, how long it is kept, the patient's rights and how to contact the area.
pub fn template(area_name: &str, organisations: &[(String, String)]) -> String {
    let orgs: String = organisations.iter().map(|(code, name)| format!("- {name} ({code})\n")).collect();
    format!(
        r#"## Who we are

The {area_name} is run by the health and care organisations below, as joint controllers of the information in it:

{orgs}
## What information is in the shared care record

Information that helps the people caring for you, such as your name, address, date of birth and NHS number; your GP surgery; your allergies, medicines and test results; hospital visits and discharge letters; care plans; and social care support you receive.

## Why we use it, and the lawful basis

We use it to give you safe and joined-up care. The lawful basis is UK GDPR Article 6(1)(e), a task in the public interest, and for health information Article 9(2)(h), the provision of health and social care.

## Who can see it

Only health and care professionals who are caring for you, and only the parts their role needs. An administrator sees your contact details, not your diagnoses. Every time someone looks at your record it is recorded in an audit trail.

## How long it is kept

Information stays in the shared care record while the organisations that provide it keep it, following the Records Management Code of Practice.

## Your rights

- You can **object** to your information being in the shared care record. Each objection is considered locally on a case by case basis.
- You can **ask for a copy** of the information held about you. We will answer within one month.
- You can ask to see **who has looked at your record**, and why.
- You can **complain** to the Information Commissioner's Office at [ico.org.uk](https://ico.org.uk/make-a-complaint/) or by calling 0303 123 1113.

## How to contact us

Write to the Data Protection Officer, {area_name}, or use this service to object or to ask for your information.
"#
    )
}
