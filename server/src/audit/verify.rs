//! Checking the audit trail against its chain: what is wrong, and where.
//!
//! Two passes. The first walks each area's chain in order: every entry's hash must match its
//! fields, follow the hash before it, and come in sequence. The second takes each sealed batch:
//! every entry's leaves must give its root, and every row in the batch's id range must match
//! its leaf. A row that differs was changed; a leaf with no row was deleted (unless retention
//! recorded that it pruned rows that old); a row with no leaf was inserted; a row that matches
//! another id's leaf was moved (reordered).

use super::chain::{self, Leaf};
use app::server::{AuditStream, ChainEntry, ChainEntryKind, Store, StoreResult};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, HashMap};

/// The shortest retention period an area may choose (one month), in days: retention never
/// deletes anything younger.
const MIN_RETENTION_DAYS: i64 = 28;

/// What `verify` looks at.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// One area's chain (0: the portal's own); every area's with `None`.
    pub area_id: Option<i64>,
    /// Only entries made from this time on (and the link to the entry before).
    pub since: Option<DateTime<Utc>>,
    /// Digests published earlier, which must still be in the chain.
    pub digests: Vec<String>,
}

/// Something wrong with the trail or its chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The row no longer matches what was sealed.
    RowChanged { stream: AuditStream, id: i64, area_id: i64, seq: i64 },
    /// A sealed row is gone, and no retention pass says it pruned rows that old.
    RowDeleted { stream: AuditStream, id: i64, area_id: i64, seq: i64 },
    /// A row sits in a sealed range without having been sealed.
    RowInserted { stream: AuditStream, id: i64, area_id: i64 },
    /// The row holds what was sealed under another id.
    RowMoved { stream: AuditStream, id: i64, sealed_as: i64, area_id: i64, seq: i64 },
    /// The entry's hash does not match its fields.
    EntryChanged { area_id: i64, seq: i64 },
    /// The entry's list of rows does not give its root (or its count).
    EntryRowsChanged { area_id: i64, seq: i64 },
    /// Entries are missing between these two.
    EntryMissing { area_id: i64, after: i64, next: i64 },
    /// The entry does not follow the one before it.
    LinkBroken { area_id: i64, seq: i64 },
    /// No seal covers these ids, though later ones are sealed.
    BatchGap { stream: AuditStream, from: i64, to: i64 },
    /// A digest published earlier is not in the chain: history was rewritten.
    DigestNotFound { digest: String },
    /// A pruning entry claims a cutoff newer than any retention period allows.
    PruneTooRecent { area_id: i64, seq: i64 },
}

impl Problem {
    /// The problem in words, with areas named by `area`.
    pub fn describe(&self, area: &dyn Fn(i64) -> String) -> String {
        match self {
            Problem::RowChanged { stream, id, area_id, seq } => {
                format!("{} {id} was changed after it was sealed (entry {seq} of {})", stream.row_name(), area(*area_id))
            }
            Problem::RowDeleted { stream, id, area_id, seq } => format!(
                "{} {id} was deleted after it was sealed (entry {seq} of {}), and not by retention",
                stream.row_name(),
                area(*area_id)
            ),
            Problem::RowInserted { stream, id, area_id } => {
                format!("{} {id} was inserted among sealed rows ({}): no seal holds it", stream.row_name(), area(*area_id))
            }
            Problem::RowMoved { stream, id, sealed_as, area_id, seq } => format!(
                "{} {id} holds what was sealed as {} {sealed_as}: rows were reordered (entry {seq} of {})",
                stream.row_name(),
                stream.row_name(),
                area(*area_id)
            ),
            Problem::EntryChanged { area_id, seq } => format!("entry {seq} of {} was changed: its hash does not match it", area(*area_id)),
            Problem::EntryRowsChanged { area_id, seq } => {
                format!("entry {seq} of {} was changed: its list of rows does not match its Merkle root", area(*area_id))
            }
            Problem::EntryMissing { area_id, after, next } => {
                format!("entries of {} are missing between {after} and {next}", area(*area_id))
            }
            Problem::LinkBroken { area_id, seq } => {
                format!("entry {seq} of {} does not follow the entry before it: entries were inserted, removed or reordered", area(*area_id))
            }
            Problem::BatchGap { stream, from, to } => format!("{} ids {from} to {to} are covered by no seal, though later ones are", stream.row_name()),
            Problem::DigestNotFound { digest } => format!("the published digest {digest} is not in the chain: its history was rewritten"),
            Problem::PruneTooRecent { area_id, seq } => format!(
                "entry {seq} of {} says retention deleted events younger than the shortest retention period: retention did not write it",
                area(*area_id)
            ),
        }
    }

