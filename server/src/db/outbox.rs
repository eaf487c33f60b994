//! Messages to patients, queued with the change they tell them about and sent by a background worker. (`OutboxStore` for both backends.)

use super::*;

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    case_id: i64,
    channel: String,
    recipient: String,
    template: String,
    reference: String,
    attempts: i32,
}

#[derive(sqlx::FromRow)]
struct MessageStatusRow {
    template: String,
    channel: String,
    attempts: i32,
    sent: bool,
    failed: bool,
}

#[async_trait::async_trait]
impl OutboxStore for Db {
    async fn claim_messages(&self, now: DateTime<Utc>, lease: chrono::Duration, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        let until = now + lease;
        let rows: Vec<OutboxRow> = async { Ok::<_, DbError>(match self {
            // One writer at a time in SQLite: the UPDATE itself is the claim.
            Db::Sqlite(p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts")
                .bind(until).bind(now).bind(limit).fetch_all(p).await?,
            // Several instances: SKIP LOCKED lets each take different rows without waiting.
            Db::Postgres(p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts")
                .bind(until).bind(now).bind(limit).fetch_all(p).await?,
        }) }
        .await?;
        rows.into_iter()
            .map(|r| {
                let contact = match r.channel.as_str() {
                    "email" => Contact::Email(r.recipient),
                    "text" => Contact::Text(r.recipient),
                    "post" => Contact::Post(r.recipient),
                    _ => return Err(corrupt("message channel")),
                };
                let template = MessageTemplate::parse(&r.template).ok_or_else(|| corrupt("message template"))?;
                Ok(OutboxMessage { id: r.id, case_id: r.case_id, contact, template, reference: r.reference, attempts: r.attempts })
            })
            .collect()
    }

    async fn message_sent(&self, id: i64, provider_id: &str, at: DateTime<Utc>) -> StoreResult<()> {
        // The address is not needed once the message has gone: keep no more personal data than we use.
        on_pool!(self, p => sqlx::query(
            "UPDATE outbox SET sent_at = $1, provider_id = $2, recipient = '', attempts = attempts + 1, claimed_until = NULL WHERE id = $3")
            .bind(at).bind(provider_id).bind(id).execute(p).await.map(|_| ()))
    }

    async fn message_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<()> {
        match retry_at {
            Some(next) => on_pool!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_until = NULL WHERE id = $3")
                .bind(error).bind(next).bind(id).execute(p).await.map(|_| ())),
            None => on_pool!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2, claimed_until = NULL WHERE id = $3")
                .bind(error).bind(at).bind(id).execute(p).await.map(|_| ())),
        }
    }

    async fn messages_for_case(&self, case_id: i64) -> StoreResult<Vec<MessageStatus>> {
        let rows: Vec<MessageStatusRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT template, channel, attempts, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed
             FROM outbox WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let template = MessageTemplate::parse(&r.template).ok_or_else(|| corrupt("message template"))?;
                Ok(MessageStatus { template, channel: r.channel, attempts: r.attempts, sent: r.sent, failed: r.failed })
            })
            .collect::<StoreResult<_>>()?)
    }
}
