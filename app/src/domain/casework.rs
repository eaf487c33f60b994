//! What staff may do to a case, decided once. Every action a case worker or IG lead takes is a
//! [`CaseCommand`], parsed from the form at the edge; [`check`] says whether this person may
//! take it on this case as it stands, and the case page's "can do X" flags call the same
//! function, so the page never offers what the handler refuses, nor the reverse. The store
//! then applies the change only if the case is still as the worker saw it.

use super::complaint::ComplaintOutcome;
use super::objection::{DataCategory, FieldErrors};
use super::{CaseAccess, CaseKind, CaseStatus, FreeText};
use serde::{Deserialize, Serialize};

/// A staff action on a case; its `as_str` is the last part of the form's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CaseAction {
    Claim,
    Release,
    Assign,
    Note,
    Decide,
    DecideConcern,
    Ask,
    RecordReceived,
    Extend,
    Fulfil,
    RecordEffect,
    AddDocument,
    Acknowledge,
    UpdateComplainant,
    DecideComplaint,
    Reopen,
    Withhold,
}

impl CaseAction {
    pub const ALL: [CaseAction; 17] = [
        CaseAction::Claim,
        CaseAction::Release,
        CaseAction::Assign,
        CaseAction::Note,
        CaseAction::Decide,
        CaseAction::DecideConcern,
        CaseAction::Ask,
        CaseAction::RecordReceived,
        CaseAction::Extend,
        CaseAction::Fulfil,
        CaseAction::RecordEffect,
        CaseAction::AddDocument,
        CaseAction::Acknowledge,
        CaseAction::UpdateComplainant,
        CaseAction::DecideComplaint,
        CaseAction::Reopen,
        CaseAction::Withhold,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseAction::Claim => "claim",
            CaseAction::Release => "release",
            CaseAction::Assign => "assign",
            CaseAction::Note => "note",
            CaseAction::Decide => "decide",
            CaseAction::DecideConcern => "decide-concern",
            CaseAction::Ask => "ask",
            CaseAction::RecordReceived => "received",
            CaseAction::Extend => "extend",
            CaseAction::Fulfil => "fulfil",
            CaseAction::RecordEffect => "effect-applied",
            CaseAction::AddDocument => "documents",
            CaseAction::Acknowledge => "acknowledge",
            CaseAction::UpdateComplainant => "update",
            CaseAction::DecideComplaint => "decide-complaint",
            CaseAction::Reopen => "reopen",
            CaseAction::Withhold => "withhold",
        }
    }

    pub fn parse(s: &str) -> Option<CaseAction> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The person acting, as far as the rules care.
#[derive(Debug, Clone, Copy)]
pub struct Worker<'a> {
    pub subject: &'a str,
    /// What their roles in the case's area let them do with its cases.
    pub access: CaseAccess,
    /// They are an information governance lead of the case's area.
    pub ig_lead: bool,
}

/// The case, as far as the rules care.
#[derive(Debug, Clone, Copy)]
pub struct CaseState<'a> {
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub assignee: Option<&'a str>,
    pub extension_months: u32,
    /// Who may not decide it: whoever decided it before a complaint reopened it (one subject
    /// a line: each reopening adds whoever decided it that time).
    pub barred: Option<&'a str>,
    /// For a complaint: the decision it challenges can be sent back for a fresh one.
    pub about_reopenable: bool,
}

/// Why an action is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Their role shows who a case is about, not what they wrote: they cannot act on it.
    ReadOnly,
    /// Concerns about access are decided by the area's information governance lead.
    NotIgLead,
    /// Not at this point in the case (someone else has moved it on, or it is the wrong kind).
    NotNow,
    /// They made the decision a complaint sent back: someone else makes the fresh one.
    DecidedBefore,
}

impl Refusal {
    pub fn explain(self) -> &'static str {
        match self {
            Refusal::ReadOnly => "Your role lets you see who a case is about, not act on it.",
            Refusal::NotIgLead => "Only the area's information governance lead works concerns about access and complaints.",
            Refusal::NotNow => "This case has moved on. Check it and try again.",
            Refusal::DecidedBefore => "You made the decision a complaint sent back, so a different case worker makes the fresh decision.",
        }
    }
}

