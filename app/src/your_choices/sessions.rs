//! "Where you are signed in": the patient's sessions, and a way to end all the others.

use super::api::your_sessions;
use crate::ui::{loaded, Layout, Table};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn YourSessionsPage() -> impl IntoView {
    let data = your_sessions();
    let done = use_query_map().read_untracked().get("done").is_some();
    view! {
        <Layout title="Where you are signed in">
            <h1>"Where you are signed in"</h1>
            {done.then(|| view! {
                <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"You have been signed out everywhere else."</p></div>
            })}
            {loaded(data, move |v| match v {
                Some(lines) => {
                    let others = lines.iter().filter(|l| !l.this_one).count();
                    let rows = lines
                        .into_iter()
                        .map(|l| vec![
                            (if l.this_one { "This device" } else { "Another device" }).into_any(),
                            l.signed_in.into_any(),
                            l.last_used.into_any(),
                        ])
                        .collect::<Vec<_>>();
                    view! {
                        <p>"If you see a sign-in you do not recognise, sign out everywhere else and tell your area."</p>
                        <Table caption="Your signed-in sessions" hide_caption=true headings=vec!["Where", "Signed in", "Last used"] rows=rows/>
                        {(others > 0).then(|| view! {
                            <form action="/your-choices/sessions/end-others" method="post">
                                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Sign out everywhere else"</button>
                            </form>
                        })}
                        <p><a href="/your-choices">"Back to your choices"</a></p>
                    }.into_any()
                }
                None => view! { <p><a href="/sign-in">"Sign in to see where you are signed in"</a></p> }.into_any(),
            })}
        </Layout>
    }
}
