//! The portal's server: configuration, storage backends, sign-in and sessions, the
//! machine-facing FHIR API, background jobs, and the HTTP application that serves the Leptos
//! pages and every feature's form posts. `main.rs` is a thin wrapper around [`startup`].

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod fhir;
pub mod jobs;
pub mod limits;
pub mod notify;
pub mod public_pages;
pub mod seed;
pub mod serve;
pub mod startup;
pub mod state;
pub mod telemetry;
