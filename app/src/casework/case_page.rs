//! The case page: the case, its timeline, and a form for each action this person may take now.

use crate::ui::{loaded, ErrorMessage, ErrorSummary, Errors, Layout, Options, Choice, group_class, PageTitle, SummaryRows, TextArea};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use super::api::*;
use crate::domain::casework::{ASK_MAX, DECISION_MAX, EXTENSION_REASON_MAX, NOTE_MAX};

#[component]
pub fn CasePage() -> impl IntoView {
    let reference = use_params_map().read_untracked().get("reference").unwrap_or_default();
    let q = use_query_map().read_untracked().clone();
    let data = case_page(reference, q.get("form"), q.get("done"));
    view! {
        <Layout>
            {loaded(data, move |v| match v {
                    Some(c) => view! { <CaseBody c=c/> }.into_any(),
                    None => view! {
                        <PageTitle text="Page not found"/>
                        <h1>"Page not found"</h1>
                        <p>"There is no case with that reference in your areas."</p>
                    }.into_any(),
                })}
        </Layout>
    }
}

/// A field's value from the draft a form was sent back with.
fn draft_value(c: &CaseView, form: &str, field: &str) -> String {
    if c.draft_form != form {
        return String::new();
    }
    c.draft.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn draft_values(c: &CaseView, form: &str, field: &str) -> Vec<String> {
    if c.draft_form != form {
        return Vec::new();
    }
    c.draft.iter().filter(|(k, _)| k == field).map(|(_, v)| v.clone()).collect()
}

#[component]
fn CaseBody(c: CaseView) -> impl IntoView {
    let title = format!("{} {}", c.kind_label, c.reference);
    let errors = Errors(c.errors.clone());
    let action = |what: &str| format!("/cases/{}/{what}", c.reference);
    let details = vec![
        ("Due".to_string(), vec![c.due.clone()]),
        ("Assigned to".to_string(), vec![c.assignee.clone()]),
        ("Received".to_string(), vec![c.received.clone()]),
        ("Area".to_string(), vec![c.area.clone()]),
    ];
    let patient = vec![
        ("Name".to_string(), vec![c.patient_name.clone()]),
        ("NHS number".to_string(), vec![c.nhs_number.clone()]),
        ("Date of birth".to_string(), vec![c.birth_date.clone()]),
        ("Updates".to_string(), vec![c.contact.clone()]),
    ];
    // Claiming comes first, beside the due date; assigning to a colleague comes later.
    let claim = if c.offers.claim {
        Some(view! { <form action=action("claim") method="post"><button class="nhsuk-button nhsuk-button--secondary" type="submit">"Claim this case"</button></form> }.into_any())
    } else if c.offers.release {
        Some(view! { <form action=action("release") method="post"><button class="nhsuk-button nhsuk-button--secondary" type="submit">"Release this case"</button></form> }.into_any())
    } else {
        None
    };
    let assignment = c.offers.act.then(|| {
        let colleagues = c.colleagues.clone();
        view! {
            <h2>"Give it to a colleague"</h2>
            <form action=action("assign") method="post">
                <div class=group_class(errors.get("to").is_some())>
                    <label class="nhsuk-label" for="to">"Assign to a colleague"</label>
                    <ErrorMessage id="to" message=errors.get("to")/>
                    <select class="nhsuk-select" id="to" name="to">
                        {colleagues.into_iter().map(|(s, n)| view! { <option value=s>{n}</option> }).collect_view()}
                    </select>
                </div>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Assign"</button>
            </form>
        }
    });
    let decide = c.offers.decide.then(|| {
        // The reasons offered follow the decision chosen: each decision reveals its own list
        // (with JavaScript off, each list shows under its decision).
        let reasons = |outcome: &str, legend: &str| {
            let name = format!("template-{outcome}");
            let choices = c.templates.iter().filter(|(_, o, _)| o == outcome).map(|(id, _, t)| Choice::new(id.clone(), t.clone())).collect::<Vec<_>>();
            (!choices.is_empty()).then(|| {
                let selected = draft_values(&c, "decide", &name);
                let error = errors.get(&name);
                view! { <Options name=name legend=legend.to_string() hint="The area's wording, which the patient reads." choices=choices selected=selected error=error/> }
            })
        };
        let orgs = c.organisations.iter().map(|(code, n)| Choice::new(code.clone(), n.clone())).collect::<Vec<_>>();
        let cats = crate::domain::objection::DataCategory::ALL.iter().map(|k| Choice::new(k.as_str(), k.label())).collect::<Vec<_>>();
        let outcomes = vec![
            Choice::new("upheld", "Uphold in full").reveals(view! { {reasons("upheld", "Reason for upholding")} }.into_any()),
            Choice::new("partly_upheld", "Uphold in part").reveals(view! {
                {reasons("partly_upheld", "Reason for upholding in part")}
                <Options name="organisations" legend="For which organisations?" choices=orgs multiple=true
                    selected=draft_values(&c, "decide", "organisations") error=errors.get("organisations")/>
                <Options name="categories" legend="Or for which kinds of information?" choices=cats multiple=true
                    selected=draft_values(&c, "decide", "categories") error=None/>
            }.into_any()),
            Choice::new("declined", "Decline")
                .hint("The patient is told how to complain, and how to go to the Information Commissioner's Office.")
                .reveals(view! { {reasons("declined", "Reason for declining")} }.into_any()),
        ];
        view! {
            <h2>"Decide the objection"</h2>
            <form action=action("decide") method="post" novalidate>
                <Options name="outcome" legend="Decision" choices=outcomes selected=draft_values(&c, "decide", "outcome") error=errors.get("outcome")/>
                <TextArea name="reason" label="Explain the decision in your own words" hint="The patient sees this with the reason. Do not include anything they should not read." value=draft_value(&c, "decide", "reason") error=errors.get("reason") rows=5 max=DECISION_MAX/>
                <button class="nhsuk-button" type="submit">"Record decision"</button>
            </form>
        }
    });
    let decide_concern = c.offers.decide_concern.then(|| {
        let outcomes = vec![
            Choice::new("explained", "Explained").hint("The access was part of the patient's care; say how."),
            Choice::new("investigated", "Investigated").hint("You looked into it and found it was proper."),
            Choice::new("upheld", "Upheld").hint("The access should not have happened; say what has been done."),
        ];
        view! {
            <h2>"Decide the concern"</h2>
            <form action=action("decide-concern") method="post" novalidate>
                <Options name="outcome" legend="What did you find?" choices=outcomes selected=draft_values(&c, "decide-concern", "outcome") error=errors.get("outcome")/>
                <TextArea name="explanation" label="What you found, for the patient" value=draft_value(&c, "decide-concern", "explanation") error=errors.get("explanation") rows=5 max=DECISION_MAX/>
                <TextArea name="action" label="What has been done (when upheld)" value=draft_value(&c, "decide-concern", "action") error=errors.get("action") rows=3 max=DECISION_MAX/>
                <button class="nhsuk-button" type="submit">"Record the outcome"</button>
            </form>
        }
    });
    // A complaint: what it is about, then acknowledging it, updating the patient, sending the
    // decision it challenges back for a fresh one, and its outcome.
    let complaint = c.complaint.clone().map(|k| {
        let about = k.about.clone().map(|(reference, status)| view! {
            <p>"It is about "<a href=format!("/cases/{reference}")>{reference.clone()}</a>{format!(" ({}).", status.to_lowercase())}</p>
        });
        let draft_or = |field: &str, fallback: &str| {
            let v = draft_value(&c, "acknowledge", field);
            if c.draft_form == "acknowledge" { v } else { fallback.to_string() }
        };
        let acknowledge = c.offers.acknowledge.then(|| view! {
            <h2>"Acknowledge the complaint"</h2>
            <p>"The law gives 30 days to acknowledge it. Tell the patient when they will have your answer: no later than "{k.latest.clone()}"."</p>
            <form action=action("acknowledge") method="post" novalidate>
                <crate::ui::DateInput prefix="answer-by" legend="Answer by" day=draft_or("answer-by-day", &k.suggested.0)
                    month=draft_or("answer-by-month", &k.suggested.1) year=draft_or("answer-by-year", &k.suggested.2) error=errors.get("answer-by-day")/>
                <TextArea name="words" label="Anything else to tell the patient (optional)" hint="For example, who is looking into it."
                    value=draft_value(&c, "acknowledge", "words") error=errors.get("words") rows=3 max=DECISION_MAX/>
                <button class="nhsuk-button" type="submit">"Acknowledge and tell the patient"</button>
            </form>
        });
        let update = c.offers.update.then(|| view! {
            <h2>"Update the patient"</h2>
            <form action=action("update") method="post" novalidate>
                <TextArea name="update" label="Where their complaint stands" hint="The patient reads this on Your requests and is sent a message that there is an update."
                    value=draft_value(&c, "update", "update") error=errors.get("update") rows=3 max=DECISION_MAX/>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Send the update"</button>
            </form>
        });
        let reopen = c.offers.reopen.then(|| view! {
            <h2>"Send the objection back for a fresh decision"</h2>
            <p>"The objection goes back to the case queue, with one calendar month to decide it. Whoever decided it before cannot claim or decide it again. The patient is told."</p>
            <form action=action("reopen") method="post">
                <button class="nhsuk-button nhsuk-button--secondary" id="reopen" type="submit">"Reopen the objection"</button>
            </form>
        });
        let outcomes = vec![
            Choice::new("upheld", "Upheld").hint("Say what has been or will be done to put it right."),
            Choice::new("partly_upheld", "Upheld in part").hint("Say what has been or will be done."),
            Choice::new("not_upheld", "Not upheld"),
        ];
        let answer = c.offers.decide_complaint.then(|| view! {
            <h2>"Answer the complaint"</h2>
            <p>"The patient is told the outcome and how to complain to the Information Commissioner's Office if they are still unhappy."</p>
            <form action=action("decide-complaint") method="post" novalidate>
                <Options name="outcome" legend="Outcome" choices=outcomes selected=draft_values(&c, "decide-complaint", "outcome") error=errors.get("outcome")/>
                <TextArea name="explanation" label="What you found, for the patient" value=draft_value(&c, "decide-complaint", "explanation") error=errors.get("explanation") rows=5 max=DECISION_MAX/>
                <TextArea name="action" label="What has been or will be done (when upheld)" value=draft_value(&c, "decide-complaint", "action") error=errors.get("action") rows=3 max=DECISION_MAX/>
                <button class="nhsuk-button" type="submit">"Record the outcome"</button>
            </form>
        });
        view! { {about}{acknowledge}{update}{reopen}{answer} }
    });
    let ask = c.offers.ask.then(|| {
        let needs = vec![Choice::new("identity", "Proof of identity"), Choice::new("clarification", "What the patient wants (clarification)")];
        view! {
            <h2>"Ask the patient for information"</h2>
            <p>"The clock stops until it arrives."</p>
            <form action=action("ask") method="post" novalidate>
                <Options name="need" legend="What do you need?" choices=needs selected=draft_values(&c, "ask", "need") error=errors.get("need")/>
                <TextArea name="detail" label="What the patient should send, and how" value=draft_value(&c, "ask", "detail") error=errors.get("detail") rows=4 max=ASK_MAX/>
                <button class="nhsuk-button" type="submit">"Ask the patient"</button>
            </form>
        }
    });
    let resume = c.offers.resume.then(|| view! {
        <h2>"The patient has sent what you asked for"</h2>
        <form action=action("received") method="post">
            <button class="nhsuk-button" type="submit">"Record it and start the clock again"</button>
        </form>
    });
    let extend = c.offers.extend.then(|| {
        let months = vec![Choice::new("1", "1 month"), Choice::new("2", "2 months")];
        view! {
            <h2>"Extend the time to answer"</h2>
            <p>"Only for a complex request or many requests from this patient, and only within the first month. The patient is told why."</p>
            <form action=action("extend") method="post" novalidate>
                <Options name="months" legend="Extend by" choices=months selected=draft_values(&c, "extend", "months") error=errors.get("months")/>
                <TextArea name="reason" label="Why" value=draft_value(&c, "extend", "reason") error=errors.get("reason") rows=3 max=EXTENSION_REASON_MAX/>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Extend"</button>
            </form>
        }
    });
    let fulfil = c.offers.fulfil.then(|| view! {
        <h2>"Respond"</h2>
        <p>"This compiles the patient's records and the documents below into one download (a readable page and a FHIR bundle), and tells the patient."</p>
        <form action=action("fulfil") method="post">
            <TextArea id="fulfil-note" name="note" label="Note for the record (optional)" value=draft_value(&c, "fulfil", "note")
                error=errors.get("note").filter(|_| c.draft_form == "fulfil") rows=2 max=NOTE_MAX/>
            <button class="nhsuk-button" type="submit">"Compile and send the response"</button>
        </form>
    });
    // Withholding from a response: what, on which exemption, and why; and what already is.
    let withheld_list = (!c.withheld.is_empty()).then(|| {
        let rows = c.withheld.clone().into_iter().map(|(what, ground, why)| vec![
            view! { {what} }.into_any(), view! { {ground} }.into_any(), view! { {why} }.into_any(),
        ]).collect::<Vec<_>>();
        view! {
            <crate::ui::Table caption="Withheld from the response" headings=vec!["What", "Exemption", "Why, who and when"] rows=rows/>
        }
    });
    let withhold = c.offers.withhold.then(|| {
        let items = c.withhold_items.iter().map(|(v, l)| Choice::new(v.clone(), l.clone())).collect::<Vec<_>>();
        let items = items.into_iter().map(|ch| if ch.value == "passage" {
            ch.reveals(view! {
                <TextArea name="passage" label="Which document and which passage" hint="Take the passage out of the document before adding it; this records what you took out and why."
                    value=draft_value(&c, "withhold", "passage") error=errors.get("passage") rows=2 max=crate::domain::withholding::NOTE_MAX/>
            }.into_any())
        } else { ch }).collect::<Vec<_>>();
        let grounds = crate::domain::withholding::Exemption::ALL.iter().map(|e| Choice::new(e.as_str(), e.label())).collect::<Vec<_>>();
        view! {
            <h2>"Withhold information from the response"</h2>
            <p>"Only where an exemption applies. The patient is told that information was withheld and on which grounds, never what it was."</p>
            <form action=action("withhold") method="post" novalidate>
                <Options name="item" legend="What to withhold" choices=items selected=draft_values(&c, "withhold", "item") error=errors.get("item")/>
                <Options name="exemption" legend="Exemption" choices=grounds selected=draft_values(&c, "withhold", "exemption") error=errors.get("exemption")/>
                <TextArea id="withhold-note" name="note" label="Why, for the record" value=draft_value(&c, "withhold", "note")
                    error=errors.get("withhold-note") rows=3 max=crate::domain::withholding::NOTE_MAX/>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Withhold it"</button>
            </form>
        }
    });
    let effects = (!c.effects.is_empty()).then(|| {
        let reference = c.reference.clone();
        let can_record = c.offers.record_effect;
        view! {
            <h2>"What each organisation must do"</h2>
            <ul class="nhsuk-list">
                {c.effects.clone().into_iter().map(|e| view! {
                    <li>
                        <strong>{e.name.clone()}</strong>": "{e.detail.clone()}". "
                        {match e.applied.clone() {
                            Some(day) => view! { <strong class="nhsuk-tag nhsuk-tag--green">{format!("Done {day}")}</strong> }.into_any(),
                            None if !can_record => view! { <strong class="nhsuk-tag nhsuk-tag--blue">"In progress"</strong> }.into_any(),
                            None => view! {
                                <form action=format!("/cases/{reference}/effect-applied") method="post" class="scr-inline-form">
                                    <input type="hidden" name="ods" value=e.ods.clone()/>
                                    <button class="nhsuk-button nhsuk-button--small nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit"
                                        aria-label=format!("Record that {} has done this", e.name)>"Record as done"</button>
                                </form>
                            }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let documents = c.offers.act.then(|| {
        let reference = c.reference.clone();
        view! {
            <h2>"Documents"</h2>
            {if c.documents.is_empty() { view! { <p>"None yet."</p> }.into_any() } else {
                view! { <ul class="nhsuk-list">
                    {c.documents.clone().into_iter().map(|(id, name, about)| view! {
                        <li><a href=format!("/cases/{reference}/documents/{id}") download="">{name}</a>{format!(" ({about})")}</li>
                    }).collect_view()}
                </ul> }.into_any()
            }}
            {c.offers.fulfil.then(|| view! {
                <form action=format!("/cases/{}/documents", c.reference) method="post" enctype="multipart/form-data">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="document">"Add a document to include in the response"</label>
                        <div class="nhsuk-hint" id="document-hint">"Up to 10 MB"</div>
                        <input class="nhsuk-file-upload" id="document" name="document" type="file" aria-describedby="document-hint"/>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add document"</button>
                </form>
            })}
        }
    });
    let note = c.offers.act.then(|| view! {
        <h2>"Add an internal note"</h2>
        <form action=action("note") method="post" novalidate>
            <TextArea name="note" label="Note" hint="Only staff see notes. The patient never does." value=draft_value(&c, "note", "note") error=errors.get("note") rows=3 max=NOTE_MAX/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add note"</button>
        </form>
    });
    view! {
        <PageTitle text=title/>
        <ErrorSummary errors=c.errors.clone()/>
        {c.done.clone().map(|d| view! {
            <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{d}</p></div>
        })}
        <span class="nhsuk-caption-l">{c.reference.clone()}</span>
        <h1>{c.kind_label.clone()}</h1>
        <p><strong class=c.tag.clone()>{c.status_label.clone()}</strong></p>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <SummaryRows rows=details/>
                {claim}
                {c.outcome.clone().map(|(t, r)| view! { <h2>"Outcome"</h2><p><strong>{t}</strong></p><p class="scr-preserve-lines">{r}</p> })}
                {decide}
                {decide_concern}
                {complaint}
                {ask}
                {resume}
                {extend}
                {withhold}
                {fulfil}
                {withheld_list}
                {match c.asked.clone() {
                    Some(a) => view! { <h2>"What the patient asked, in their words"</h2><SummaryRows rows=a/> }.into_any(),
                    None => view! { <p>"Your role shows who this case is about, not what they wrote."</p> }.into_any(),
                }}
                <h2>"Patient"</h2>
                <SummaryRows rows=patient/>
                {effects}
                {documents}
                {assignment}
                {note}
                <h2>"Timeline"</h2>
                <ol class="nhsuk-list scr-timeline">
                    {c.timeline.clone().into_iter().map(|t| view! {
                        <li>
                            <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
                                {format!("{} · {}", t.when, t.who)}
                                {(!t.public).then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey">"Internal"</strong> })}
                            </p>
                            <p class="scr-preserve-lines">{t.text.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
                <h2>"Messages to the patient"</h2>
                {if c.messages.is_empty() { view! { <p>"None."</p> }.into_any() } else {
                    view! { <ul class="nhsuk-list">{c.messages.clone().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                }}
                <p><a href="/cases">"Back to the queue"</a></p>
            </div>
        </div>
    }
}