/// Whether `subject` is among those a reopened case's fresh decision must not come from.
pub fn is_barred(barred: Option<&str>, subject: &str) -> bool {
    barred.is_some_and(|list| list.lines().any(|s| s == subject))
}

/// Whether `worker` may take `action` on `case` as it stands.
pub fn check(action: CaseAction, case: CaseState<'_>, worker: Worker<'_>) -> Result<(), Refusal> {
    use CaseAction::*;
    use CaseStatus::*;
    if worker.access != CaseAccess::Full {
        return Err(Refusal::ReadOnly);
    }
    // Concerns about access and complaints are the IG lead's; anyone who works cases may add a note.
    let ig_leads_only = action == DecideConcern || (case.kind == CaseKind::Complaint && action != Note);
    if ig_leads_only && !worker.ig_lead {
        return Err(Refusal::NotIgLead);
    }
    if matches!(action, Claim | Decide) && is_barred(case.barred, worker.subject) {
        return Err(Refusal::DecidedBefore);
    }
    let complaint = case.kind == CaseKind::Complaint;
    let s = case.status;
    let request = case.kind == CaseKind::AccessRequest;
    let allowed = match action {
        // Only an open case is worked; a closed one takes notes and nothing else.
        Claim => case.assignee.is_none() && s.is_open(),
        Release => case.assignee == Some(worker.subject),
        // Notes and assignment are for any case, closed ones included.
        Assign | Note => true,
        Decide => case.kind == CaseKind::Objection && s.can_become(Declined, case.kind),
        DecideConcern => case.kind == CaseKind::AccessConcern && s.can_become(Explained, case.kind),
        Ask => s.can_become(InformationNeeded, case.kind),
        RecordReceived => request && s.can_become(Received, case.kind),
        Extend => request && s.is_open() && case.extension_months < 2,
        // A response goes once everything asked of the patient has come.
        Fulfil | AddDocument | Withhold => s == Received && s.can_become(Fulfilled, case.kind),
        RecordEffect => case.kind == CaseKind::Objection && matches!(s, Upheld | PartlyUpheld),
        Acknowledge => complaint && s.can_become(Acknowledged, case.kind),
        UpdateComplainant => complaint && s == Acknowledged,
        DecideComplaint => complaint && s.can_become(NotUpheld, case.kind),
        Reopen => complaint && s.is_open() && case.about_reopenable,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::NotNow)
    }
}

/// What the case page may offer: one flag per action, from [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offers {
    pub act: bool,
    pub claim: bool,
    pub release: bool,
    pub decide: bool,
    pub decide_concern: bool,
    pub ask: bool,
    pub resume: bool,
    pub extend: bool,
    pub fulfil: bool,
    pub record_effect: bool,
    pub acknowledge: bool,
    pub update: bool,
    pub decide_complaint: bool,
    pub reopen: bool,
    pub withhold: bool,
}

impl Offers {
    pub fn for_case(case: CaseState<'_>, worker: Worker<'_>) -> Offers {
        let can = |a| check(a, case, worker).is_ok();
        Offers {
            act: can(CaseAction::Note),
            claim: can(CaseAction::Claim),
            release: can(CaseAction::Release),
            decide: can(CaseAction::Decide),
            decide_concern: can(CaseAction::DecideConcern),
            ask: can(CaseAction::Ask),
            resume: can(CaseAction::RecordReceived),
            extend: can(CaseAction::Extend),
            fulfil: can(CaseAction::Fulfil),
            record_effect: can(CaseAction::RecordEffect),
            acknowledge: can(CaseAction::Acknowledge),
            update: can(CaseAction::UpdateComplainant),
            decide_complaint: can(CaseAction::DecideComplaint),
            reopen: can(CaseAction::Reopen),
            withhold: can(CaseAction::Withhold),
        }
    }
}

/// What a case worker found when deciding a concern about access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcernFinding {
    /// The access was part of the patient's care.
    Explained,
    /// Looked into, and found proper.
    Investigated,
    /// It should not have happened; something has been done.
    Upheld,
    /// Looked into with the employing organisation, which could not establish either way.
    Inconclusive,
}

impl ConcernFinding {
    pub fn status(self) -> CaseStatus {
        match self {
            ConcernFinding::Explained => CaseStatus::Explained,
            ConcernFinding::Investigated => CaseStatus::Investigated,
            ConcernFinding::Upheld => CaseStatus::Upheld,
            ConcernFinding::Inconclusive => CaseStatus::Investigated,
        }
    }

