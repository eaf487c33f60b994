//! The one error vocabulary of handlers. A form post or download returns
//! `HandlerResult`; whatever goes wrong becomes the right status and an NHS-style page that
//! says what happened in plain words. A failure of ours is logged once, whole, with the
//! request's id, and the page gives that id as the reference a person can quote, so the quote
//! finds the log line. The browser never sees the cause.

use super::store::StoreError;
use axum::response::{IntoResponse, Redirect, Response};
use http::StatusCode;
use leptos::prelude::*;
use std::sync::OnceLock;

pub type HandlerResult<T = Response> = Result<T, HandlerError>;

#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// Not signed in as the kind of person the route is for: off to sign in.
    #[error("not signed in")]
    SignIn,
    /// A patient who cannot use this journey yet (not verified, or in no area the portal
    /// serves): back to the journey's page, which explains what they can do.
    #[error("not eligible")]
    NotEligible { page: String },
    /// Nothing here, or not theirs: "not found", never "forbidden", so ids cannot be probed.
    #[error("not found")]
    NotFound,
    /// Their role does not let them do this; the sentence says why.
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    /// It was here, and is no more (an expired download).
    #[error("gone: {0}")]
    Gone(&'static str),
    /// A request no form of ours sends.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else of ours that failed (building a download, say).
    #[error("{0}")]
    Internal(String),
}

impl IntoResponse for HandlerError {
    fn into_response(self) -> Response {
        match self {
            HandlerError::SignIn => Redirect::to("/sign-in").into_response(),
            HandlerError::NotEligible { page } => Redirect::to(&page).into_response(),
            HandlerError::NotFound => page(
                StatusCode::NOT_FOUND,
                "Page not found",
                &["If you typed the web address, check it is correct.", "If you pasted the web address, check you copied the entire address."],
                None,
            ),
            HandlerError::Forbidden(why) => {
                super::security::record(super::security::SecurityEvent::AuthorisationRefused, why);
                page(StatusCode::FORBIDDEN, "You cannot do this", &[why], None)
            }
            HandlerError::Gone(why) => page(StatusCode::GONE, "This is no longer available", &[why], None),
            HandlerError::BadRequest(why) => page(StatusCode::BAD_REQUEST, "Sorry, there is a problem", &[why], None),
            HandlerError::Store(e) if e.is_unavailable() => unavailable(&e),
            HandlerError::Store(e) => failed(&e),
            HandlerError::Internal(e) => failed(&e),
        }
    }
}

/// Logs a failure of ours once, whole, and answers with the reference to quote.
fn failed(e: &dyn std::fmt::Display) -> Response {
    let reference = reference();
    tracing::error!(error = %e, reference = %reference, "request failed");
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service",
        &["Try again later. Nothing you entered has been lost."],
        Some(reference),
    )
}

/// The database is out for a moment: 503, said plainly, with nothing lost. (A form that was
/// being sent is offered again, with what was typed, by the server's `keep_answers` layer.)
pub fn unavailable(e: &dyn std::fmt::Display) -> Response {
    let reference = reference();
    tracing::warn!(error = %e, reference = %reference, "service unavailable: the database did not answer");
    let mut res = page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Sorry, the service is unavailable",
        &["We could not reach our records just now. This usually lasts a minute or two.", "Nothing you entered has been lost. Try again in a few minutes."],
        Some(reference),
    );
    res.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
    res
}

