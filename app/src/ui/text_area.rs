//! The NHS textarea with its character count: plain server HTML first; an island counts
//! characters as the person types when JavaScript is on, the same way the server does.

use super::forms::{described_by, group_class, ErrorMessage};
use leptos::prelude::*;

/// A textarea, the one way the portal asks for more than a line of text. With `max`, it has the
/// NHS character count: the label, hint and error sit outside the island, so they are plain
/// server HTML; the island counts characters as the person types, the same way the server does.
/// The value is always a text node of the view, so whatever it holds (`</textarea>` included)
/// comes back as text.
#[component]
pub fn TextArea(
    #[prop(into)] name: String,
    /// The element's id, when it must differ from its name (two forms on a page with one name).
    #[prop(optional, into)]
    id: Option<String>,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: String,
    error: Option<String>,
    #[prop(optional)] max: Option<usize>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional, into)] autocomplete: Option<String>,
    /// `nhsuk-label--s` and the like, for a label that stands out.
    #[prop(optional, into)]
    label_size: Option<String>,
) -> impl IntoView {
    let id = id.unwrap_or_else(|| name.clone());
    let describe = described_by(&id, hint.is_some(), error.is_some()).unwrap_or_default();
    let has_error = error.is_some();
    let label_class = match label_size {
        Some(size) => format!("nhsuk-label {size}"),
        None => "nhsuk-label".to_string(),
    };
    let rows = rows.unwrap_or(5);
    let autocomplete = autocomplete.unwrap_or_else(|| "off".into());
    let field = match max {
        Some(max) => view! {
            <div class="nhsuk-character-count">
                <CharacterCount id=id.clone() name=name.clone() value=value max=max rows=rows described_by=describe error=has_error autocomplete=autocomplete/>
            </div>
        }
        .into_any(),
        None => {
            let class = if has_error { "nhsuk-textarea nhsuk-textarea--error" } else { "nhsuk-textarea" };
            view! {
                <textarea class=class id=id.clone() name=name.clone() rows=rows autocomplete=autocomplete
                    aria-describedby=(!describe.is_empty()).then_some(describe)>{textarea_text(value)}</textarea>
            }
            .into_any()
        }
    };
    view! {
        <div class=group_class(has_error)>
            <label class=label_class for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{h}</div> })}
            <ErrorMessage id=id.clone() message=error/>
            {field}
        </div>
    }
}

/// A textarea's text as the view writes it. Leptos writes a textarea's children unescaped (to
/// HTML its content is text, but `</textarea>` inside it still ends the element), so on the
/// server the text is escaped here and the browser decodes it back to what was typed. In the
/// browser the text node already holds the typed text, and hydration leaves it as it is. Every
/// textarea in the portal takes its text through this.
pub fn textarea_text(value: String) -> String {
    #[cfg(feature = "ssr")]
    {
        html_escape::encode_text(&value).into_owned()
    }
    #[cfg(not(feature = "ssr"))]
    {
        value
    }
}


/// What the character count says: before JavaScript runs, the limit; after, what is left.
pub fn count_message(max: usize, used: Option<usize>) -> String {
    match used {
        None => format!("You can enter up to {} characters", crate::domain::thousands(max)),
        Some(n) if n <= max => {
            let left = max - n;
            format!("You have {} character{} remaining", crate::domain::thousands(left), if left == 1 { "" } else { "s" })
        }
        Some(n) => {
            let over = n - max;
            format!("You have {} character{} too many", crate::domain::thousands(over), if over == 1 { "" } else { "s" })
        }
    }
}

/// Characters as a person counts them (graphemes), in the browser by its own
/// `Intl.Segmenter`, so the WebAssembly carries no Unicode tables; a browser without it counts
/// code points. The server stays the authority ([`crate::domain::count_characters`], the same
/// rule).
#[cfg(feature = "hydrate")]
fn typed_characters(text: &str) -> usize {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_namespace = Intl)]
        type Segmenter;
        #[wasm_bindgen(constructor, catch, js_namespace = Intl)]
        fn new() -> Result<Segmenter, JsValue>;
        #[wasm_bindgen(method)]
        fn segment(this: &Segmenter, input: &str) -> JsValue;
    }
    let text = text.replace("\r\n", "\n");
    Segmenter::new()
        .ok()
        .and_then(|s| js_sys::try_iter(&s.segment(&text)).ok().flatten())
        .map_or_else(|| text.chars().count(), Iterator::count)
}

#[cfg(not(feature = "hydrate"))]
fn typed_characters(text: &str) -> usize {
    crate::domain::count_characters(text)
}

#[island]
pub fn CharacterCount(
    id: String,
    name: String,
    value: String,
    max: usize,
    rows: u32,
    described_by: String,
    error: bool,
    autocomplete: String,
) -> impl IntoView {
    let text = RwSignal::new(value.clone());
    // Only true in the browser once the island is alive, so the server's HTML and the first
    // render in the browser agree. What was typed before the island woke up (on a slow
    // connection the WebAssembly can arrive seconds after the page) is read from the field
    // itself, so the count is right at once, not only after the next key.
    let live = RwSignal::new(false);
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(el) = field.get() {
            text.set(el.value());
        }
        live.set(true);
    });
    let message = move || count_message(max, live.get().then(|| typed_characters(&text.get())));
    let over = move || live.get() && typed_characters(&text.get()) > max;
    let info = format!("{id}-info");
    let describe = if described_by.is_empty() { info.clone() } else { format!("{described_by} {info}") };
    let class = if error { "nhsuk-textarea nhsuk-textarea--error nhsuk-js-character-count" } else { "nhsuk-textarea nhsuk-js-character-count" };
    // The server writes the text into the textarea; in the browser the textarea's content is
    // the browser's (it may already hold what was typed), so the island's view has none and
    // hydration never looks for a text node (an empty textarea has none to find).
    #[cfg(feature = "ssr")]
    let area = view! {
        <textarea node_ref=field class=class id=id name=name rows=rows aria-describedby=describe.clone() autocomplete=autocomplete
            on:input=move |ev| text.set(event_target_value(&ev))>{textarea_text(value)}</textarea>
    };
    #[cfg(not(feature = "ssr"))]
    let area = {
        let _ = value;
        view! {
            <textarea node_ref=field class=class id=id name=name rows=rows aria-describedby=describe.clone() autocomplete=autocomplete
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
        }
    };
    view! {
        {area}
        <div class=move || if over() { "nhsuk-error-message nhsuk-character-count__message" } else { "nhsuk-hint nhsuk-character-count__message" }
            id=info aria-live="polite">{message}</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_textarea_cannot_be_closed_from_inside() {
        use leptos::tachys::view::RenderHtml;
        let html = view! { <TextArea name="reason" label="Why" value="</textarea><img src=x onerror=alert(1)>&amp;".to_string() error=None/> }.to_html();
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"), "{html}");
        assert_eq!(html.matches("</textarea>").count(), 1);
    }

    #[test]
    fn the_count_reads_like_the_nhs_component() {
        assert_eq!(count_message(2000, None), "You can enter up to 2,000 characters");
        assert_eq!(count_message(2000, Some(1999)), "You have 1 character remaining");
        assert_eq!(count_message(2000, Some(0)), "You have 2,000 characters remaining");
        assert_eq!(count_message(2000, Some(2002)), "You have 2 characters too many");
    }
}
