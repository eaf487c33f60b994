//! The format of the chain, in one place: how a row becomes a leaf, how leaves become a Merkle
//! root (RFC 6962's tree hash, as certificate transparency logs use), and how an entry's hash
//! covers its fields and the hash before it. Pure functions, tested here.

use app::server::{AuditStream, ChainEntry};
use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};

/// Bytes per leaf: the row's id (8), its time in Unix seconds (8) and 16 bytes of the digest
/// of its contents (SHA-256 cut to 128 bits: ample to tell any change, at half the size).
pub const LEAF_BYTES: usize = 32;

/// The hash before an area's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One sealed row, as its entry keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf {
    pub id: i64,
    pub secs: i64,
    pub digest: [u8; 16],
}

impl Leaf {
    pub fn to_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.id.to_be_bytes());
        out.extend_from_slice(&self.secs.to_be_bytes());
        out.extend_from_slice(&self.digest);
    }

    /// The leaves an entry holds; `None` when the bytes are not whole leaves.
    pub fn parse_all(bytes: &[u8]) -> Option<Vec<Leaf>> {
        if !bytes.len().is_multiple_of(LEAF_BYTES) {
            return None;
        }
        Some(
            bytes
                .chunks_exact(LEAF_BYTES)
                .map(|c| Leaf {
                    id: i64::from_be_bytes(c[0..8].try_into().unwrap_or_default()),
                    secs: i64::from_be_bytes(c[8..16].try_into().unwrap_or_default()),
                    digest: c[16..32].try_into().unwrap_or_default(),
                })
                .collect(),
        )
    }

    /// The leaf's hash in the tree (0x00 prefix: a leaf can never pass for an inner node).
    fn hash(self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update([0u8]);
        h.update(self.id.to_be_bytes());
        h.update(self.secs.to_be_bytes());
        h.update(self.digest);
        h.finalize().into()
    }
}

/// Each field length-prefixed (absent fields marked apart from empty ones), so no two different
/// rows encode the same.
fn encode_fields<'a>(h: &mut Sha256, fields: impl IntoIterator<Item = Option<&'a str>>) {
    for f in fields {
        match f {
            None => h.update([0u8]),
            Some(s) => {
                h.update([1u8]);
                h.update((s.len() as u64).to_be_bytes());
                h.update(s.as_bytes());
            }
        }
    }
}

/// The digest of a row's contents (everything but its id, which the leaf keeps beside it, so
/// that a row moved to another id is recognised as moved).
pub fn row_digest(stream: AuditStream, fields: &[Option<String>]) -> [u8; 16] {
    let mut h = Sha256::new();
    encode_fields(&mut h, [Some(stream.as_str())]);
    encode_fields(&mut h, fields.iter().map(|f| f.as_deref()));
    let full: [u8; 32] = h.finalize().into();
    full[..16].try_into().unwrap_or_default()
}

/// A time as the chain writes it: RFC 3339 in UTC, to the precision stored.
pub fn time_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// RFC 6962's Merkle tree hash over the leaves, hex.
pub fn merkle_root(leaves: &[Leaf]) -> String {
    fn node(leaves: &[Leaf]) -> [u8; 32] {
        match leaves.len() {
            0 => Sha256::digest([]).into(),
            1 => leaves[0].hash(),
            n => {
                // The largest power of two below n.
                let k = 1usize << (usize::BITS - 1 - (n - 1).leading_zeros());
                let mut h = Sha256::new();
                h.update([1u8]);
                h.update(node(&leaves[..k]));
                h.update(node(&leaves[k..]));
                h.finalize().into()
            }
        }
    }
    hex::encode(node(leaves))
}

/// The ids a pruning entry lists, 8 bytes each.
pub fn id_list(ids: &[i64]) -> Vec<u8> {
    ids.iter().flat_map(|id| id.to_be_bytes()).collect()
}

/// The ids of a pruning entry's list; `None` when the bytes are not whole ids.
pub fn parse_id_list(bytes: &[u8]) -> Option<Vec<i64>> {
    if !bytes.len().is_multiple_of(8) {
        return None;
    }
    Some(bytes.chunks_exact(8).map(|c| i64::from_be_bytes(c.try_into().unwrap_or_default())).collect())
}

/// A pruning entry's root: the SHA-256 of its list of ids, hex.
pub fn id_list_root(bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"pruned ids");
    h.update(bytes);
    hex::encode(h.finalize())
}

/// An entry's hash: its fields (leaves through the root) and the hash of the entry before it.
pub fn entry_hash(e: &ChainEntry) -> String {
    let mut h = Sha256::new();
    let int = |v: Option<i64>| v.map(|v| v.to_string());
    encode_fields(
        &mut h,
        [
            Some("scr-audit-chain-1".to_string()),
            Some(e.area_id.to_string()),
            Some(e.seq.to_string()),
            Some(e.kind.as_str().to_string()),
            int(e.first_id),
            int(e.last_id),
            Some(e.row_count.to_string()),
            Some(e.root.clone()),
            e.cutoff.map(time_text),
            Some(time_text(e.at)),
            Some(e.prev_hash.clone()),
        ]
        .iter()
        .map(|f| f.as_deref()),
    );
    hex::encode(h.finalize())
}

