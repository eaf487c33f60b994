//! England and Wales bank holidays, for deadlines.

use super::StoreResult;
use crate::domain::BankHolidays;
use chrono::NaiveDate;

#[async_trait::async_trait]
pub trait HolidayStore: Send + Sync {
    async fn bank_holidays(&self) -> StoreResult<BankHolidays>;
    /// Bank holidays on or after `from`, with their names.
    async fn bank_holiday_list(&self, from: NaiveDate) -> StoreResult<Vec<(NaiveDate, String)>>;
    async fn add_bank_holiday(&self, day: NaiveDate, name: &str) -> StoreResult<()>;
    async fn remove_bank_holiday(&self, day: NaiveDate) -> StoreResult<u64>;
}
