//! Messages to patients, queued with the change they tell them about and sent by a background worker. (`OutboxStore` for both backends.)

use super::*;

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    case_id: Option<i64>,
    channel: String,
    recipient: String,
    template: String,
    reference: String,
    attempts: i32,
    in_doubt: bool,
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
        let claim = uuid::Uuid::new_v4().to_string();
        let rows: Vec<OutboxRow> = async { Ok::<_, DbError>(match self {
            // One writer at a time in SQLite: the UPDATE itself is the claim.
            Db::Sqlite(_, p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1, prior_claim = claim_token, claim_token = $4 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts, prior_claim IS NOT NULL AS in_doubt")
                .bind(until).bind(now).bind(limit).bind(&claim).fetch_all(p).await?,
            // Several instances: SKIP LOCKED lets each take different rows without waiting.
            Db::Postgres(p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1, prior_claim = claim_token, claim_token = $4 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts, prior_claim IS NOT NULL AS in_doubt")
                .bind(until).bind(now).bind(limit).bind(&claim).fetch_all(p).await?,
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
                Ok(OutboxMessage {
                    id: r.id,
                    case_id: r.case_id,
                    contact,
                    template,
                    reference: r.reference,
                    attempts: r.attempts,
                    claim: claim.clone(),
                    in_doubt: r.in_doubt,
                })
            })
            .collect()
    }

    async fn renew_claim(&self, id: i64, claim: &str, now: DateTime<Utc>, lease: chrono::Duration) -> StoreResult<bool> {
        on_writer!(self, p => sqlx::query(
            "UPDATE outbox SET claimed_until = $1
             WHERE id = $2 AND claim_token = $3 AND claimed_until > $4 AND sent_at IS NULL AND failed_at IS NULL")
            .bind(now + lease).bind(id).bind(claim).bind(now).execute(p).await.map(|r| r.rows_affected() == 1))
    }

    async fn message_sent(&self, id: i64, claim: &str, provider_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        // The address is not needed once the message has gone: keep no more personal data than we use.
        on_writer!(self, p => sqlx::query(
            "UPDATE outbox SET sent_at = $1, provider_id = $2, recipient = '', attempts = attempts + 1, claimed_until = NULL,
                 claim_token = NULL, prior_claim = NULL
             WHERE id = $3 AND claim_token = $4 AND sent_at IS NULL")
            .bind(at).bind(provider_id).bind(id).bind(claim).execute(p).await.map(|r| r.rows_affected() == 1))
    }

    async fn message_failed(&self, id: i64, claim: &str, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<bool> {
        // A failure is an answer: the message did not go, so the next claim is not in doubt.
        match retry_at {
            Some(next) => on_writer!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_until = NULL,
                     claim_token = NULL, prior_claim = NULL
                 WHERE id = $3 AND claim_token = $4 AND sent_at IS NULL")
                .bind(error).bind(next).bind(id).bind(claim).execute(p).await.map(|r| r.rows_affected() == 1)),
            None => on_writer!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2, claimed_until = NULL,
                     claim_token = NULL, prior_claim = NULL
                 WHERE id = $3 AND claim_token = $4 AND sent_at IS NULL")
                .bind(error).bind(at).bind(id).bind(claim).execute(p).await.map(|r| r.rows_affected() == 1)),
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
