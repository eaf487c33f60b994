//! The signed-in member of staff's home: their roles in each area, and the way to each part
//! of the portal those roles open.

use crate::domain::people::Grant;
use crate::domain::Role;
use crate::ui::{loaded, Layout};
use crate::ui::Table;
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "staff/me")]
pub async fn staff_me() -> Result<Option<(String, Vec<Grant>)>, ServerFnError> {
    use crate::domain::people::SignedIn;
    match crate::server::signed_in() {
        Some(SignedIn::Staff(s)) => Ok(Some((s.name, s.grants))),
        _ => {
            crate::server::redirect("/sign-in");
            Ok(None)
        }
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let me = staff_me();
    view! {
        <Layout title="Staff home">
            <h1>"Staff home"</h1>
            {loaded(me, move |v| match v {
                    Some((name, grants)) => {
                        let admin = grants.iter().any(|g| g.role == Role::Admin);
                        let cases = grants.iter().any(|g| g.role.case_access().is_some());
                        let ig = grants.iter().any(|g| g.role == Role::IgLead);
                        let comms = grants.iter().any(|g| matches!(g.role, Role::CommsEditor | Role::CommsApprover));
                        view! {
                            <p>{format!("Signed in as {name}.")}</p>
                            <h2>"Your roles"</h2>
                            <GrantsTable grants=grants caption="Your roles in each area"/>
                            {comms.then(|| view! {
                                <p><a href="/notices">"Privacy notices"</a></p>
                                <p><a href="/engagement">"Engagement"</a></p>
                                <p><a href="/notices/evidence">"Evidence of engagement"</a></p>
                                <p><a href="/sharing">"What each organisation shares"</a></p>
                            })}
                            {cases.then(|| view! {
                                <p><a href="/cases">"Case queue"</a></p>
                            })}
                            {ig.then(|| view! {
                                <p><a href="/monitoring">"Privacy monitoring"</a></p>
                                <p><a href="/cases/templates">"Decision templates"</a></p>
                            })}
                            {admin.then(|| view! {
                                <p><a href="/admin/staff">"Manage the staff directory"</a></p>
                                <p><a href="/admin/bank-holidays">"Bank holidays"</a></p>
                                <p><a href="/admin/sources">"Systems that send access records"</a></p>
                                <p><a href="/admin/areas">"Areas"</a></p>
                            })}
                        }.into_any()
                    }
                    None => view! { <p><a href="/sign-in">"Sign in"</a></p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn GrantsTable(grants: Vec<Grant>, caption: &'static str) -> impl IntoView {
    view! {
        <Table caption={caption} hide_caption=true headings=vec!["Role", "Area"]
    rows={grants.into_iter().map(|g| vec![
            view! { {g.role.label()} }.into_any(),
            view! { {g.area_name} }.into_any(),
        ]).collect::<Vec<_>>()}/>
    }
}