/// The 503 page for a form that could not be sent: the answers, as they were typed, in a form
/// that sends them again to the same address.
pub fn unavailable_form(action: String, fields: Vec<(String, String)>) -> Response {
    let reference = reference();
    tracing::warn!(reference = %reference, fields = fields.len(), "form kept while the service is unavailable");
    let main = view! {
        <h1>"Sorry, the service is unavailable"</h1>
        <p>"We could not save your answers just now because we could not reach our records. This usually lasts a minute or two."</p>
        <p>"Your answers are kept on this page. Wait a minute, then send them again. If they were saved after all, sending again will not send them twice."</p>
        <form method="post" action=action novalidate>
            {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
            <button class="nhsuk-button" type="submit">"Send my answers again"</button>
        </form>
        <p>"If you contact us about this, give this reference: " <strong>{reference}</strong></p>
    };
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, axum::response::Html(document("Sorry, the service is unavailable", main))).into_response();
    res.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    res.headers_mut().insert(http::header::RETRY_AFTER, http::HeaderValue::from_static("30"));
    res
}

/// What a destructive staff action asks before it is done.
pub struct Ask {
    /// The page's heading: "Remove Jo Bloggs as case worker in Southvale Care Record?"
    pub question: String,
    /// What doing it means, in a sentence.
    pub detail: String,
    /// The button that does it: "Yes, remove".
    pub yes: &'static str,
    /// Where "No" goes back to.
    pub back: String,
}

/// A destructive action (removing, revoking, discarding, withdrawing) is done only when its
/// form says `confirm=yes`. Otherwise the answer is a page that asks, holding the form's own
/// fields in a form that posts them again, to the same address, with `confirm=yes`; "No" goes
/// back and nothing is changed. It works the same with JavaScript off.
pub fn ask_first(f: &super::Fields, action: &str, ask: impl FnOnce() -> Ask) -> Option<Response> {
    if f.one("confirm") == "yes" {
        return None;
    }
    let Ask { question, detail, yes, back } = ask();
    let fields: Vec<(String, String)> = f.as_slice().iter().filter(|(k, _)| k != "confirm").cloned().collect();
    let action = action.to_string();
    let title = question.clone();
    let main = view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>{question}</h1>
                <p>{detail}</p>
                <form method="post" action=action novalidate>
                    {fields.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view()}
                    <input type="hidden" name="confirm" value="yes"/>
                    <button class="nhsuk-button nhsuk-button--warning" type="submit">{yes}</button>
                </form>
                <p><a href=back>"No, go back"</a></p>
            </div>
        </div>
    };
    let mut res = (StatusCode::OK, axum::response::Html(document(&title, main))).into_response();
    res.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    Some(res)
}

/// The words a server function's error carries when the database is out, by which a page
/// knows to answer 503 rather than 500.
pub const UNAVAILABLE_WORDS: &str = "Sorry, the service is unavailable for a moment.";

/// A server function's answer when something of ours fails: the whole error logged once, with
/// the request's reference; the browser gets a safe sentence and the reference.
pub fn internal(err: impl std::fmt::Display) -> ServerFnError {
    let reference = reference();
    let text = err.to_string();
    if text.starts_with(super::store::UNAVAILABLE) {
        tracing::warn!(error = %text, reference = %reference, "service unavailable: the database did not answer");
        return ServerFnError::new(format!("{UNAVAILABLE_WORDS} Nothing you entered has been lost. Try again in a few minutes. (Reference {reference})"));
    }
    tracing::error!(error = %text, reference = %reference, "request failed");
    ServerFnError::new(format!("Sorry, there is a problem with the service. Try again later. (Reference {reference})"))
}

/// The id of the request being served, as the server's request-id layer gave it.
#[derive(Debug, Clone)]
pub struct RequestReference(pub String);

tokio::task_local! {
    /// The request id, for handlers' errors (set around each request by the server).
    pub static REQUEST_REFERENCE: String;
}

/// The reference of the request being served: the request id (in handlers, from the task the
/// request runs in; in page renders and server functions, from the request's parts).
pub fn reference() -> String {
    REQUEST_REFERENCE
        .try_with(Clone::clone)
        .ok()
        .or_else(|| {
            use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<RequestReference>().map(|r| r.0.clone()))
        })
        .unwrap_or_else(|| "unknown".to_string())
}

static STYLESHEET: OnceLock<String> = OnceLock::new();

