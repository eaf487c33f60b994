//! The comms team's pages: their areas' notices and changes on their way, and one change with
//! its editor (a live preview when JavaScript is on), review and comments.

use super::api::*;
use crate::ui::{group_class, loaded, ErrorMessage, ErrorSummary, Errors, Layout, TextArea};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The editor's Markdown box and, beside it, the page as it will be published. With
/// JavaScript the preview follows the typing (a moment after it pauses), drawn on the server by
/// the same renderer as the public page; without it, the "Preview" button saves and shows the
/// same thing.
#[island]
pub fn NoticeEditor(body: String, preview_html: crate::domain::NoticeHtml, error: bool) -> impl IntoView {
    let rendered = RwSignal::new(preview_html.into_string());
    // Each keystroke is numbered; only the latest asks for a preview, once typing pauses, and
    // only the latest answer is shown.
    let typed = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let markdown = event_target_value(&ev);
        typed.update_value(|n| *n += 1);
        let mine = typed.get_value();
        set_timeout(
            move || {
                if typed.get_value() != mine {
                    return;
                }
                leptos::task::spawn_local(async move {
                    if let Some(html) = preview(markdown).await {
                        if typed.get_value() == mine {
                            rendered.set(html);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(250),
        );
    };
    let html = move || rendered.get();
    let class = if error { "nhsuk-textarea nhsuk-textarea--error scr-notice-source" } else { "nhsuk-textarea scr-notice-source" };
    // The text is the server's to write and the browser's once the page is there: the island's
    // view has none, so hydration never looks for a text node (see ui::CharacterCount).
    #[cfg(feature = "ssr")]
    let source = view! {
        <textarea class=class id="body" name="body" rows="24" aria-describedby="body-hint" on:input=on_input>{crate::ui::textarea_text(body)}</textarea>
    };
    #[cfg(not(feature = "ssr"))]
    let source = {
        let _ = body;
        view! { <textarea class=class id="body" name="body" rows="24" aria-describedby="body-hint" on:input=on_input></textarea> }
    };
    view! {
        <div class="scr-editor">
            <div class="scr-editor__source">
                <label class="nhsuk-label nhsuk-label--s" for="body">"The notice, in Markdown"</label>
                <div class="nhsuk-hint" id="body-hint">"## for a heading, - for a list item, [words](https://…) for a link."</div>
                {source}
            </div>
            <section class="scr-editor__preview" aria-labelledby="preview-heading">
                <h2 class="nhsuk-heading-s" id="preview-heading">"Preview: how the page will look"</h2>
                <div class="scr-notice" inner_html=html></div>
            </section>
        </div>
    }
}


/// Asks the server for the preview (`POST /notices/preview`, a plain form post answered with
/// the HTML): a fetch of the browser's own, not a server function, so the client half of the
/// server-function machinery stays out of the WebAssembly every patient downloads.
#[cfg(feature = "hydrate")]
async fn preview(markdown: String) -> Option<String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let form = web_sys::UrlSearchParams::new().ok()?;
    form.append("markdown", &markdown);
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&form.into());
    let request = web_sys::Request::new_with_str_and_init("/notices/preview", &init).ok()?;
    let answer: web_sys::Response = JsFuture::from(window().fetch_with_request(&request)).await.ok()?.dyn_into().ok()?;
    if !answer.ok() {
        return None;
    }
    JsFuture::from(answer.text().ok()?).await.ok()?.as_string()
}

#[cfg(not(feature = "hydrate"))]
async fn preview(_markdown: String) -> Option<String> {
    None
}

#[component]
pub fn PublishingHomePage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let done = q.get("done");
    let data = publishing_home();
    view! {
        <Layout title="Privacy notices">
            {loaded(data, move |v| match v {
                    Some(areas) => view! { <PublishingHome areas=areas done=done.clone()/> }.into_any(),
                    None => view! {
                        <h1>"You cannot publish notices"</h1>
                        <p>"Only the comms editors and approvers of an area write and publish its privacy notice."</p>
                    }.into_any(),
                })}
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
                <Table caption={format!("Notices of {}", a.name)} hide_caption=true headings=vec!["Format", "Published", "Change on its way"]
    rows={a.notices.into_iter().map(|n| {
        let slug = slug.clone();
                            let can_edit = a.can_edit;
        vec![
            view! { {n.label.clone()} }.into_any(),
            view! { {match n.current.clone() {
                                    Some((v, on)) => view! {
                                        <a href=format!("/areas/{slug}/notices/{}", n.variant)>{format!("Version {v}, {on}")}</a>
                                        " · "<a href=format!("/notices/compare?area={slug}&variant={}", n.variant)>"Compare versions"</a>
                                    }.into_any(),
                                    None => view! { "Not yet" }.into_any(),
                                }} }.into_any(),
            view! { {match n.draft.clone() {
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
                                }} }.into_any(),
        ]
    }).collect::<Vec<_>>()}/>
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
            {loaded(data, move |v| match v {
                    Some(d) => view! { <DraftPage d=d/> }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>"There is no change to a notice here that you can see."</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
pub(super) fn Changes(changes: Vec<(String, String)>) -> impl IntoView {
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
                    <div inner_html=d.preview_html.clone().into_string()></div>
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
                <TextArea name="comment" label="Comments for the author (if returning it)" label_size="nhsuk-label--s"
                    value=comment error=errors.get("comment") rows=4/>
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

