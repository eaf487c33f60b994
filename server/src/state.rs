//! What every handler shares.

use crate::config::Settings;
use crate::oidc::OidcProvider;
use crate::sessions::{Lifetimes, TokenHasher};
use app::ssr::{Services, SignInOptions, Store};
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
}

impl FromRef<AppState> for Services {
    fn from_ref(state: &AppState) -> Services {
        state.services()
    }
}

impl AppState {
    /// The part of the state pages and server functions see.
    pub fn services(&self) -> Services {
        Services { store: self.store.clone(), sign_in: self.sign_in.clone(), download_days: self.settings.download_days }
    }
}
