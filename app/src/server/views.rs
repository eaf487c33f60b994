//! Notice page views, counted in memory and written in batches (every few seconds by a job,
//! and once more at shutdown), so that reading a notice is not a database write. Each instance
//! counts its own and adds them to the day's total, so several instances never overwrite one
//! another. Only the notice version and the day are kept: nothing about the reader.

use super::store::{NoticeStore, StoreResult};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<(i64, NaiveDate), i64>>,
}

impl ViewCounter {
    pub fn count(&self, notice_id: i64, day: NaiveDate) {
        if let Ok(mut p) = self.pending.lock() {
            *p.entry((notice_id, day)).or_insert(0) += 1;
        }
    }

    /// Writes what has been counted since the last flush; on failure the counts are kept for
    /// the next. Returns how many views were written.
    pub async fn flush(&self, store: &dyn NoticeStore) -> StoreResult<i64> {
        let taken: Vec<(i64, NaiveDate, i64)> = match self.pending.lock() {
            Ok(mut p) => p.drain().map(|((id, day), n)| (id, day, n)).collect(),
            Err(_) => return Ok(0),
        };
        if taken.is_empty() {
            return Ok(0);
        }
        match store.add_notice_views(&taken).await {
            Ok(()) => Ok(taken.iter().map(|v| v.2).sum()),
            Err(e) => {
                if let Ok(mut p) = self.pending.lock() {
                    for (id, day, n) in taken {
                        *p.entry((id, day)).or_insert(0) += n;
                    }
                }
                Err(e)
            }
        }
    }
}
