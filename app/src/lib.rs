//! The Shared Care Record Privacy Portal's pages, server functions and domain.
//! Built twice: with `ssr` for the server, with `hydrate` for the browser (islands only).
//!
//! One folder per feature, the same word everywhere: its pages (`mod.rs`), its server
//! functions (`api.rs`) and, behind `ssr`, its form posts and services (`ssr.rs` or `ssr/`).
//! Shared page pieces are in [`ui`], server plumbing with no feature logic in [`server`], and
//! the rules every feature relies on in [`domain`].
#![recursion_limit = "256"]

pub mod domain;
pub mod shell;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

pub mod access_log;
pub mod access_requests;
pub mod area_admin;
pub mod casework;
pub mod complaints;
pub mod engagement;
pub mod evidence;
pub mod monitoring;
pub mod notices;
pub mod objections;
pub mod public;
pub mod record_alerts;
pub mod sharing;
pub mod sign_in;
pub mod staff_admin;
pub mod staff_home;
pub mod your_choices;
pub mod your_requests;

pub use shell::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
