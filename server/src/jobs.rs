//! The portal's background work. Every instance runs all of it; each job is safe to run in
//! several instances at once (the store's guarded updates and claims make each piece of work
//! happen once): sending messages to patients, publishing approved notice changes when their
//! time comes, sealing the audit trail, and housekeeping (expired sessions, old drafts, access events past retention).

use app::server::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The running jobs; dropped or stopped, they end.
pub struct Jobs(Vec<JoinHandle<()>>);

impl Jobs {
    pub fn stop(self) {
        for job in self.0 {
            job.abort();
        }
    }
}

/// How often each job runs, and what it needs.
pub struct Schedule {
    /// Notice page views counted in memory, written every `views_every`.
    pub views: std::sync::Arc<app::server::views::ViewCounter>,
    pub views_every: Duration,
    pub sender: crate::notify::Sender,
    pub notify_every: Duration,
    pub publish_every: Duration,
    /// What pages and server functions share: a publication forgets the public pages kept.
    pub services: app::server::Services,
    pub housekeeping_every: Duration,
    /// The longest any access event is kept, whatever an area chooses.
    pub retention_months: u32,
    /// How often the audit trail's settled rows are sealed into its chain and the monitoring
    /// rules run; `None` when this instance leaves both to the others.
    pub seal_every: Option<Duration>,
}

pub fn start(store: Arc<dyn Store>, schedule: Schedule) -> Jobs {
    let messages = tokio::spawn(crate::notify::run(store.clone(), schedule.sender, schedule.notify_every));
    let publisher = tokio::spawn(publish_notices(store.clone(), schedule.services, schedule.publish_every));
    let views = tokio::spawn(write_views(store.clone(), schedule.views, schedule.views_every));
    let housekeeping = tokio::spawn(housekeeping(store.clone(), schedule.housekeeping_every, schedule.retention_months));
    let mut jobs = vec![messages, publisher, views, housekeeping];
    if let Some(every) = schedule.seal_every {
        jobs.push(tokio::spawn(seal_audit_trail(store, every)));
    }
    Jobs(jobs)
}

/// Notice page views counted in memory are added to the database every few seconds.
async fn write_views(store: Arc<dyn Store>, views: Arc<app::server::views::ViewCounter>, every: Duration) {
    // The first write a whole period after the start (an interval's first tick is at once).
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = views.flush(&*store).await {
            tracing::warn!(error = %e, "could not write notice views (kept for the next try)");
        }
    }
}

/// Approved notice changes are published when their time comes; the store publishes each once.
async fn publish_notices(store: Arc<dyn Store>, services: app::server::Services, every: Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match store.publish_due_notices(chrono::Utc::now()).await {
            Ok(published) => {
                if !published.is_empty() {
                    services.published();
                }
                for n in published {
                    tracing::info!(notice = n.id, area = n.area_id, version = n.version, "notice published");
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not publish due notices"),
        }
    }
}

/// The audit trail's settled rows are sealed into its chain (see `crate::audit`), the privacy
/// monitoring rules run over the access events that arrived, and those events are counted for
/// the access log's summary line; another instance doing any of them first is not an error.
async fn seal_audit_trail(store: Arc<dyn Store>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = crate::audit::seal(&*store, chrono::Utc::now()).await {
            tracing::warn!(error = %e, "could not seal the audit trail (tried again next time)");
        }
        match app::monitoring::service::check_arrivals(&*store, chrono::Utc::now()).await {
            Ok(run) if run.alerts_raised > 0 => tracing::info!(events = run.events_checked, alerts = run.alerts_raised, "monitoring rules raised alerts"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not run the monitoring rules (tried again next time)"),
        }
        if let Err(e) = app::access_log::ssr::count_looks(&*store, chrono::Utc::now()).await {
            tracing::warn!(error = %e, "could not count new looks for the access log (tried again next time)");
        }
    }
}

async fn housekeeping(store: Arc<dyn Store>, every: Duration, retention_months: u32) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match store.delete_expired_sessions(chrono::Utc::now()).await {
            Ok(n) if n > 0 => tracing::info!(count = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
        retention(&*store, retention_months).await;
        // The rules look back at most a year (the repeated-look window is up to 366 days).
        let year_ago = app::domain::uk_date(chrono::Utc::now()) - chrono::Duration::days(367);
        if let Err(e) = store.delete_monitoring_days_before(year_ago).await {
            tracing::warn!(error = %e, "could not forget old monitoring days");
        }
        // Drafts are kept a week: long enough to come back to, and well over the 24 hours
        // their keys must stop a form being sent twice (the case itself keeps the key for good).
        if let Err(e) = store.delete_old_drafts(chrono::Utc::now() - chrono::Duration::days(7)).await {
            tracing::warn!(error = %e, "could not remove old drafts");
        }
    }
}

/// Access events past their retention period go, a batch at a time: first past the portal's
/// ceiling, then each area's own systems' events past the area's own period.
async fn retention(store: &dyn Store, ceiling_months: u32) {
    let cutoff = chrono::Utc::now().checked_sub_months(chrono::Months::new(ceiling_months)).unwrap_or_else(chrono::Utc::now);
    loop {
        match store.delete_access_events_before(cutoff, 10_000).await {
            Ok(n) if n > 0 => tracing::info!(count = n, "access events past retention deleted"),
            Ok(_) => break,
            Err(e) => {
                tracing::warn!(error = %e, "could not delete old access events");
                break;
            }
        }
    }
    let areas = match store.list_areas().await {
        Ok(areas) => areas,
        Err(e) => {
            tracing::warn!(error = %e, "could not list areas for retention");
            return;
        }
    };
    for area in areas {
        let months = u32::try_from(area.retention_months.max(1)).unwrap_or(u32::MAX);
        let Some(cutoff) = chrono::Utc::now().checked_sub_months(chrono::Months::new(months)) else { continue };
        loop {
            match store.delete_area_access_events_before(area.id, cutoff, 10_000).await {
                Ok(n) if n > 0 => tracing::info!(area = area.id, count = n, "access events past the area's retention deleted"),
                Ok(_) => break,
                Err(e) => {
                    tracing::warn!(area = area.id, error = %e, "could not delete old access events");
                    break;
                }
            }
        }
    }
}
