//! England and Wales bank holidays, for deadlines. (`HolidayStore` for both backends.)

use super::*;

#[async_trait::async_trait]
impl HolidayStore for Db {
    async fn bank_holidays(&self) -> StoreResult<BankHolidays> {
        let days: Vec<(NaiveDate,)> = on_pool!(self, p => sqlx::query_as("SELECT day FROM bank_holidays")
            .fetch_all(p).await)?;
        Ok(BankHolidays::new(days.into_iter().map(|(d,)| d)))
    }

    async fn bank_holiday_list(&self, from: NaiveDate) -> StoreResult<Vec<(NaiveDate, String)>> {
        on_pool!(self, p => sqlx::query_as("SELECT day, name FROM bank_holidays WHERE day >= $1 ORDER BY day")
            .bind(from).fetch_all(p).await)
    }

    async fn add_bank_holiday(&self, day: NaiveDate, name: &str) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("INSERT INTO bank_holidays (day, name) VALUES ($1, $2)")
            .bind(day).bind(name).execute(p).await.map(|_| ()))
    }

    async fn remove_bank_holiday(&self, day: NaiveDate) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM bank_holidays WHERE day = $1")
            .bind(day).execute(p).await.map(|r| r.rows_affected()))
    }
}
