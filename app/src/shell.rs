//! The HTML document and the route table: every page, by its URL.

use crate::access_log::{AccessLogPage, ConcernPage};
use crate::access_requests::{AccessRequestCheckPage, AccessRequestFormPage};
use crate::area_admin::{AdminAreaPage, AdminAreasPage};
use crate::casework::{CasePage, CaseQueuePage, DecisionTemplatesPage};
use crate::engagement::{PublicEngagementPage, StaffEngagementPage};
use crate::evidence::{EvidencePage, FiguresPage};
use crate::notices::{CompareVersionsPage, NoticeDraftPage, NoticeVersionsPage, PublicNoticePage, PublishingHomePage};
use crate::monitoring::{MonitoringFiguresPage, MonitoringQueuePage, MonitoringSettingsPage, PersonAlertsPage, ReferralPage};
use crate::complaints::{ComplaintCheckPage, ComplaintFormPage};
use crate::sharing::{SharingFormPage, SharingListPage};
use crate::objections::{ObjectionCheckPage, ObjectionFormPage};
use crate::record_alerts::RecordAlertsPage;
use crate::public::{AccessibilityPage, AreaPage, FindAreaPage, HomePage, NotFoundPage};
use crate::sign_in::{NoAccessPage, SignInPage, SignInProblemPage, SignedOutPage};
use crate::staff_admin::{AdminBankHolidaysPage, AdminSourcesPage, AdminStaffPage};
use crate::staff_home::StaffHomePage;
use crate::your_choices::{YourChoicesPage, YourSessionsPage};
use crate::your_requests::{RequestSentPage, WithdrawPage, YourRequestPage, YourRequestsPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // One nonce for the whole response: every script the page runs carries it, and the
    // Content-Security-Policy sent with the page allows only scripts that do.
    let nonce = leptos::nonce::use_nonce();
    #[cfg(feature = "ssr")]
    if let (Some(n), Some(res)) = (&nonce, use_context::<leptos_axum::ResponseOptions>()) {
        if let Ok(policy) = http::HeaderValue::from_str(&crate::server::security::page_policy(n)) {
            res.insert_header(http::header::CONTENT_SECURITY_POLICY, policy);
        }
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone() islands=true/>
                // Same-site links and forms change the page without a full reload (public/enhance.js).
                <script type="module" src=enhancer() nonce=nonce></script>
                <link rel="stylesheet" href=stylesheet(&options)/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The enhancer's address: the server knows its content hash.
fn enhancer() -> String {
    #[cfg(feature = "ssr")]
    return crate::server::error::enhancer();
    #[cfg(not(feature = "ssr"))]
    "/enhance.js".to_string()
}

/// The stylesheet's address: the server knows its hashed name, when the build gave it one.
fn stylesheet(options: &LeptosOptions) -> String {
    #[cfg(feature = "ssr")]
    {
        let _ = options;
        crate::server::error::stylesheet()
    }
    #[cfg(not(feature = "ssr"))]
    format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Every route renders whole on the server before it is sent (SsrMode::Async), so each page
    // is complete with JavaScript off; islands then add what is interactive.
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/find-your-area") view=FindAreaPage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug") view=AreaPage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug/notices/:variant") view=PublicNoticePage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug/notices/:variant/versions") view=NoticeVersionsPage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug/notices/:variant/versions/:version") view=PublicNoticePage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug/engagement") view=PublicEngagementPage ssr=SsrMode::Async/>
                <Route path=path!("/areas/:slug/figures") view=FiguresPage ssr=SsrMode::Async/>
                <Route path=path!("/engagement") view=StaffEngagementPage ssr=SsrMode::Async/>
                <Route path=path!("/notices/evidence") view=EvidencePage ssr=SsrMode::Async/>
                <Route path=path!("/notices") view=PublishingHomePage ssr=SsrMode::Async/>
                <Route path=path!("/notices/compare") view=CompareVersionsPage ssr=SsrMode::Async/>
                <Route path=path!("/notices/drafts/:id") view=NoticeDraftPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in/problem") view=SignInProblemPage ssr=SsrMode::Async/>
                <Route path=path!("/signed-out") view=SignedOutPage ssr=SsrMode::Async/>
                <Route path=path!("/no-access") view=NoAccessPage ssr=SsrMode::Async/>
                <Route path=path!("/your-choices") view=YourChoicesPage ssr=SsrMode::Async/>
                <Route path=path!("/your-choices/sessions") view=YourSessionsPage ssr=SsrMode::Async/>
                <Route path=path!("/your-choices/alerts") view=RecordAlertsPage ssr=SsrMode::Async/>
                <Route path=path!("/objections/new") view=ObjectionFormPage ssr=SsrMode::Async/>
                <Route path=path!("/objections/check") view=ObjectionCheckPage ssr=SsrMode::Async/>
                <Route path=path!("/complaints/new") view=ComplaintFormPage ssr=SsrMode::Async/>
                <Route path=path!("/complaints/check") view=ComplaintCheckPage ssr=SsrMode::Async/>
                <Route path=path!("/sharing") view=SharingListPage ssr=SsrMode::Async/>
                <Route path=path!("/sharing/:slug/:ods") view=SharingFormPage ssr=SsrMode::Async/>
                <Route path=path!("/access-requests/new") view=AccessRequestFormPage ssr=SsrMode::Async/>
                <Route path=path!("/access-requests/check") view=AccessRequestCheckPage ssr=SsrMode::Async/>
                <Route path=path!("/access-log") view=AccessLogPage ssr=SsrMode::Async/>
                <Route path=path!("/access-log/:id/concern") view=ConcernPage ssr=SsrMode::Async/>
                <Route path=path!("/your-requests") view=YourRequestsPage ssr=SsrMode::Async/>
                <Route path=path!("/your-requests/:reference") view=YourRequestPage ssr=SsrMode::Async/>
                <Route path=path!("/your-requests/:reference/confirmation") view=RequestSentPage ssr=SsrMode::Async/>
                <Route path=path!("/your-requests/:reference/withdraw") view=WithdrawPage ssr=SsrMode::Async/>
                <Route path=path!("/cases") view=CaseQueuePage ssr=SsrMode::Async/>
                <Route path=path!("/cases/templates") view=DecisionTemplatesPage ssr=SsrMode::Async/>
                <Route path=path!("/cases/:reference") view=CasePage ssr=SsrMode::Async/>
                <Route path=path!("/staff") view=StaffHomePage ssr=SsrMode::Async/>
                <Route path=path!("/monitoring") view=MonitoringQueuePage ssr=SsrMode::Async/>
                <Route path=path!("/monitoring/:area/people/:person") view=PersonAlertsPage ssr=SsrMode::Async/>
                <Route path=path!("/monitoring/:area/settings") view=MonitoringSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/monitoring/:area/referrals/:id") view=ReferralPage ssr=SsrMode::Async/>
                <Route path=path!("/monitoring/:area/figures") view=MonitoringFiguresPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/staff") view=AdminStaffPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/bank-holidays") view=AdminBankHolidaysPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/sources") view=AdminSourcesPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/areas") view=AdminAreasPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/areas/:slug") view=AdminAreaPage ssr=SsrMode::Async/>
                <Route path=path!("/accessibility") view=AccessibilityPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}