    fn area_id(&self) -> Option<i64> {
        match self {
            Problem::RowChanged { area_id, .. }
            | Problem::RowDeleted { area_id, .. }
            | Problem::RowInserted { area_id, .. }
            | Problem::RowMoved { area_id, .. }
            | Problem::EntryChanged { area_id, .. }
            | Problem::EntryRowsChanged { area_id, .. }
            | Problem::EntryMissing { area_id, .. }
            | Problem::LinkBroken { area_id, .. }
            | Problem::PruneTooRecent { area_id, .. } => Some(*area_id),
            Problem::BatchGap { .. } | Problem::DigestNotFound { .. } => None,
        }
    }
}

/// What a check found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
    pub entries_checked: u64,
    /// Rows compared with their seals, per stream.
    pub rows_checked: BTreeMap<AuditStream, u64>,
    /// Sealed rows that retention has since deleted, as it recorded.
    pub rows_pruned: u64,
    /// Each area's latest entry: (area, seq, hash, made at).
    pub heads: Vec<(i64, i64, String, DateTime<Utc>)>,
    /// The last id sealed, per stream: rows after it are not covered yet.
    pub sealed_up_to: BTreeMap<AuditStream, i64>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the trail within `scope` against its chain.
pub async fn verify(store: &dyn Store, scope: &Scope) -> StoreResult<Report> {
    let entries = store.audit_chain(None, None).await?;
    let mut report = Report::default();
    let wanted = |area: i64| scope.area_id.is_none_or(|a| a == area);
    let recent = |e: &ChainEntry| scope.since.is_none_or(|s| e.at >= s);

    // Retention's records: every id it deleted, with the cutoff it deleted by, from whichever
    // area's chain (a system may have moved between areas). A cutoff younger than the shortest
    // retention period (one month) is not retention's.
    let mut pruned: Vec<(i64, i64)> = Vec::new();
    for e in entries.iter().filter(|e| e.kind == ChainEntryKind::PrunedAccessEvents) {
        let bytes = store.audit_leaves(e.area_id, e.seq).await?;
        let ids = chain::parse_id_list(&bytes);
        if chain::id_list_root(&bytes) != e.root || ids.as_ref().map(|i| i.len() as i64) != Some(e.row_count) {
            report.problems.push(Problem::EntryRowsChanged { area_id: e.area_id, seq: e.seq });
        }
        let cutoff = e.cutoff.unwrap_or(e.at);
        if cutoff > e.at - chrono::Duration::days(MIN_RETENTION_DAYS) {
            report.problems.push(Problem::PruneTooRecent { area_id: e.area_id, seq: e.seq });
            continue;
        }
        pruned.extend(ids.unwrap_or_default().into_iter().map(|id| (id, cutoff.timestamp())));
    }
    pruned.sort_unstable();

    // The first pass: each area's chain, in order.
    let mut by_area: BTreeMap<i64, Vec<&ChainEntry>> = BTreeMap::new();
    for e in &entries {
        by_area.entry(e.area_id).or_default().push(e);
    }
    for (area_id, chain) in &by_area {
        if !wanted(*area_id) {
            continue;
        }
        let mut before: Option<&ChainEntry> = None;
        for e in chain {
            if recent(e) {
                report.entries_checked += 1;
                match before {
                    None if e.seq != 1 => report.problems.push(Problem::EntryMissing { area_id: *area_id, after: 0, next: e.seq }),
                    None if e.prev_hash != chain::GENESIS => report.problems.push(Problem::LinkBroken { area_id: *area_id, seq: e.seq }),
                    Some(b) if e.seq != b.seq + 1 => report.problems.push(Problem::EntryMissing { area_id: *area_id, after: b.seq, next: e.seq }),
                    Some(b) if e.prev_hash != b.hash => report.problems.push(Problem::LinkBroken { area_id: *area_id, seq: e.seq }),
                    _ => {}
                }
                if chain::entry_hash(e) != e.hash {
                    report.problems.push(Problem::EntryChanged { area_id: *area_id, seq: e.seq });
                }
            }
            before = Some(e);
        }
        if let Some(head) = chain.last() {
            report.heads.push((*area_id, head.seq, head.hash.clone(), head.at));
        }
    }

    // The second pass: each sealed batch, stream by stream, in id order.
    let mut batches: BTreeMap<(AuditStream, i64, i64), Vec<&ChainEntry>> = BTreeMap::new();
    for e in &entries {
        if let (ChainEntryKind::Sealed(stream), Some(first), Some(last)) = (e.kind, e.first_id, e.last_id) {
            batches.entry((stream, first, last)).or_default().push(e);
        }
    }
    let mut previous: HashMap<AuditStream, i64> = HashMap::new();
    for ((stream, first, last), seals) in &batches {
        let covered_to = previous.insert(*stream, *last).unwrap_or(0);
        report.sealed_up_to.insert(*stream, (*last).max(covered_to));
        if !seals.iter().any(|e| recent(e)) {
            continue;
        }
        if *first != covered_to + 1 && (scope.since.is_none() || *first > covered_to + 1) {
            report.problems.push(Problem::BatchGap { stream: *stream, from: covered_to + 1, to: *first - 1 });
        }
        check_batch(store, *stream, *first, *last, seals, &pruned, &mut report).await?;
    }

    for digest in &scope.digests {
        if !entries.iter().any(|e| e.hash.eq_ignore_ascii_case(digest.trim())) {
            report.problems.push(Problem::DigestNotFound { digest: digest.clone() });
        }
    }
    report.problems.retain(|p| p.area_id().is_none_or(wanted));
    Ok(report)
}