    /// The heading the patient reads.
    pub fn title(self) -> &'static str {
        match self {
            ConcernFinding::Explained => "We looked into it: the access was part of your care",
            ConcernFinding::Investigated => "We investigated and found the access was proper",
            ConcernFinding::Upheld => "We upheld your concern and have acted on it",
            ConcernFinding::Inconclusive => "We investigated but could not establish whether the access was proper",
        }
    }
}

/// What a case worker needs from the patient before answering a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InformationNeed {
    Identity,
    Clarification,
}

impl InformationNeed {
    pub fn as_str(self) -> &'static str {
        match self {
            InformationNeed::Identity => "identity",
            InformationNeed::Clarification => "clarification",
        }
    }

    /// The first line of what the patient reads.
    pub fn text(self) -> &'static str {
        match self {
            InformationNeed::Identity => "We need proof of your identity before we can answer your request.",
            InformationNeed::Clarification => "We need you to tell us more about what you want before we can answer your request.",
        }
    }
}

/// An objection's decision as the case worker chose it. Which template and organisations are
/// the area's is checked against the area's data by the service.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionDecision {
    pub outcome: CaseStatus,
    pub template: Option<i64>,
    pub own_words: String,
    pub organisations: Vec<String>,
    pub categories: Vec<DataCategory>,
}

/// A staff action with what the form said, parsed and checked field by field.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseCommand {
    Claim,
    Release,
    Assign { to: String },
    Note { text: FreeText },
    Decide(ObjectionDecision),
    DecideConcern { finding: ConcernFinding, explanation: FreeText, action_taken: String },
    Ask { need: InformationNeed, detail: FreeText },
    RecordReceived,
    Extend { months: u32, reason: String },
    Fulfil { note: String },
    RecordEffect { ods: String },
    /// The answer date as typed (day, month, year), read against the complaint's own dates
    /// when it is applied, and optional words for the patient.
    Acknowledge { answer_by: (String, String, String), words: String },
    UpdateComplainant { text: FreeText },
    DecideComplaint { outcome: ComplaintOutcome, explanation: FreeText, action_taken: String },
    Reopen,
    /// The form as sent: what can be withheld depends on the response, so it is read against
    /// the case when applied ([`crate::domain::withholding::read_withholding`]).
    Withhold(Vec<(String, String)>),
}

pub const NOTE_MAX: usize = 5000;
pub const DECISION_MAX: usize = 2000;
pub const ASK_MAX: usize = 1000;
pub const EXTENSION_REASON_MAX: usize = 1000;

fn one<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn all(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
}

fn problem(field: &str, message: &str) -> FieldErrors {
    vec![(field.to_string(), message.to_string())]
}

impl CaseCommand {
    pub fn action(&self) -> CaseAction {
        match self {
            CaseCommand::Claim => CaseAction::Claim,
            CaseCommand::Release => CaseAction::Release,
            CaseCommand::Assign { .. } => CaseAction::Assign,
            CaseCommand::Note { .. } => CaseAction::Note,
            CaseCommand::Decide(_) => CaseAction::Decide,
            CaseCommand::DecideConcern { .. } => CaseAction::DecideConcern,
            CaseCommand::Ask { .. } => CaseAction::Ask,
            CaseCommand::RecordReceived => CaseAction::RecordReceived,
            CaseCommand::Extend { .. } => CaseAction::Extend,
            CaseCommand::Fulfil { .. } => CaseAction::Fulfil,
            CaseCommand::RecordEffect { .. } => CaseAction::RecordEffect,
            CaseCommand::Acknowledge { .. } => CaseAction::Acknowledge,
            CaseCommand::UpdateComplainant { .. } => CaseAction::UpdateComplainant,
            CaseCommand::DecideComplaint { .. } => CaseAction::DecideComplaint,
            CaseCommand::Reopen => CaseAction::Reopen,
            CaseCommand::Withhold(_) => CaseAction::Withhold,
        }
    }

