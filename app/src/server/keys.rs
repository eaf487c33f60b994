//! Keys of the drafts that keep forms between their steps.

/// A patient form's key: 43 URL-safe characters (256 bits), made when the blank form is drawn.
/// It is also the form's idempotency key: the case made from it is found by it.
pub fn new_key() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 43];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[(b & 63) as usize] as char).collect()
}

pub fn valid_key(key: &str) -> bool {
    key.len() == 43 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The draft of one staff form (on one case, or 0 for none), so a form sent back with errors
/// keeps what was typed.
pub fn staff_draft_key(me: &str, case_id: i64, form: &str) -> String {
    format!("staff:{case_id}:{form}:{me}")
}
