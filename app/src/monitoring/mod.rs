//! Privacy monitoring for IG leads: rules over the access events as they arrive flag accesses
//! worth a look; the queue groups them by the person who looked; the IG lead reviews each
//! person's alerts (appropriate, needs information, inappropriate) with the explanation of every
//! rule hit beside them; the area's rules, limits and watch list are the IG lead's to set.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{group_class, loaded, Choice, ErrorMessage, ErrorSummary, Errors, Layout, Options, Table, TextArea};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

const ONLY_IG_LEADS: &str = "Only an information governance lead of the area sees its monitoring.";

fn select(name: &'static str, label: &'static str, options: Vec<(String, String)>, selected: String) -> impl IntoView {
    view! {
        <div class="nhsuk-form-group scr-filter">
            <label class="nhsuk-label" for=name>{label}</label>
            <select class="nhsuk-select" id=name name=name>
                {options.into_iter().map(|(v, l)| { let on = selected == v; view! { <option value=v selected=on>{l}</option> } }).collect_view()}
            </select>
        </div>
    }
}

fn saved(done: Option<String>) -> impl IntoView {
    done.map(|d| {
        let text = match d.as_str() {
            "reviewed" => "Your review is recorded.",
            "added" => "Added to the watch list.",
            "removed" => "Removed from the watch list.",
            "referred" => "Referred. Send this pack to them: print it, or download the accesses.",
            "outcome" => "The outcome is recorded.",
            "told" => "Recorded.",
            _ => "Saved.",
        };
        view! { <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{text}</p></div> }
    })
}

