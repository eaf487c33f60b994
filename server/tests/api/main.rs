//! The server's integration tests: one binary, a fresh database per test, the real
//! application started on 127.0.0.1:0.

mod access_log;
mod area_admin;
mod audit_trail;
mod balp;
mod binary;
mod case_storage;
mod casework;
mod complaints;
mod engagement;
mod fhir_documents;
mod helpers;
mod ingest;
mod light_pages;
mod monitoring;
mod migrations;
mod notice_storage;
mod notices;
mod notifications;
mod record_alerts;
mod outage;
mod pages;
mod rights;
mod rogue_provider;
mod rolling_restart;
mod security;
mod sharing;
mod withholding;
mod writers;
mod sign_in;
mod storage;