/// Compares one batch's rows with its seals.
async fn check_batch(
    store: &dyn Store,
    stream: AuditStream,
    first: i64,
    last: i64,
    seals: &[&ChainEntry],
    pruned: &[(i64, i64)],
    report: &mut Report,
) -> StoreResult<()> {
    // Every leaf of the batch, whichever area's, by id; and by content, to recognise moves.
    let mut leaves: BTreeMap<i64, (Leaf, &ChainEntry)> = BTreeMap::new();
    let mut by_digest: HashMap<[u8; 16], i64> = HashMap::new();
    for e in seals {
        let bytes = store.audit_leaves(e.area_id, e.seq).await?;
        let parsed = chain::Leaf::parse_all(&bytes).unwrap_or_default();
        if chain::merkle_root(&parsed) != e.root || parsed.len() as i64 != e.row_count {
            report.problems.push(Problem::EntryRowsChanged { area_id: e.area_id, seq: e.seq });
        }
        for l in parsed {
            leaves.insert(l.id, (l, e));
            by_digest.insert(l.digest, l.id);
        }
    }
    let rows = store.audit_rows(stream, first - 1, Some(last), i64::MAX).await?;
    let mut moved_from = std::collections::HashSet::new();
    for r in &rows {
        *report.rows_checked.entry(stream).or_default() += 1;
        let digest = chain::row_digest(stream, &r.fields);
        match leaves.get(&r.id) {
            Some((l, _)) if l.digest == digest && l.secs == r.at.timestamp() => continue,
            _ => {}
        }
        if let Some(&sealed_as) = by_digest.get(&digest).filter(|&&other| other != r.id) {
            let (_, e) = leaves[&sealed_as];
            moved_from.insert(sealed_as);
            report.problems.push(Problem::RowMoved { stream, id: r.id, sealed_as, area_id: e.area_id, seq: e.seq });
        } else if let Some((_, e)) = leaves.get(&r.id) {
            report.problems.push(Problem::RowChanged { stream, id: r.id, area_id: e.area_id, seq: e.seq });
        } else {
            report.problems.push(Problem::RowInserted { stream, id: r.id, area_id: r.area_id });
        }
    }
    let present: std::collections::HashSet<i64> = rows.iter().map(|r| r.id).collect();
    for (id, (leaf, e)) in &leaves {
        if present.contains(id) || moved_from.contains(id) {
            continue;
        }
        // Retention listed the row, and the row was older than the cutoff it deleted by.
        let by_retention = stream == AuditStream::AccessEvents && {
            let at = pruned.partition_point(|(p, _)| p < id);
            pruned[at..].iter().take_while(|(p, _)| p == id).any(|(_, cutoff)| leaf.secs < *cutoff)
        };
        if by_retention {
            report.rows_pruned += 1;
        } else {
            report.problems.push(Problem::RowDeleted { stream, id: *id, area_id: e.area_id, seq: e.seq });
        }
    }
    Ok(())
}