#[component]
pub fn MonitoringQueuePage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let filter = MonitoringFilter {
        rule: q.get("rule").unwrap_or_default(),
        org: q.get("org").unwrap_or_default(),
        state: q.get("state").unwrap_or_default(),
        age: q.get("age").unwrap_or_default(),
    };
    let data = load_monitoring_queue(q.get("area").unwrap_or_default(), filter);
    view! {
        <Layout title="Privacy monitoring">
            {loaded(data, move |v| match v {
                    Some(m) => view! { <Queue m=m/> }.into_any(),
                    None => view! { <h1>"Privacy monitoring"</h1><p>{ONLY_IG_LEADS}</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn Queue(m: MonitoringQueue) -> impl IntoView {
    let f = m.filter.clone();
    let slug = m.area_slug.clone();
    let empty = m.people.is_empty();
    let caption = match f.state.as_str() {
        "reviewed" => "People with reviewed alerts, the most recent first",
        "all" => "People with alerts: concerns raised by patients first, then the longest waiting, then everyone else, the most recent first",
        _ => "People with alerts: concerns raised by patients first, then the longest waiting",
    };
    let mut rules = vec![(String::new(), "Any rule".to_string())];
    rules.extend(m.rules.clone());
    let mut orgs = vec![(String::new(), "Any organisation".to_string())];
    orgs.extend(m.organisations.iter().map(|(c, n)| (c.clone(), n.clone())));
    let states = vec![(String::new(), "Waiting for review".to_string()), ("reviewed".into(), "Reviewed".into()), ("all".into(), "All".into())];
    let mut ages: Vec<(String, String)> = [("", "Any age"), ("2", "Older than 2 days"), ("5", "Older than 5 days"), ("10", "Older than 10 days"), ("20", "Older than 20 days")]
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect();
    // An age given in the address (a link, say) that the list does not offer still shows chosen.
    if !ages.iter().any(|(v, _)| *v == f.age) {
        ages.push((f.age.clone(), if f.age == "1" { "Older than 1 day".into() } else { format!("Older than {} days", f.age) }));
    }
    view! {
        <span class="nhsuk-caption-l">{m.area_name.clone()}</span>
        <h1>"Privacy monitoring"</h1>
        <p>{format!("Accesses to shared care records that met one of this area\u{2019}s rules, grouped by the person who looked. Each person\u{2019}s page explains why each access was flagged. This area aims to review every alert within {} days.", m.target_days)}</p>
        <p><a href=format!("/monitoring/{slug}/settings")>"Rules and watch list"</a>" \u{00b7} "<a href=format!("/monitoring/{slug}/figures")>"Figures"</a></p>
        {(m.areas.len() > 1).then(|| view! {
            <nav aria-label="Your areas"><ul class="nhsuk-list">
                {m.areas.iter().map(|(s, n)| view! { <li><a href=format!("/monitoring?area={s}") aria-current=(*s == m.area_slug).then_some("page")>{n.clone()}</a></li> }).collect_view()}
            </ul></nav>
        })}
        <form action="/monitoring" method="get" class="scr-filters">
            <input type="hidden" name="area" value=slug.clone()/>
            {select("rule", "Rule", rules, f.rule.clone())}
            {select("org", "Organisation", orgs, f.org.clone())}
            {select("state", "Status", states, f.state.clone())}
            {select("age", "Age", ages, f.age.clone())}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Filter"</button>
        </form>
        {(!f.rule.is_empty()).then(|| view! {
            <p class="nhsuk-body-s">"Listed: people with an alert under this rule in the status chosen. Their alerts under other rules show beside it, and are counted in \u{201c}Alerts waiting\u{201d}."</p>
        })}
        {if empty {
            view! { <p>"No alerts match."</p> }.into_any()
        } else {
            view! {
                <Table caption=caption headings=vec!["Person", "Organisation", "Rules met", "Alerts waiting", "Waiting since"]
                    rows={m.people.into_iter().map(|p| vec![
                        view! { <a href=p.href.clone()>{p.name.clone()}</a>
                                {(!p.role.is_empty()).then(|| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{p.role.clone()}</span> })}
                                {p.concern.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-display-block">"Patient concern"</strong> })} }.into_any(),
                        view! { {p.organisations.clone()} }.into_any(),
                        view! { <ul class="nhsuk-list nhsuk-u-margin-bottom-0">{p.rules.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul> }.into_any(),
                        view! { {format!("{} of {}", p.waiting, p.total)} }.into_any(),
                        view! { {p.oldest.clone()}
                                {p.overdue.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-display-block">"Past target"</strong> })} }.into_any(),
                    ]).collect::<Vec<_>>()}/>
            }.into_any()
        }}
        {m.more.then(|| view! { <p>"These are the first 50 people. Deal with them, or filter the list, to see the others."</p> })}
        <h2>"Referrals to employing organisations"</h2>
        {if m.referrals.is_empty() {
            view! { <p>"No accesses have been referred."</p> }.into_any()
        } else {
            view! {
                <Table caption="Referrals, those waiting for a reply first" hide_caption=true headings=vec!["Referral", "Person", "Organisation", "Reply due", "Status"]
                    rows={m.referrals.into_iter().map(|r| vec![
                        view! { <a href=r.href.clone()>{r.title.clone()}</a> }.into_any(),
                        view! { {r.person.clone()} }.into_any(),
                        view! { {r.organisation.clone()} }.into_any(),
                        view! { {r.due.clone()}{r.overdue.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-display-block">"Overdue"</strong> })} }.into_any(),
                        view! { {r.state.clone()} }.into_any(),
                    ]).collect::<Vec<_>>()}/>
            }.into_any()
        }}
    }
}

#[component]
pub fn MonitoringFiguresPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let data = load_monitoring_figures(params.get("area").unwrap_or_default());
    view! {
        <Layout title="Monitoring figures">
            {loaded(data, move |v| match v {
                    Some(f) => view! {
                        <span class="nhsuk-caption-l">{format!("Privacy monitoring: {}", f.area_name)}</span>
                        <h1>"Monitoring figures"</h1>
                        <p>"Per quarter, by the quarter each alert was raised. The area\u{2019}s public figures page shows the same, with numbers from 1 to 4 shown as \u{201c}fewer than 5\u{201d}."</p>
                        {if f.figures.is_empty() {
                            view! { <p>"No alerts have been raised yet."</p> }.into_any()
                        } else {
                            view! {
                                <Table caption=format!("Alerts per quarter, newest first (reviewed within {} days)", f.target_days)
                                    headings=vec!["Quarter", "Alerts raised", "Reviewed within target", "Confirmed inappropriate", "Referred"]
                                    rows={f.figures.into_iter().map(|(q, raised, in_time, bad, referred)| vec![
                                        view! { {q} }.into_any(), view! { {raised} }.into_any(), view! { {in_time} }.into_any(), view! { {bad} }.into_any(), view! { {referred} }.into_any(),
                                    ]).collect::<Vec<_>>()}/>
                            }.into_any()
                        }}
                        <p><a href=format!("/monitoring?area={}", f.area_slug)>"Back to the queue"</a></p>
                    }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>{ONLY_IG_LEADS}</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
pub fn PersonAlertsPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let q = use_query_map().read_untracked().clone();
    let data = load_person_alerts(params.get("area").unwrap_or_default(), params.get("person").unwrap_or_default(), q.get("form").is_some(), q.get("done"));
    view! {
        <Layout title="Alerts about one person">
            {loaded(data, move |v| match v {
                    Some(p) => view! { <Person p=p/> }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>"There are no alerts here that you review."</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn Person(p: PersonView) -> impl IntoView {
    let errors = Errors(p.errors.clone());
    let answer = |k: &str| p.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone());
    let chosen: Vec<String> = p.answers.iter().filter(|(f, _)| f == "alert").map(|(_, v)| v.clone()).collect();
    let waiting: Vec<AlertRow> = p.alerts.iter().filter(|a| a.waiting).cloned().collect();
    let action = format!("/monitoring/{}/people/{}/review", p.area_slug, p.person);
    let org_selected = answer("org").unwrap_or_else(|| p.orgs.first().map(|o| o.0.clone()).unwrap_or_default());
    let referral_fields = view! {
        <div class=group_class(errors.get("org").is_some())>
            <label class="nhsuk-label" for="org">"Their employing organisation"</label>
            <ErrorMessage id="org" message=errors.get("org")/>
            <select class="nhsuk-select" id="org" name="org">
                {p.orgs.iter().map(|(code, name)| { let on = *code == org_selected; view! { <option value=code.clone() selected=on>{format!("{name} ({code})")}</option> } }).collect_view()}
            </select>
        </div>
        <div class=group_class(errors.get("contact").is_some())>
            <label class="nhsuk-label" for="contact">"Who it goes to there"</label>
            <div class="nhsuk-hint" id="contact-hint">"Their information governance lead\u{2019}s name or email address"</div>
            <ErrorMessage id="contact" message=errors.get("contact")/>
            <input class="nhsuk-input" id="contact" name="contact" type="text" aria-describedby="contact-hint" value=answer("contact").unwrap_or_default()/>
        </div>
        <div class=group_class(errors.get("days").is_some())>
            <label class="nhsuk-label" for="days">"Working days for their reply"</label>
            <ErrorMessage id="days" message=errors.get("days")/>
            <input class="nhsuk-input nhsuk-input--width-3" id="days" name="days" type="text" inputmode="numeric" value=answer("days").unwrap_or_else(|| p.referral_days.to_string())/>
        </div>
    }
    .into_any();
    let mut choices = vec![
        Choice::new("appropriate", "Appropriate").hint("The access was justified: say why, for example the care the person was giving"),
        Choice::new("needs_information", "Needs information").hint("Say what you need and from whom; the alerts stay waiting"),
        Choice::new("inappropriate", "Inappropriate").hint("The access was not justified: say why"),
    ];
    if !p.orgs.is_empty() {
        choices.push(
            Choice::new("referred", "Refer to their employing organisation")
                .hint("Their information governance lead looks into it and tells you what they found; the reason is what you ask them to look into")
                .reveals(referral_fields),
        );
    }
    let decision = answer("decision").into_iter().collect::<Vec<_>>();
    view! {
        <ErrorSummary errors=p.errors.clone()/>
        <span class="nhsuk-caption-l">{format!("Privacy monitoring: {}", p.area_name)}</span>
        <h1>{p.name.clone()}</h1>
        <p>{[p.role.clone(), p.organisations.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ")}</p>
        {saved(p.done.clone())}
        {p.concern.then(|| view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"A patient is waiting"</span></h2>
                <p>"A patient told us they do not recognise one of these accesses. Their concern has its own case, with its own deadline."</p>
            </div>
        })}
        <h2>"Why these accesses were flagged"</h2>
        <dl class="nhsuk-summary-list">
            {p.why.iter().map(|(t, e)| view! {
                <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{t.clone()}</dt><dd class="nhsuk-summary-list__value">{e.clone()}</dd></div>
            }).collect_view()}
        </dl>
        <h2>"Accesses"</h2>
        <Table caption="Every flagged access by this person, newest first" hide_caption=true headings=vec!["When", "Patient (NHS number)", "Organisation and role", "Reason given", "Rule", "Review"]
            rows={p.alerts.iter().map(|a| vec![
                view! { {a.when.clone()} }.into_any(),
                view! { {a.patient.clone()} }.into_any(),
                view! { {a.organisation.clone()}{(!a.role.is_empty()).then(|| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{a.role.clone()}</span> })} }.into_any(),
                view! { {a.purpose.clone()} }.into_any(),
                view! { {a.rule.clone()} }.into_any(),
                view! { {a.status.clone()}{(!a.reason.is_empty()).then(|| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{a.reason.clone()}</span> })} }.into_any(),
            ]).collect::<Vec<_>>()}/>
        {if waiting.is_empty() {
            view! { <p>"Every alert about this person has been reviewed."</p> }.into_any()
        } else {
            let first_error = errors.get("alert");
            let alert_class = group_class(first_error.is_some());
            view! {
                <h2>"Review"</h2>
                <form action=action method="post" novalidate>
                    <div class=alert_class>
                        <fieldset class="nhsuk-fieldset" aria-describedby="alert-hint">
                            <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"Which accesses does this review cover?"</legend>
                            <div class="nhsuk-hint" id="alert-hint">"Every access still waiting is ticked"</div>
                            <ErrorMessage id="alert" message=first_error/>
                            <div class="nhsuk-checkboxes">
                                {waiting.iter().enumerate().map(|(i, a)| {
                                    let id = if i == 0 { "alert".to_string() } else { format!("alert-{}", i + 1) };
                                    let checked = chosen.is_empty() || chosen.contains(&a.id.to_string());
                                    view! {
                                        <div class="nhsuk-checkboxes__item">
                                            <input class="nhsuk-checkboxes__input" id=id.clone() name="alert" type="checkbox" value=a.id.to_string() checked=checked/>
                                            <label class="nhsuk-label nhsuk-checkboxes__label" for=id>{format!("{}: {} ({})", a.when, a.rule, a.patient)}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    </div>
                    <Options name="decision" legend="Your decision" choices=choices selected=decision error=errors.get("decision")/>
                    <TextArea name="reason" label="Reason" hint="Recorded in the audit trail with your name. For a referral, this is what you ask their organisation to look into, and it is in the pack you send them." value=answer("reason").unwrap_or_default() error=errors.get("reason") max=2000 rows=4/>
                    <button class="nhsuk-button" type="submit">"Record the review"</button>
                </form>
            }.into_any()
        }}
        <p><a href=format!("/monitoring?area={}", p.area_slug)>"Back to the queue"</a></p>
    }
}

#[component]
pub fn MonitoringSettingsPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let q = use_query_map().read_untracked().clone();
    let data = load_monitoring_settings(params.get("area").unwrap_or_default(), q.get("form").is_some(), q.get("done"));
    view! {
        <Layout title="Monitoring rules and watch list">
            {loaded(data, move |v| match v {
                    Some(s) => view! { <Settings s=s/> }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>{ONLY_IG_LEADS}</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn Settings(s: SettingsView) -> impl IntoView {
    let errors = Errors(s.errors.clone());
    let sent = s.answers.iter().any(|(k, _)| k == "start");
    let answer = |k: &str, default: &str| s.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone()).unwrap_or_else(|| default.to_string());
    let on: Vec<String> = if sent {
        s.answers.iter().filter(|(f, _)| f == "rule").map(|(_, v)| v.clone()).collect()
    } else {
        s.rules.iter().filter(|r| r.3).map(|r| r.0.clone()).collect()
    };
    let slug = s.area_slug.clone();
    let number = |id: &'static str, label: &'static str, hint: &'static str, value: String| view! {
        <div class=group_class(errors.get(id).is_some())>
            <label class="nhsuk-label" for=id>{label}</label>
            <div class="nhsuk-hint" id=format!("{id}-hint")>{hint}</div>
            <ErrorMessage id=id message=errors.get(id)/>
            <input class="nhsuk-input nhsuk-input--width-5" id=id name=id type="text" inputmode="numeric" aria-describedby=format!("{id}-hint") value=value/>
        </div>
    };
    let rule_choices = s.rules.iter().map(|(v, t, e, _)| Choice::new(v.clone(), t.clone()).hint(e.clone())).collect::<Vec<_>>();
    view! {
        <ErrorSummary errors=s.errors.clone()/>
        <span class="nhsuk-caption-l">{format!("Privacy monitoring: {}", s.area_name)}</span>
        <h1>"Rules and watch list"</h1>
        {saved(s.done.clone())}
        <form action=format!("/monitoring/{slug}/settings") method="post" novalidate>
            <Options name="rule" legend="Rules that run" hint="Each rule flags accesses for review as they arrive. Changes apply to accesses arriving from now on." choices=rule_choices selected=on error=errors.get("rule") multiple=true/>
            {number("start", "Working hours start", "UK time, 24-hour clock, like 08:00", answer("start", &s.start))}
            {number("end", "Working hours end", "UK time, 24-hour clock, like 18:30", answer("end", &s.end))}
            {number("volume", "Patients in one day before a person is flagged", "A person who opens more different patients\u{2019} records than this in one day is flagged", answer("volume", &s.volume))}
            {number("days", "Days with the same patient before a person is flagged", "Looks on this many different days, none for care, are flagged", answer("days", &s.days))}
            {number("window", "Within how many days", "The period those days must fall in", answer("window", &s.window))}
            {number("target", "Days to review an alert in", "Your target: the figures count alerts reviewed within it", answer("target", &s.target))}
            <button class="nhsuk-button" type="submit">"Save the rules"</button>
        </form>
        <h2>"Watch list"</h2>
        <p>"Every access to a record on this list is reviewed: for example members of staff, public figures, or people at risk. Only the area\u{2019}s information governance leads see the list."</p>
        {if s.watch_list.is_empty() {
            view! { <p>"The watch list is empty."</p> }.into_any()
        } else {
            view! {
                <Table caption="Records on the watch list" hide_caption=true headings=vec!["NHS number", "Why", "Added", ""]
                    rows={s.watch_list.iter().map(|w| vec![
                        view! { {w.nhs_number.clone()} }.into_any(),
                        view! { {w.reason.clone()} }.into_any(),
                        view! { {w.added.clone()} }.into_any(),
                        view! {
                            <form action=format!("/monitoring/{slug}/watch-list/remove") method="post" class="scr-inline-form">
                                <input type="hidden" name="nhs_number" value=w.nhs_number.clone()/>
                                <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                    aria-label=format!("Remove {} from the watch list", w.nhs_number)>"Remove"</button>
                            </form>
                        }.into_any(),
                    ]).collect::<Vec<_>>()}/>
            }.into_any()
        }}
        <form action=format!("/monitoring/{slug}/watch-list/add") method="post" novalidate>
            <div class=group_class(errors.get("nhs_number").is_some())>
                <label class="nhsuk-label" for="nhs_number">"NHS number"</label>
                <div class="nhsuk-hint" id="nhs_number-hint">"10 digits, like 943 476 5919"</div>
                <ErrorMessage id="nhs_number" message=errors.get("nhs_number")/>
                <input class="nhsuk-input nhsuk-input--width-10" id="nhs_number" name="nhs_number" type="text" inputmode="numeric" aria-describedby="nhs_number-hint" value=answer("nhs_number", "")/>
            </div>
            <div class=group_class(errors.get("watch_reason").is_some())>
                <label class="nhsuk-label" for="watch_reason">"Why"</label>
                <div class="nhsuk-hint" id="watch_reason-hint">"For example: member of staff at the trust"</div>
                <ErrorMessage id="watch_reason" message=errors.get("watch_reason")/>
                <input class="nhsuk-input" id="watch_reason" name="watch_reason" type="text" aria-describedby="watch_reason-hint" value=answer("watch_reason", "")/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add to the watch list"</button>
        </form>
        <p><a href=format!("/monitoring?area={slug}")>"Back to the queue"</a></p>
    }
}

#[component]
pub fn ReferralPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let q = use_query_map().read_untracked().clone();
    let data = load_referral(params.get("area").unwrap_or_default(), params.get("id").unwrap_or_default(), q.get("form").is_some(), q.get("done"));
    view! {
        <Layout title="Referral to an employing organisation">
            {loaded(data, move |v| match v {
                    Some(r) => view! { <ReferralPack r=r/> }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>"There is no referral here that you review."</p> }.into_any(),
                })}
        </Layout>
    }
}

fn summary_row(key: &'static str, value: AnyView) -> impl IntoView {
    view! { <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{key}</dt><dd class="nhsuk-summary-list__value">{value}</dd></div> }
}

#[component]
fn ReferralPack(r: ReferralView) -> impl IntoView {
    let errors = Errors(r.errors.clone());
    let answer = |k: &str| r.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone()).unwrap_or_default();
    let base = format!("/monitoring/{}/referrals/{}", r.area_slug, r.id);
    let outcomes = vec![
        Choice::new("confirmed", "Inappropriate access confirmed").hint("They found no reason for the access and have acted under their own procedures"),
        Choice::new("not_confirmed", "The access was appropriate").hint("They found a reason in the person\u{2019}s work"),
        Choice::new("inconclusive", "Could not be established"),
    ];
    let told = vec![
        Choice::new("told", "Yes, the patient was told").reveals(view! {
            <crate::ui::DateInput prefix="told" legend="When were they told?" day=answer("told-day") month=answer("told-month") year=answer("told-year") error=errors.get("told-day")/>
        }.into_any()),
        Choice::new("not_told", "No, the patient was not told").hint("Say why in the note, for example a risk of serious harm"),
    ];
    let chosen = |k: &str| vec![answer(k)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>();
    let has_concerns = !r.concerns.is_empty();
    let about = [r.person.clone(), r.role.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
    view! {
        <ErrorSummary errors=r.errors.clone()/>
        <span class="nhsuk-caption-l">{format!("Privacy monitoring: {}", r.area_name)}</span>
        <h1>{format!("Referral {}: investigation pack", r.id)}</h1>
        {saved(r.done.clone())}
        <dl class="nhsuk-summary-list">
            {summary_row("To", view! { {format!("{}, {}", r.contact, r.organisation)} }.into_any())}
            {summary_row("About", view! { {about} }.into_any())}
            {summary_row("Reply due", view! { {r.due.clone()}{r.overdue.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-margin-left-2">"Overdue"</strong> })} }.into_any())}
            {summary_row("Referred", view! { {r.referred.clone()} }.into_any())}
            {summary_row("What we ask", view! { <span class="scr-preserve-lines">{r.note.clone()}</span> }.into_any())}
        </dl>
        <p class="scr-no-print"><a href=format!("{base}/pack.csv")>"Download the accesses (CSV)"</a>" \u{2014} or print this page to send it."</p>
        <h2>"The accesses"</h2>
        <Table caption="Each access referred, oldest first" hide_caption=true headings=vec!["When (UK time)", "Patient (NHS number)", "Organisation and role", "Reason given", "What was seen", "Why it was flagged"]
            rows={r.rows.iter().map(|a| vec![
                view! { {a.when.clone()} }.into_any(),
                view! { {a.patient.clone()} }.into_any(),
                view! { {a.organisation.clone()}{(!a.role.is_empty()).then(|| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{a.role.clone()}</span> })} }.into_any(),
                view! { {a.purpose.clone()} }.into_any(),
                view! { {a.viewed.clone()} }.into_any(),
                view! { <strong>{a.rule.clone()}</strong><span class="nhsuk-body-s nhsuk-u-display-block">{a.explanation.clone()}</span> }.into_any(),
            ]).collect::<Vec<_>>()}/>
        {has_concerns.then(|| view! {
            <p>{format!("A patient raised a concern about these accesses ({}). When you record the outcome, they are told in the words you give.", r.concerns.join(", "))}</p>
        })}
        <h2>"Outcome"</h2>
        {match r.outcome.clone() {
            Some((label, note, when)) => view! {
                <dl class="nhsuk-summary-list">
                    {summary_row("What they found", view! { {label} }.into_any())}
                    {summary_row("Their reply", view! { <span class="scr-preserve-lines">{note}</span> }.into_any())}
                    {summary_row("Recorded", view! { {when} }.into_any())}
                </dl>
            }.into_any(),
            None => view! {
                <form class="scr-no-print" action=format!("{base}/outcome") method="post" novalidate>
                    <Options name="outcome" legend="What did they find?" choices=outcomes selected=chosen("outcome") error=errors.get("outcome")/>
                    <TextArea name="reply" label="Their reply" hint="What they found and what they did, as they told you" value=answer("reply") error=errors.get("reply") max=4000 rows=5/>
                    {has_concerns.then(|| view! {
                        <TextArea name="patient_words" label="What to tell the patient" hint="In plain words. The patient reads this on Your requests: do not name the person or give details of any action against them." value=answer("patient_words") error=errors.get("patient_words") max=2000 rows=4/>
                    })}
                    <button class="nhsuk-button" type="submit">"Record the outcome"</button>
                </form>
            }.into_any(),
        }}
        {(r.confirmed && !has_concerns).then(|| match r.patient_told.clone() {
            Some(text) => view! { <h2>"The patient"</h2><p>{text}</p> }.into_any(),
            None => view! {
                <h2>"The patient"</h2>
                <form class="scr-no-print" action=format!("{base}/patient-told") method="post" novalidate>
                    <Options name="told" legend="Has the patient been told about this access?" hint="Inappropriate access to a record is usually a personal data breach the patient should hear about" choices=told selected=chosen("told") error=errors.get("told")/>
                    <TextArea name="told_note" label="Note" hint="How they were told, or why not" value=answer("told_note") error=errors.get("told_note") max=2000 rows=3/>
                    <button class="nhsuk-button" type="submit">"Record this"</button>
                </form>
            }.into_any(),
        })}
        <p class="scr-no-print"><a href=r.person_href.clone()>"Every alert about this person"</a></p>
        <p class="scr-no-print"><a href=format!("/monitoring?area={}", r.area_slug)>"Back to the queue"</a></p>
    }
}
