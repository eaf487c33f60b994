//! The portal's domain types: parsed once at the edge, trusted everywhere after.
//! Pure code, compiled for the server and the browser alike.

pub mod access_request;
pub mod area_contact;
pub mod casework;
pub mod complaint;
mod case_events;
pub mod cases;
pub(crate) mod deadline;
pub mod objection;
pub mod figures;
mod nhs_number;
mod notice;
mod ods_code;
pub mod monitoring;
pub mod names;
pub mod people;
pub mod practice;
pub mod record_alerts;
pub mod sharing;
mod proofing;
mod role;
mod slug;
pub mod when;
pub mod withholding;

pub use case_events::{CaseEventKind, MessageTemplate};
pub use cases::{count_characters, thousands, CaseKind, CaseReference, CaseStatus, Contact, FreeText};
pub use deadline::{uk_date, uk_local_to_utc, uk_time, add_calendar_months, BankHolidays, Clock, Due, ExtensionError, Pause};
#[cfg(feature = "ssr")]
pub use notice::render as render_notice;
pub use notice::{word_diff, DiffPart, NoticeHtml, NoticeVariant, LANGUAGES};
pub use nhs_number::{NhsNumber, NhsNumberError};
pub use ods_code::{OdsCode, OdsCodeError};
pub use proofing::ProofingLevel;
pub use role::{CaseAccess, Role, RoleError};
pub use slug::{AreaSlug, AreaSlugError};