/// Times in the chain are kept to the whole second, so both databases store them exactly.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::server::ChainEntryKind;

    fn leaf(id: i64) -> Leaf {
        Leaf { id, secs: 1_700_000_000 + id, digest: row_digest(AuditStream::AccessEvents, &[Some(format!("row {id}")), None]) }
    }

    #[test]
    fn leaves_round_trip_through_bytes() {
        let leaves: Vec<Leaf> = (1..=5).map(leaf).collect();
        let mut bytes = Vec::new();
        for l in &leaves {
            l.to_bytes(&mut bytes);
        }
        assert_eq!(bytes.len(), 5 * LEAF_BYTES);
        assert_eq!(Leaf::parse_all(&bytes), Some(leaves));
        assert_eq!(Leaf::parse_all(&bytes[1..]), None, "a torn leaf is not read");
    }

    #[test]
    fn the_root_changes_with_any_leaf_its_order_or_its_count() {
        let leaves: Vec<Leaf> = (1..=7).map(leaf).collect();
        let root = merkle_root(&leaves);
        let mut changed = leaves.clone();
        changed[3].digest[0] ^= 1;
        assert_ne!(merkle_root(&changed), root);
        let mut swapped = leaves.clone();
        swapped.swap(2, 5);
        assert_ne!(merkle_root(&swapped), root);
        assert_ne!(merkle_root(&leaves[..6]), root);
        assert_eq!(merkle_root(&leaves), root, "the same leaves give the same root");
    }

    #[test]
    fn the_tree_is_rfc_6962s() {
        // With one leaf the root is the leaf's hash; with none, the hash of nothing.
        assert_eq!(merkle_root(&[]), hex::encode(Sha256::digest([])));
        let l = leaf(1);
        assert_eq!(merkle_root(&[l]), hex::encode(l.hash()));
        // Three leaves split two and one.
        let (a, b, c) = (leaf(1), leaf(2), leaf(3));
        let inner = |x: [u8; 32], y: [u8; 32]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update([1u8]);
            h.update(x);
            h.update(y);
            h.finalize().into()
        };
        assert_eq!(merkle_root(&[a, b, c]), hex::encode(inner(inner(a.hash(), b.hash()), c.hash())));
    }

    #[test]
    fn a_field_moved_between_columns_changes_the_digest() {
        let d = |f: &[Option<&str>]| row_digest(AuditStream::StaffActions, &f.iter().map(|s| s.map(str::to_string)).collect::<Vec<_>>());
        assert_ne!(d(&[Some("ab"), Some("c")]), d(&[Some("a"), Some("bc")]));
        assert_ne!(d(&[None, Some("")]), d(&[Some(""), None]));
        assert_ne!(
            row_digest(AuditStream::StaffActions, &[Some("x".into())]),
            row_digest(AuditStream::AccessEvents, &[Some("x".into())]),
            "a row of one stream never passes for another's"
        );
    }

    #[test]
    fn an_entry_hash_covers_every_field_and_the_link() {
        let e = ChainEntry {
            area_id: 1,
            seq: 2,
            kind: ChainEntryKind::Sealed(AuditStream::AccessEvents),
            first_id: Some(10),
            last_id: Some(20),
            row_count: 3,
            leaves: Vec::new(),
            root: merkle_root(&[leaf(10)]),
            cutoff: None,
            at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let h = entry_hash(&e);
        let variants: Vec<ChainEntry> = vec![
            ChainEntry { area_id: 2, ..e.clone() },
            ChainEntry { seq: 3, ..e.clone() },
            ChainEntry { kind: ChainEntryKind::Sealed(AuditStream::StaffActions), ..e.clone() },
            ChainEntry { first_id: Some(11), ..e.clone() },
            ChainEntry { last_id: None, ..e.clone() },
            ChainEntry { row_count: 4, ..e.clone() },
            ChainEntry { root: merkle_root(&[]), ..e.clone() },
            ChainEntry { cutoff: Some(e.at), ..e.clone() },
            ChainEntry { at: e.at + chrono::Duration::seconds(1), ..e.clone() },
            ChainEntry { prev_hash: h.clone(), ..e.clone() },
        ];
        for v in variants {
            assert_ne!(entry_hash(&v), h, "{v:?}");
        }
        assert_eq!(entry_hash(&ChainEntry { hash: "anything".into(), leaves: vec![1], ..e.clone() }), h, "the hash field and leaves (covered by the root) are not hashed twice");
    }
}