    /// The command a form posted, or what is wrong with its fields. Documents come as a file,
    /// not as fields, and are not parsed here.
    pub fn parse(action: CaseAction, f: &[(String, String)]) -> Result<CaseCommand, FieldErrors> {
        Ok(match action {
            CaseAction::Claim => CaseCommand::Claim,
            CaseAction::Release => CaseCommand::Release,
            CaseAction::RecordReceived => CaseCommand::RecordReceived,
            CaseAction::Assign => CaseCommand::Assign { to: one(f, "to").to_string() },
            CaseAction::Note => match FreeText::parse(one(f, "note"), NOTE_MAX) {
                Ok(text) => CaseCommand::Note { text },
                Err(_) => return Err(problem("note", "Enter a note of up to 5,000 characters")),
            },
            CaseAction::Decide => {
                let mut errors = Vec::new();
                let outcome = match one(f, "outcome") {
                    "upheld" => Some(CaseStatus::Upheld),
                    "partly_upheld" => Some(CaseStatus::PartlyUpheld),
                    "declined" => Some(CaseStatus::Declined),
                    _ => {
                        errors.push(("outcome".to_string(), "Choose a decision".to_string()));
                        None
                    }
                };
                let own_words = one(f, "reason").trim().to_string();
                if super::count_characters(&own_words) > DECISION_MAX {
                    errors.push(("reason".into(), "The explanation must be 2,000 characters or fewer".into()));
                }
                let categories = DataCategory::ALL.into_iter().filter(|c| all(f, "categories").iter().any(|s| s == c.as_str())).collect();
                match outcome {
                    Some(outcome) if errors.is_empty() => CaseCommand::Decide(ObjectionDecision {
                        outcome,
                        // Each decision offers its own reasons (`template-upheld`, …); a
                        // plain `template` is read too, for a form that has one list.
                        template: Some(one(f, &format!("template-{}", outcome.as_str())))
                            .filter(|t| !t.is_empty())
                            .unwrap_or_else(|| one(f, "template"))
                            .parse()
                            .ok(),
                        own_words,
                        organisations: all(f, "organisations"),
                        categories,
                    }),
                    _ => return Err(errors),
                }
            }
            CaseAction::DecideConcern => {
                let mut errors = Vec::new();
                let finding = match one(f, "outcome") {
                    "explained" => Some(ConcernFinding::Explained),
                    "investigated" => Some(ConcernFinding::Investigated),
                    "upheld" => Some(ConcernFinding::Upheld),
                    _ => {
                        errors.push(("outcome".to_string(), "Choose what you found".to_string()));
                        None
                    }
                };
                let explanation = FreeText::parse(one(f, "explanation"), DECISION_MAX).ok();
                if explanation.is_none() {
                    errors.push(("explanation".into(), "Explain what you found, in up to 2,000 characters".into()));
                }
                let action_taken = one(f, "action").trim().to_string();
                if finding == Some(ConcernFinding::Upheld) && action_taken.is_empty() {
                    errors.push(("action".into(), "Say what has been done about it".into()));
                }
                if super::count_characters(&action_taken) > DECISION_MAX {
                    errors.push(("action".into(), "Say what has been done in up to 2,000 characters".into()));
                }
                match (finding, explanation) {
                    (Some(finding), Some(explanation)) if errors.is_empty() => CaseCommand::DecideConcern { finding, explanation, action_taken },
                    _ => return Err(errors),
                }
            }
            CaseAction::Ask => {
                let mut errors = Vec::new();
                let need = match one(f, "need") {
                    "identity" => Some(InformationNeed::Identity),
                    "clarification" => Some(InformationNeed::Clarification),
                    _ => {
                        errors.push(("need".to_string(), "Choose what you need from the patient".to_string()));
                        None
                    }
                };
                let detail = FreeText::parse(one(f, "detail"), ASK_MAX).ok();
                if detail.is_none() {
                    errors.push(("detail".into(), "Tell the patient what to send and how, in up to 1,000 characters".into()));
                }
                match (need, detail) {
                    (Some(need), Some(detail)) => CaseCommand::Ask { need, detail },
                    _ => return Err(errors),
                }
            }
            CaseAction::Extend => {
                let months = match one(f, "months") {
                    "1" => 1,
                    "2" => 2,
                    _ => return Err(problem("months", "Choose how many months to extend by")),
                };
                let reason = one(f, "reason").trim().to_string();
                if super::count_characters(&reason) > EXTENSION_REASON_MAX {
                    return Err(problem("reason", "The reason must be 1,000 characters or fewer"));
                }
                CaseCommand::Extend { months, reason }
            }
            CaseAction::Fulfil => {
                let note = one(f, "note").trim().to_string();
                if super::count_characters(&note) > NOTE_MAX {
                    return Err(problem("note", "The note must be 5,000 characters or fewer"));
                }
                CaseCommand::Fulfil { note }
            }
            CaseAction::RecordEffect => CaseCommand::RecordEffect { ods: one(f, "ods").to_string() },
            CaseAction::AddDocument => return Err(problem("document", "Choose a file to add")),
            CaseAction::Acknowledge => {
                let words = one(f, "words").trim().to_string();
                if super::count_characters(&words) > DECISION_MAX {
                    return Err(problem("words", "What you tell the patient must be 2,000 characters or fewer"));
                }
                CaseCommand::Acknowledge {
                    answer_by: (one(f, "answer-by-day").into(), one(f, "answer-by-month").into(), one(f, "answer-by-year").into()),
                    words,
                }
            }
            CaseAction::UpdateComplainant => match FreeText::parse(one(f, "update"), DECISION_MAX) {
                Ok(text) => CaseCommand::UpdateComplainant { text },
                Err(_) => return Err(problem("update", "Tell the patient where their complaint stands, in up to 2,000 characters")),
            },
            CaseAction::DecideComplaint => {
                let mut errors = Vec::new();
                let outcome = ComplaintOutcome::parse(one(f, "outcome"));
                if outcome.is_none() {
                    errors.push(("outcome".to_string(), "Choose the outcome".to_string()));
                }
                let explanation = FreeText::parse(one(f, "explanation"), DECISION_MAX).ok();
                if explanation.is_none() {
                    errors.push(("explanation".into(), "Explain the outcome to the patient, in up to 2,000 characters".into()));
                }
                let action_taken = one(f, "action").trim().to_string();
                if matches!(outcome, Some(ComplaintOutcome::Upheld | ComplaintOutcome::PartlyUpheld)) && action_taken.is_empty() {
                    errors.push(("action".into(), "Say what has been done or will be done to put it right".into()));
                }
                if super::count_characters(&action_taken) > DECISION_MAX {
                    errors.push(("action".into(), "Say what has been done in up to 2,000 characters".into()));
                }
                match (outcome, explanation) {
                    (Some(outcome), Some(explanation)) if errors.is_empty() => CaseCommand::DecideComplaint { outcome, explanation, action_taken },
                    _ => return Err(errors),
                }
            }
            CaseAction::Reopen => CaseCommand::Reopen,
            CaseAction::Withhold => CaseCommand::Withhold(f.to_vec()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worker(access: CaseAccess, ig_lead: bool) -> Worker<'static> {
        Worker { subject: "me", access, ig_lead }
    }

    fn case(kind: CaseKind, status: CaseStatus) -> CaseState<'static> {
        CaseState { kind, status, assignee: None, extension_months: 0, barred: None, about_reopenable: false }
    }

    #[test]
    fn complaints_are_the_ig_leads_and_move_through_their_own_stages() {
        let (lead, worker_) = (worker(CaseAccess::Full, true), worker(CaseAccess::Full, false));
        let received = case(CaseKind::Complaint, CaseStatus::Received);
        for a in [CaseAction::Acknowledge, CaseAction::DecideComplaint, CaseAction::Claim, CaseAction::Reopen] {
            assert_eq!(check(a, received, worker_), Err(Refusal::NotIgLead), "{a:?}");
        }
        assert!(check(CaseAction::Note, received, worker_).is_ok(), "a case worker may still add a note");
        assert!(check(CaseAction::Acknowledge, received, lead).is_ok());
        assert!(check(CaseAction::DecideComplaint, received, lead).is_ok(), "an answer in time is also the acknowledgement");
        assert_eq!(check(CaseAction::UpdateComplainant, received, lead), Err(Refusal::NotNow), "updates follow the acknowledgement");
        assert_eq!(check(CaseAction::Reopen, received, lead), Err(Refusal::NotNow), "nothing to reopen");
        assert!(check(CaseAction::Reopen, CaseState { about_reopenable: true, ..received }, lead).is_ok());
        let acknowledged = case(CaseKind::Complaint, CaseStatus::Acknowledged);
        assert_eq!(check(CaseAction::Acknowledge, acknowledged, lead), Err(Refusal::NotNow));
        assert!(check(CaseAction::UpdateComplainant, acknowledged, lead).is_ok());
        assert!(check(CaseAction::DecideComplaint, acknowledged, lead).is_ok());
        for a in [CaseAction::Decide, CaseAction::DecideConcern, CaseAction::Ask, CaseAction::Fulfil, CaseAction::Extend] {
            assert_eq!(check(a, acknowledged, lead), Err(Refusal::NotNow), "{a:?}");
        }
        let answered = case(CaseKind::Complaint, CaseStatus::NotUpheld);
        for a in [CaseAction::Acknowledge, CaseAction::UpdateComplainant, CaseAction::DecideComplaint] {
            assert_eq!(check(a, CaseState { about_reopenable: true, ..answered }, lead), Err(Refusal::NotNow), "{a:?}");
        }
        assert_eq!(check(CaseAction::Reopen, CaseState { about_reopenable: true, ..answered }, lead), Err(Refusal::NotNow));
    }

    #[test]
    fn whoever_decided_a_reopened_objection_does_not_decide_it_again() {
        let w = worker(CaseAccess::Full, false);
        let reopened = CaseState { barred: Some("me"), ..case(CaseKind::Objection, CaseStatus::Received) };
        assert_eq!(check(CaseAction::Claim, reopened, w), Err(Refusal::DecidedBefore));
        assert_eq!(check(CaseAction::Decide, reopened, w), Err(Refusal::DecidedBefore));
        assert!(check(CaseAction::Note, reopened, w).is_ok());
        let twice = CaseState { barred: Some("first\nme"), ..reopened };
        assert_eq!(check(CaseAction::Decide, twice, w), Err(Refusal::DecidedBefore), "every earlier decider is barred, not only the last");
        assert!(is_barred(Some("first\nme"), "first") && !is_barred(Some("first\nme"), "firs") && !is_barred(None, "me"));
        let closed = case(CaseKind::Complaint, CaseStatus::Withdrawn);
        assert_eq!(check(CaseAction::Claim, closed, worker(CaseAccess::Full, true)), Err(Refusal::NotNow), "a closed case is not claimed");
        let other = Worker { subject: "someone else", ..w };
        assert!(check(CaseAction::Claim, reopened, other).is_ok() && check(CaseAction::Decide, reopened, other).is_ok());
        assert!(!Offers::for_case(reopened, w).decide && Offers::for_case(reopened, other).decide);
    }

    #[test]
    fn complaint_forms_say_what_is_missing() {
        let f = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let e = CaseCommand::parse(CaseAction::DecideComplaint, &f(&[("outcome", "upheld"), ("explanation", "We were wrong.")])).unwrap_err();
        assert_eq!(e[0].0, "action", "an upheld complaint says what is being done");
        assert!(matches!(
            CaseCommand::parse(CaseAction::DecideComplaint, &f(&[("outcome", "not_upheld"), ("explanation", "It was right.")])),
            Ok(CaseCommand::DecideComplaint { outcome: ComplaintOutcome::NotUpheld, .. })
        ));
        assert_eq!(CaseCommand::parse(CaseAction::DecideComplaint, &f(&[("outcome", "declined")])).unwrap_err()[0].0, "outcome");
        assert_eq!(CaseCommand::parse(CaseAction::UpdateComplainant, &f(&[("update", " ")])).unwrap_err()[0].0, "update");
        assert!(matches!(
            CaseCommand::parse(CaseAction::Acknowledge, &f(&[("answer-by-day", "1"), ("answer-by-month", "2"), ("answer-by-year", "2027")])),
            Ok(CaseCommand::Acknowledge { .. })
        ));
    }

    #[test]
    fn a_read_only_role_can_do_nothing() {
        let w = worker(CaseAccess::DemographicsOnly, false);
        for a in CaseAction::ALL {
            assert_eq!(check(a, case(CaseKind::Objection, CaseStatus::Received), w), Err(Refusal::ReadOnly), "{a:?}");
        }
        assert_eq!(Offers::for_case(case(CaseKind::Objection, CaseStatus::Received), w), Offers::default());
    }

    #[test]
    fn only_ig_leads_decide_concerns() {
        let c = case(CaseKind::AccessConcern, CaseStatus::Received);
        assert_eq!(check(CaseAction::DecideConcern, c, worker(CaseAccess::Full, false)), Err(Refusal::NotIgLead));
        assert_eq!(check(CaseAction::DecideConcern, c, worker(CaseAccess::Full, true)), Ok(()));
    }

    #[test]
    fn each_kind_has_its_own_actions() {
        let w = worker(CaseAccess::Full, true);
        let objection = case(CaseKind::Objection, CaseStatus::Received);
        let request = case(CaseKind::AccessRequest, CaseStatus::Received);
        assert!(check(CaseAction::Withhold, request, w).is_ok());
        assert_eq!(check(CaseAction::Withhold, objection, w), Err(Refusal::NotNow), "only a request's response has anything to withhold");
        assert_eq!(check(CaseAction::Withhold, case(CaseKind::AccessRequest, CaseStatus::Fulfilled), w), Err(Refusal::NotNow), "not once it is sent");
        assert!(check(CaseAction::Decide, objection, w).is_ok());
        assert_eq!(check(CaseAction::Decide, request, w), Err(Refusal::NotNow));
        assert!(check(CaseAction::Ask, request, w).is_ok());
        assert_eq!(check(CaseAction::Ask, objection, w), Err(Refusal::NotNow));
        assert!(check(CaseAction::Fulfil, request, w).is_ok());
        let waiting = case(CaseKind::AccessRequest, CaseStatus::InformationNeeded);
        assert_eq!(check(CaseAction::Fulfil, waiting, w), Err(Refusal::NotNow));
        assert!(check(CaseAction::RecordReceived, waiting, w).is_ok());
        assert!(check(CaseAction::Extend, waiting, w).is_ok());
        let extended = CaseState { extension_months: 2, ..waiting };
        assert_eq!(check(CaseAction::Extend, extended, w), Err(Refusal::NotNow));
    }

    #[test]
    fn closed_cases_take_notes_and_nothing_that_changes_them() {
        let w = worker(CaseAccess::Full, true);
        let decided = case(CaseKind::Objection, CaseStatus::Declined);
        assert!(check(CaseAction::Note, decided, w).is_ok());
        for a in [CaseAction::Decide, CaseAction::Ask, CaseAction::Extend, CaseAction::Fulfil, CaseAction::RecordEffect] {
            assert_eq!(check(a, decided, w), Err(Refusal::NotNow), "{a:?}");
        }
        assert!(check(CaseAction::RecordEffect, case(CaseKind::Objection, CaseStatus::Upheld), w).is_ok());
    }

    #[test]
    fn claiming_and_releasing_follow_the_assignee() {
        let w = worker(CaseAccess::Full, false);
        let mine = CaseState { assignee: Some("me"), ..case(CaseKind::Objection, CaseStatus::Received) };
        let theirs = CaseState { assignee: Some("them"), ..mine };
        assert_eq!(check(CaseAction::Claim, mine, w), Err(Refusal::NotNow));
        assert!(check(CaseAction::Release, mine, w).is_ok());
        assert_eq!(check(CaseAction::Release, theirs, w), Err(Refusal::NotNow));
    }

    #[test]
    fn every_action_reads_back_from_its_url() {
        for a in CaseAction::ALL {
            assert_eq!(CaseAction::parse(a.as_str()), Some(a));
        }
    }

    #[test]
    fn forms_parse_into_commands_or_say_what_is_wrong() {
        let f = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        assert_eq!(CaseCommand::parse(CaseAction::Decide, &f(&[])).unwrap_err()[0].0, "outcome");
        assert!(matches!(CaseCommand::parse(CaseAction::Decide, &f(&[("outcome", "declined"), ("reason", "x")])), Ok(CaseCommand::Decide(_))));
        assert_eq!(CaseCommand::parse(CaseAction::Extend, &f(&[("months", "3")])).unwrap_err()[0].0, "months");
        let ask = CaseCommand::parse(CaseAction::Ask, &f(&[])).unwrap_err();
        assert_eq!(ask.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), vec!["need", "detail"]);
        assert_eq!(CaseCommand::parse(CaseAction::Note, &f(&[("note", "  ")])).unwrap_err()[0].0, "note");
    }
}
