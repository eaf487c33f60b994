//! England and Wales bank holidays, as an administrator keeps them.

use super::api::*;
use crate::ui::{loaded, ErrorSummary, Layout};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn holiday_errors(codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|c| match c.as_str() {
            "date" => Some(("date-day".into(), "Enter a real date, like 1 1 2029".into())),
            "name" => Some(("name".into(), "Enter the bank holiday's name".into())),
            "exists" => Some(("date-day".into(), "That date is already a bank holiday".into())),
            _ => None,
        })
        .collect()
}

/// England and Wales bank holidays: they move request deadlines, so an administrator adds each
/// year's as they are announced.
#[component]
pub fn AdminBankHolidaysPage() -> impl IntoView {
    let data = bank_holidays_page();
    let query = use_query_map();
    let q = query.read_untracked().clone();
    let errors = holiday_errors(&q.get_all("error").unwrap_or_default());
    let done = q.get("done");
    let (day, month, year, name) = (q.get("day").unwrap_or_default(), q.get("month").unwrap_or_default(), q.get("year").unwrap_or_default(), q.get("name").unwrap_or_default());
    view! {
        <Layout title="Bank holidays">
            {loaded(data, move |v| match v {
                    Some(rows) => {
                        let errs = crate::ui::Errors(errors.clone());
                        view! {
                            <ErrorSummary errors=errors.clone()/>
                            <h1>"Bank holidays"</h1>
                            <p>"England and Wales bank holidays. A request due on one of these days is due on the next working day instead."</p>
                            {done.clone().map(|d| view! {
                                <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                                    <p>{if d == "removed" { "The bank holiday was removed." } else { "The bank holiday was added." }}</p></div>
                            })}
                            <Table caption="From the start of this year" headings=vec!["Date", "Name", "Action"]
    rows={rows.into_iter().map(|r| vec![
            view! { {r.day.clone()} }.into_any(),
            view! { {r.name.clone()} }.into_any(),
            view! { <form action="/admin/bank-holidays/remove" method="post">
                                                    <input type="hidden" name="date" value=r.iso.clone()/>
                                                    <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                                        aria-label=format!("Remove {}", r.day)>"Remove"</button>
                                                </form> }.into_any(),
        ]).collect::<Vec<_>>()}/>
                            <h2>"Add a bank holiday"</h2>
                            <form action="/admin/bank-holidays/add" method="post" novalidate>
                                <crate::ui::DateInput prefix="date" legend="Date" day=day.clone() month=month.clone() year=year.clone() error=errs.get("date-day")/>
                                <crate::ui::TextInput name="name" label="Name" value=name.clone() error=errs.get("name") input_type="text" autocomplete="off"/>
                                <button class="nhsuk-button" type="submit">"Add bank holiday"</button>
                            </form>
                        }.into_any()
                    }
                    None => {
                        crate::ui::set_status(403);
                        view! {
                            <h1>"You cannot manage bank holidays"</h1>
                            <p>"Only an administrator can change the bank holidays."</p>
                        }.into_any()
                    }
                })}
        </Layout>
    }
}

