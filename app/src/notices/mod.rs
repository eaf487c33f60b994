//! Privacy notices: the public page of each area's notice and its versions; the comms team
//! writing changes, sending them for review by a second person, and publishing them (now or
//! at a UK date and time); versions compared word by word. Posts are in [`ssr`].

pub mod api;

/// Largest Markdown the live preview renders (a notice is far smaller).
pub const PREVIEW_MAX_BYTES: usize = 256 * 1024;
mod compare;
mod public;
mod publishing;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;
mod template;

pub use api::{public_notice, NoticePage, MAX_NOTICE_CHARS};
pub use compare::CompareVersionsPage;
pub use public::{NoticeVersionsPage, PublicNoticePage, PublicNoticeView, RightsAndContact};
pub use publishing::{NoticeDraftPage, NoticeEditor, PublishingHomePage};
pub use template::template;