/// The site's stylesheet (its name carries a content hash when the build gave it one).
pub fn stylesheet() -> String {
    STYLESHEET.get().cloned().unwrap_or_else(|| "/pkg/scr-portal.css".to_string())
}

/// Where the site's stylesheet is, for pages drawn outside the app's router (set at start-up).
pub fn set_stylesheet(href: String) {
    let _ = STYLESHEET.set(href);
}

static ENHANCER: OnceLock<String> = OnceLock::new();

/// The enhancer's address (`public/enhance.js`, with its content hash when the site has it).
pub fn enhancer() -> String {
    ENHANCER.get().cloned().unwrap_or_else(|| "/enhance.js".to_string())
}

/// Where the enhancer is (set at start-up).
pub fn set_enhancer(href: String) {
    let _ = ENHANCER.set(href);
}

/// A whole page in the NHS.UK style around `main`, drawn by the view (so every word is
/// escaped): for pages drawn outside the app's router.
fn document(title: &str, main: impl IntoView + 'static) -> String {
    use leptos::tachys::view::RenderHtml;
    let css = stylesheet();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>{format!("{title} - {} - NHS", crate::ui::SERVICE_NAME)}</title>
                <link rel="stylesheet" href=css/>
            </head>
            <body>
                <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
                <header class="nhsuk-header" role="banner">
                    <div class="nhsuk-header__container nhsuk-width-container">
                        <div class="nhsuk-header__service">
                            <a class="nhsuk-header__service-name" href="/">{crate::ui::SERVICE_NAME}</a>
                        </div>
                    </div>
                </header>
                <div class="nhsuk-width-container">
                    <main class="nhsuk-main-wrapper" id="maincontent">{main}</main>
                </div>
                <footer class="nhsuk-footer" role="contentinfo">
                    <div class="nhsuk-width-container">
                        <div class="nhsuk-footer__meta">
                            <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                            <ul class="nhsuk-footer__list">
                                <li class="nhsuk-footer__list-item"><a class="nhsuk-footer__list-item-link" href="/accessibility">"Accessibility statement"</a></li>
                            </ul>
                            <p class="nhsuk-body-s">"© NHS England"</p>
                        </div>
                    </div>
                </footer>
            </body>
        </html>
    }
    .to_html()
    // The page is never hydrated: the markers the view leaves for hydration (`<!>`, one in the
    // title) are taken out. Text from a person is escaped, so none of theirs is ever one.
    .replace("<!>", "")
}

/// The page for a refusal the framework answered in plain text before any handler of ours ran
/// (a method the address does not take, a body too large, a form in an encoding no page of ours
/// sends): the same status, said in words on an NHS-style page. `None` for any other status.
pub fn framework_refusal(status: StatusCode) -> Option<Response> {
    let (title, lines): (&'static str, &[&'static str]) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("Sorry, there is a problem", &["This page cannot be used that way. Go back and try again from the page before."]),
        StatusCode::PAYLOAD_TOO_LARGE => ("What you sent is too large", &["Go back and send less: a shorter answer, or a smaller file."]),
        StatusCode::UNSUPPORTED_MEDIA_TYPE | StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => {
            ("Sorry, there is a problem", &["What was sent could not be read. Go back and try again from the page before."])
        }
        _ => return None,
    };
    Some(page(status, title, lines, None))
}

/// A problem page: its title, its lines, and the reference to quote.
fn page(status: StatusCode, title: &'static str, lines: &[&'static str], reference: Option<String>) -> Response {
    let lines = lines.to_vec();
    let main = view! {
        <h1>{title}</h1>
        {lines.into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        {reference.map(|r| view! { <p>"If you contact us about this, give this reference: " <strong>{r}</strong></p> })}
        <p><a href="/">"Go to the start page"</a></p>
    };
    let html = document(title, main);
    let mut res = (status, axum::response::Html(html)).into_response();
    res.headers_mut().insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    res
}
