//! Case work: the queue of objections, requests and concerns in a worker's areas, each case with
//! its timeline, notes and the actions the domain allows (`crate::domain::casework`), and the
//! area's decision templates. Actions post to [`ssr`].

pub mod api;
mod case_page;
mod queue;
#[cfg(feature = "ssr")]
pub mod ssr;
mod templates;

pub use case_page::CasePage;
pub use queue::{case_queue, CaseQueuePage, QueueFilter, QueueView};
pub use templates::DecisionTemplatesPage;
