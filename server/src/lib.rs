//! The portal's server: configuration, storage backends, sign-in, sessions and the HTTP
//! application that serves the Leptos pages. `main.rs` is a thin wrapper around [`startup`].

pub mod admin;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod fhir;
pub mod notify;
pub mod oidc;
pub mod seed;
pub mod sessions;
pub mod startup;
pub mod state;
pub mod telemetry;
