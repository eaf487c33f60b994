//! Alerts when a patient's record is looked at (`RecordAlertStore` for both backends): the
//! patient's choice. The messages are queued by the rules' run (`monitoring.rs`).

use super::*;
use app::domain::record_alerts::{AlertChoice, AlertWhen};

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    first_look: bool,
    emergency: bool,
    channel: String,
    recipient: String,
    chosen_at: DateTime<Utc>,
    last_alert_on: Option<NaiveDate>,
}

impl TryFrom<ChoiceRow> for SavedAlertChoice {
    type Error = StoreError;
    fn try_from(r: ChoiceRow) -> StoreResult<Self> {
        let contact = match r.channel.as_str() {
            "email" => Contact::Email(r.recipient),
            "text" => Contact::Text(r.recipient),
            _ => return Err(corrupt("alert channel")),
        };
        let when = AlertWhen::from_flags(r.first_look, r.emergency);
        Ok(SavedAlertChoice { choice: AlertChoice { when, contact }, chosen_at: r.chosen_at, last_alert_on: r.last_alert_on })
    }
}

#[async_trait::async_trait]
impl RecordAlertStore for Db {
    async fn record_alert_choice(&self, nhs_number: &NhsNumber) -> StoreResult<Option<SavedAlertChoice>> {
        let row: Option<ChoiceRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT first_look, emergency, channel, recipient, chosen_at, last_alert_on FROM record_alerts
             WHERE nhs_number = $1 AND (first_look OR emergency)")
            .bind(nhs_number.expose()).fetch_optional(p).await)?;
        row.map(SavedAlertChoice::try_from).transpose()
    }

    async fn set_record_alert_choice(&self, nhs_number: &NhsNumber, subject: &str, choice: Option<&AlertChoice>, at: DateTime<Utc>) -> StoreResult<()> {
        let nhs = nhs_number.expose();
        match choice {
            Some(c) => {
                if matches!(c.contact, Contact::Post(_)) {
                    return Err(StoreError::Corrupt("alerts go by email or text".into()));
                }
                in_tx!(self, tx => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO record_alerts (nhs_number, subject, first_look, emergency, channel, recipient, chosen_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7)
                         ON CONFLICT (nhs_number) DO UPDATE SET subject = excluded.subject, first_look = excluded.first_look,
                             emergency = excluded.emergency, channel = excluded.channel, recipient = excluded.recipient, chosen_at = excluded.chosen_at
                         RETURNING id",
                    )
                    .bind(nhs).bind(subject).bind(c.wants(AlertWhen::FirstLook)).bind(c.wants(AlertWhen::Emergency))
                    .bind(c.contact.method()).bind(c.contact.value()).bind(at)
                    .fetch_one(&mut *tx).await?;
                    // A message still waiting goes where the patient now wants it.
                    sqlx::query("UPDATE outbox SET channel = $1, recipient = $2 WHERE record_alert_id = $3 AND sent_at IS NULL AND failed_at IS NULL")
                        .bind(c.contact.method()).bind(c.contact.value()).bind(id).execute(&mut *tx).await?;
                })
            }
            None => in_tx!(self, tx => {
                // A message still waiting is not sent: the patient said stop. Its address goes too.
                sqlx::query(
                    "UPDATE outbox SET failed_at = $1, last_error = 'alerts turned off by the patient', recipient = ''
                     WHERE record_alert_id IN (SELECT id FROM record_alerts WHERE nhs_number = $2) AND sent_at IS NULL AND failed_at IS NULL",
                )
                .bind(at).bind(nhs).execute(&mut *tx).await?;
                // The address is forgotten; the day of the last message is kept, so that turning
                // alerts off and on again never makes a second message in one day.
                sqlx::query("UPDATE record_alerts SET first_look = FALSE, emergency = FALSE, recipient = '', chosen_at = $1 WHERE nhs_number = $2")
                    .bind(at).bind(nhs).execute(&mut *tx).await?;
            }),
        }
    }
}
