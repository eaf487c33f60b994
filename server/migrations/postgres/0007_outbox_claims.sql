-- Exactly-once messages with several instances. Each claim of a message carries its own token:
-- the sender renews the claim just before sending and marks the message sent only under that
-- token, so a second instance can never send a message another still holds. `prior_claim`
-- keeps the token of a claim that ended without an answer (the instance stopped mid-send):
-- the next sender then asks Notify, by the message's own reference, whether it went.
ALTER TABLE outbox ADD COLUMN claim_token TEXT;
ALTER TABLE outbox ADD COLUMN prior_claim TEXT;
