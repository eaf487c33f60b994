//! What every handler shares.

use crate::config::Settings;
use crate::auth::oidc::OidcProvider;
use crate::auth::sessions::{Lifetimes, Sessions, TokenHasher};
use app::server::{Services, SignInOptions, Store};
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub store: Arc<dyn Store>,
    pub hasher: TokenHasher,
    pub lifetimes: Lifetimes,
    pub settings: Arc<Settings>,
    #[from_ref(skip)]
    pub nhs_login: Option<Arc<OidcProvider>>,
    #[from_ref(skip)]
    pub staff_oidc: Option<Arc<OidcProvider>>,
    pub sign_in: SignInOptions,
    /// Set when shutdown has begun: `/readyz` then answers 503.
    #[from_ref(skip)]
    pub draining: Arc<std::sync::atomic::AtomicBool>,
    /// Notice page views counted, not yet written (a job writes them every few seconds).
    #[from_ref(skip)]
    pub views: Arc<app::server::views::ViewCounter>,
    #[from_ref(skip)]
    pub notice_cache: Arc<app::notices::service::NoticeCache>,
    /// Public pages kept finished, ready to send.
    #[from_ref(skip)]
    pub public_pages: Arc<app::server::public_pages::PublicPages>,
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Services {
        state.services()
    }
}

impl FromRef<AppState> for Sessions {
    fn from_ref(state: &AppState) -> Sessions {
        Sessions { store: state.store.clone(), hasher: state.hasher.clone(), lifetimes: state.lifetimes }
    }
}

impl AppState {
    /// The part of the state pages and server functions see.
    pub fn services(&self) -> Services {
        Services {
            store: self.store.clone(),
            sign_in: self.sign_in.clone(),
            download_days: self.settings.download_days,
            views: self.views.clone(),
            notice_cache: self.notice_cache.clone(),
            public_pages: self.public_pages.clone(),
        }
    }
}
