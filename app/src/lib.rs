//! The Shared Care Record Privacy Portal's pages, server functions and domain.
#![recursion_limit = "256"]
//! Built twice: with `ssr` for the server, with `hydrate` for the browser (islands only).

pub mod domain;
pub mod demo;
pub mod people;
pub mod shell;
pub mod components;
pub mod pages;
pub mod areas;
pub mod staff;
pub mod forms;
pub mod journey;
pub mod objections;
pub mod access_requests;
pub mod requests;
pub mod cases;
pub mod access_log;
pub mod notices;
pub mod engagement;
pub mod evidence;
pub mod area_admin;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use shell::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
