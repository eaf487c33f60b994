//! NHS.UK form pieces: radios, checkboxes (with what each option reveals), text inputs, date
//! inputs, error messages, and the "how should we tell you" question. Plain server HTML.

use super::TextArea;
use leptos::prelude::*;

/// The form's errors, by field id.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<(String, String)>);

impl Errors {
    pub fn get(&self, field: &str) -> Option<String> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.clone())
    }
}

pub fn group_class(error: bool) -> &'static str {
    if error {
        "nhsuk-form-group nhsuk-form-group--error"
    } else {
        "nhsuk-form-group"
    }
}

/// `aria-describedby` for a field: its hint and error when it has them.
pub(crate) fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if error {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

#[component]
pub fn ErrorMessage(#[prop(into)] id: String, message: Option<String>) -> impl IntoView {
    message.map(|m| {
        view! {
            <span class="nhsuk-error-message" id=format!("{id}-error")>
                <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
            </span>
        }
    })
}

/// One option of a radios or checkboxes question, with what it reveals beneath it.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
    pub conditional: Option<AnyView>,
}

impl Choice {
    pub fn new(value: impl Into<String>, label: impl Into<String>) -> Self {
        Self { value: value.into(), label: label.into(), hint: None, conditional: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn reveals(mut self, view: AnyView) -> Self {
        self.conditional = Some(view);
        self
    }
}

/// Radios or checkboxes in a fieldset. The first input's id is the field's name, so the error
/// summary's link lands on it.
#[component]
pub fn Options(
    #[prop(into)] name: String,
    #[prop(into)] legend: String,
    #[prop(optional, into)] hint: Option<String>,
    choices: Vec<Choice>,
    selected: Vec<String>,
    error: Option<String>,
    #[prop(optional)] multiple: bool,
    #[prop(optional)] heading: bool,
) -> impl IntoView {
    let kind = if multiple { "checkboxes" } else { "radios" };
    let input_type = if multiple { "checkbox" } else { "radio" };
    let describe = described_by(&name, hint.is_some(), error.is_some());
    let legend_view = if heading {
        view! {
            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--l">
                <h1 class="nhsuk-fieldset__heading">{legend}</h1>
            </legend>
        }
        .into_any()
    } else {
        view! { <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">{legend}</legend> }.into_any()
    };
    let items = choices
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = if i == 0 { name.clone() } else { format!("{name}-{}", i + 1) };
            let checked = selected.contains(&c.value);
            let hint_id = format!("{id}-item-hint");
            let has_hint = c.hint.is_some();
            // The NHS conditional reveal: with JavaScript on, the enhancer (public/enhance.js)
            // shows what an option reveals only while it is chosen; with it off, every
            // question shows, each under its option.
            let conditional_id = format!("{id}-conditional");
            let reveals = c.conditional.is_some().then(|| conditional_id.clone());
            let conditional_class = if checked { format!("nhsuk-{kind}__conditional") } else { format!("nhsuk-{kind}__conditional nhsuk-{kind}__conditional--hidden") };
            view! {
                <div class=format!("nhsuk-{kind}__item")>
                    <input class=format!("nhsuk-{kind}__input") id=id.clone() name=name.clone() type=input_type
                        value=c.value checked=checked aria-describedby=has_hint.then(|| hint_id.clone()) data-aria-controls=reveals/>
                    <label class=format!("nhsuk-label nhsuk-{kind}__label") for=id.clone()>{c.label}</label>
                    {c.hint.map(|h| view! { <div class=format!("nhsuk-hint nhsuk-{kind}__hint") id=hint_id.clone()>{h}</div> })}
                </div>
                {c.conditional.map(|v| view! { <div class=conditional_class id=conditional_id>{v}</div> })}
            }
        })
        .collect_view();
    let group = group_class(error.is_some());
    view! {
        <div class=group>
            <fieldset class="nhsuk-fieldset" aria-describedby=describe>
                {legend_view}
                {hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{name}-hint")>{h}</div> })}
                <ErrorMessage id=name.clone() message=error/>
                <div class=format!("nhsuk-{kind}")>{items}</div>
            </fieldset>
        </div>
    }
}

/// A one-line text input with its label.
#[component]
pub fn TextInput(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    value: String,
    error: Option<String>,
    #[prop(into)] input_type: String,
    #[prop(into)] autocomplete: String,
    #[prop(optional, into)] width_class: Option<String>,
) -> impl IntoView {
    let class = format!(
        "nhsuk-input {}{}",
        width_class.unwrap_or_default(),
        if error.is_some() { " nhsuk-input--error" } else { "" }
    );
    let describe = described_by(&name, hint.is_some(), error.is_some());
    let group = group_class(error.is_some());
    view! {
        <div class=group>
            <label class="nhsuk-label" for=name.clone()>{label}</label>
            {hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{name}-hint")>{h}</div> })}
            <ErrorMessage id=name.clone() message=error/>
            <input class=class id=name.clone() name=name.clone() type=input_type value=value
                autocomplete=autocomplete spellcheck="false" aria-describedby=describe/>
        </div>
    }
}

/// A date as three boxes, the NHS way. The day box's id is `{prefix}-day`, where errors link.
#[component]
pub fn DateInput(
    #[prop(into)] prefix: String,
    #[prop(into)] legend: String,
    day: String,
    month: String,
    year: String,
    error: Option<String>,
) -> impl IntoView {
    let has_error = error.is_some();
    let hint_id = format!("{prefix}-hint");
    let describe = if has_error { format!("{hint_id} {prefix}-day-error") } else { hint_id.clone() };
    let part = |part: &'static str, label: &'static str, width: &'static str, value: String| {
        let id = format!("{prefix}-{part}");
        let class = format!("nhsuk-input nhsuk-date-input__input {width}{}", if has_error { " nhsuk-input--error" } else { "" });
        view! {
            <div class="nhsuk-date-input__item">
                <div class="nhsuk-form-group">
                    <label class="nhsuk-label nhsuk-date-input__label" for=id.clone()>{label}</label>
                    <input class=class id=id.clone() name=id type="text" inputmode="numeric" value=value/>
                </div>
            </div>
        }
    };
    view! {
        <div class=group_class(has_error)>
            <fieldset class="nhsuk-fieldset" role="group" aria-describedby=describe>
                <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
                <div class="nhsuk-hint" id=hint_id>"For example, 15 3 2024"</div>
                <ErrorMessage id=format!("{prefix}-day") message=error/>
                <div class="nhsuk-date-input">
                    {part("day", "Day", "nhsuk-input--width-2", day)}
                    {part("month", "Month", "nhsuk-input--width-2", month)}
                    {part("year", "Year", "nhsuk-input--width-4", year)}
                </div>
            </fieldset>
        </div>
    }
}

/// "How should we contact you about this?": the same question on every rights form. Messages
/// only ever say there is an update, so the patient is told that too.
#[component]
pub fn ContactQuestion(method: String, email: String, mobile: String, address: String, errors: Errors) -> impl IntoView {
    let choices = vec![
        Choice::new("email", "Email").reveals(
            view! {
                <TextInput name="email" label="Email address" value=email error=errors.get("email")
                    input_type="email" autocomplete="email"/>
            }
            .into_any(),
        ),
        Choice::new("text", "Text message").reveals(
            view! {
                <TextInput name="mobile" label="UK mobile number" value=mobile error=errors.get("mobile")
                    input_type="tel" autocomplete="tel" width_class="nhsuk-input--width-20"/>
            }
            .into_any(),
        ),
        Choice::new("post", "Post").reveals(
            view! {
                <TextArea name="address" label="Postal address" hint="Include the postcode" value=address
                    error=errors.get("address") rows=4 autocomplete="street-address"/>
            }
            .into_any(),
        ),
    ];
    view! {
        <Options name="contact" legend="How should we tell you when there is an update?"
            hint="We will only say that there is an update and give your reference. You will need to sign in to see it."
            choices=choices selected=vec![method] error=errors.get("contact")/>
    }
}
