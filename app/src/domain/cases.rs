//! What objections, subject access requests and access concerns have in common: they are
//! cases, with a kind, a reference the patient can quote, a status that only moves the ways
//! the law and the process allow, and the patient's own words and contact details.

use serde::{Deserialize, Serialize};
use std::fmt;
use unicode_segmentation::UnicodeSegmentation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseKind {
    Objection,
    AccessRequest,
    AccessConcern,
    /// A complaint about how the area handled something, or a request to look at a decision again.
    Complaint,
}

impl CaseKind {
    pub const ALL: [CaseKind; 4] = [CaseKind::Objection, CaseKind::AccessRequest, CaseKind::AccessConcern, CaseKind::Complaint];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::Objection => "objection",
            CaseKind::AccessRequest => "access_request",
            CaseKind::AccessConcern => "access_concern",
            CaseKind::Complaint => "complaint",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The first part of every reference of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            CaseKind::Objection => "OBJ",
            CaseKind::AccessRequest => "SAR",
            CaseKind::AccessConcern => "CON",
            CaseKind::Complaint => "CMP",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseKind::Objection => "Objection",
            CaseKind::AccessRequest => "Request for your information",
            CaseKind::AccessConcern => "Concern about who looked at your record",
            CaseKind::Complaint => "Complaint",
        }
    }

    /// The word a patient uses for one: "your objection".
    pub fn noun(self) -> &'static str {
        match self {
            CaseKind::Objection => "objection",
            CaseKind::AccessRequest => "request",
            CaseKind::AccessConcern => "concern",
            CaseKind::Complaint => "complaint",
        }
    }
}

/// Where a case stands. The patient sees [`CaseStatus::label`]; the transitions are checked by
/// [`CaseStatus::can_become`], so no part of the portal can skip a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    InformationNeeded,
    /// A complaint the area has acknowledged and is looking into.
    Acknowledged,
    Upheld,
    PartlyUpheld,
    Declined,
    /// A complaint looked into and not upheld.
    NotUpheld,
    /// An access concern answered by explaining why the access was proper.
    Explained,
    /// An access concern investigated, with no wrongdoing found.
    Investigated,
    Fulfilled,
    Withdrawn,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 11] = [
        CaseStatus::Received,
        CaseStatus::InformationNeeded,
        CaseStatus::Acknowledged,
        CaseStatus::Upheld,
        CaseStatus::PartlyUpheld,
        CaseStatus::Declined,
        CaseStatus::NotUpheld,
        CaseStatus::Explained,
        CaseStatus::Investigated,
        CaseStatus::Fulfilled,
        CaseStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::Received => "received",
            CaseStatus::InformationNeeded => "information_needed",
            CaseStatus::Acknowledged => "acknowledged",
            CaseStatus::NotUpheld => "not_upheld",
            CaseStatus::Upheld => "upheld",
            CaseStatus::PartlyUpheld => "partly_upheld",
            CaseStatus::Declined => "declined",
            CaseStatus::Explained => "explained",
            CaseStatus::Investigated => "investigated",
            CaseStatus::Fulfilled => "fulfilled",
            CaseStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Still waiting for a decision or a response.
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Received | CaseStatus::InformationNeeded | CaseStatus::Acknowledged)
    }

    /// The statuses of every open case, as stored.
    pub const OPEN: [CaseStatus; 3] = [CaseStatus::Received, CaseStatus::InformationNeeded, CaseStatus::Acknowledged];

    /// A decided case that a complaint can send back for a fresh decision: only a declined
    /// objection (one upheld in part has organisations already acting on it, which a fresh
    /// decision would have to unpick; the complaint's own outcome answers those).
    pub fn can_reopen(self, kind: CaseKind) -> bool {
        kind == CaseKind::Objection && self == CaseStatus::Declined
    }

    /// The legal moves. A closed case never reopens by these moves: a new objection or request
    /// is a new case, and a complaint's reopening is its own step ([`CaseStatus::can_reopen`]).
    pub fn can_become(self, next: CaseStatus, kind: CaseKind) -> bool {
        use CaseStatus::*;
        if !self.is_open() {
            return false;
        }
        match next {
            Received => self == InformationNeeded,
            InformationNeeded => self == Received && kind == CaseKind::AccessRequest,
            Acknowledged => self == Received && kind == CaseKind::Complaint,
            Upheld => kind != CaseKind::AccessRequest,
            PartlyUpheld => matches!(kind, CaseKind::Objection | CaseKind::Complaint),
            Declined => kind == CaseKind::Objection,
            NotUpheld => kind == CaseKind::Complaint,
            Explained | Investigated => kind == CaseKind::AccessConcern,
            Fulfilled => kind == CaseKind::AccessRequest,
            Withdrawn => true,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Received => "Received",
            CaseStatus::InformationNeeded => "We need more information",
            CaseStatus::Acknowledged => "Being looked into",
            CaseStatus::NotUpheld => "Not upheld",
            CaseStatus::Upheld => "Upheld",
            CaseStatus::PartlyUpheld => "Partly upheld",
            CaseStatus::Declined => "Declined",
            CaseStatus::Explained => "Explained",
            CaseStatus::Investigated => "Investigated",
            CaseStatus::Fulfilled => "Ready",
            CaseStatus::Withdrawn => "Withdrawn",
        }
    }

    /// The NHS tag colour for this status.
    pub fn tag_class(self) -> &'static str {
        match self {
            CaseStatus::Received | CaseStatus::Acknowledged => "nhsuk-tag nhsuk-tag--blue",
            CaseStatus::InformationNeeded => "nhsuk-tag nhsuk-tag--orange",
            CaseStatus::Upheld | CaseStatus::Fulfilled => "nhsuk-tag nhsuk-tag--green",
            CaseStatus::PartlyUpheld => "nhsuk-tag nhsuk-tag--yellow",
            CaseStatus::Declined | CaseStatus::NotUpheld => "nhsuk-tag nhsuk-tag--red",
            CaseStatus::Explained | CaseStatus::Investigated => "nhsuk-tag nhsuk-tag--purple",
            CaseStatus::Withdrawn => "nhsuk-tag nhsuk-tag--grey",
        }
    }
}

impl fmt::Display for CaseStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A case's reference, like `OBJ-7K3Q-9MXD`: a prefix for the kind and eight characters from
/// Crockford's base 32 (no I, L, O or U, so it reads aloud and types cleanly), 40 random bits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CaseReference(String);

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl CaseReference {
    /// Makes a reference from five random bytes (the caller supplies them, so this stays pure).
    pub fn from_random(kind: CaseKind, random: [u8; 5]) -> Self {
        let mut bits = random.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut chars = [0u8; 8];
        for c in chars.iter_mut().rev() {
            *c = ALPHABET[(bits & 31) as usize];
            bits >>= 5;
        }
        let s = std::str::from_utf8(&chars).unwrap_or("00000000");
        Self(format!("{}-{}-{}", kind.prefix(), &s[..4], &s[4..]))
    }

    /// Reads a reference as a person might type it: any case, spaces or missing dashes.
    pub fn parse(input: &str) -> Option<Self> {
        let clean: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if clean.len() != 11 || !clean.is_ascii() {
            return None;
        }
        let (prefix, body) = clean.split_at(3);
        CaseKind::ALL.into_iter().find(|k| k.prefix() == prefix)?;
        if !body.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        Some(Self(format!("{prefix}-{}-{}", &body[..4], &body[4..])))
    }

    pub fn kind(&self) -> CaseKind {
        CaseKind::ALL
            .into_iter()
            .find(|k| self.0.starts_with(k.prefix()))
            .unwrap_or(CaseKind::Objection)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CaseReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A count as people write it: 3000 as "3,000".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Counts characters the way a person does: a line break is one, an emoji or an accented
/// letter is one, whatever bytes or UTF-16 units it takes. The browser's character count uses
/// the same function, so the two never disagree.
pub fn count_characters(text: &str) -> usize {
    text.replace("\r\n", "\n").graphemes(true).count()
}

/// The patient's own words: trimmed, line endings made plain, 1 to `max` characters.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeText(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FreeTextError {
    #[error("is empty")]
    Empty,
    #[error("is too long")]
    TooLong { max: usize, count: usize },
}

/// Characters that carry nothing a reader can see and can hide or reorder what follows: control
/// characters (but line breaks and tabs), and the bidirectional embeddings, overrides and
/// isolates (an unclosed U+202E reverses every line after it on a case worker's screen).
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Text with the [`hidden`] characters taken out (a file's name, say).
pub fn visible(text: &str) -> String {
    text.chars().filter(|c| !hidden(*c)).collect()
}

/// Zero-width characters: allowed within words (some scripts need them), but they are not words.
fn invisible(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

impl FreeText {
    /// Reads a person's words: line endings made plain, control and direction-changing
    /// characters taken out, trimmed; empty when nothing visible is left.
    pub fn parse(input: &str, max: usize) -> Result<Self, FreeTextError> {
        let text: String = input.replace("\r\n", "\n").chars().filter(|c| !hidden(*c)).collect();
        let text = text.trim().to_string();
        if text.chars().all(invisible) {
            return Err(FreeTextError::Empty);
        }
        let count = count_characters(&text);
        if count > max {
            return Err(FreeTextError::TooLong { max, count });
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never print someone's words into a log by accident.
impl fmt::Debug for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FreeText({} characters)", count_characters(&self.0))
    }
}

/// How the patient wants to hear about their case. Notifications only ever say that there is
/// an update; the detail is behind sign-in.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", content = "to", rename_all = "snake_case")]
pub enum Contact {
    Email(String),
    Text(String),
    Post(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Select how we should contact you")]
    NoMethod,
    #[error("Enter an email address in the correct format, like name@example.com")]
    Email,
    #[error("Enter a UK mobile phone number, like 07700 900 982")]
    Mobile,
    #[error("Enter your postal address, including the postcode")]
    Address,
}

/// An email address GOV.UK Notify will send to (its rules are stricter than RFC 5322, which
/// allows quoted local parts and bare hosts no message could reach; a crate checking the RFC
/// would let through addresses Notify then refuses, and the patient would never hear): a local
/// part of letters, digits and ``.!#$%&'*+/=?^_`{|}~-`` without empty dots, and a domain of at
/// least two labels of letters, digits and inner hyphens, ending in a name of two letters or
/// more (or an `xn--` one). Anything invisible, a control or a direction mark fails.
fn valid_email(e: &str) -> bool {
    let Some((local, domain)) = e.rsplit_once('@') else { return false };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty() && l.chars().count() <= 63 && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c == '-' || c.is_alphanumeric())
    };
    let tld_ok = labels.last().is_some_and(|t| (t.chars().count() >= 2 && t.chars().all(char::is_alphabetic)) || (t.starts_with("xn--") && t.len() > 4));
    e.len() <= 254 && local_ok && domain.len() <= 253 && labels.len() >= 2 && labels.iter().all(label_ok) && tld_ok
}

impl Contact {
    /// Parses the chosen method and the detail given for it.
    pub fn parse(method: &str, email: &str, mobile: &str, address: &str) -> Result<Self, ContactError> {
        match method {
            "email" => {
                let e = email.trim();
                valid_email(e).then(|| Contact::Email(e.to_string())).ok_or(ContactError::Email)
            }
            "text" => {
                // "+44 (0)7700 900982" is written with the trunk 0 in brackets: it goes.
                let digits: String = mobile.replace("(0)", "").chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')')).collect();
                let national = digits
                    .strip_prefix("+44")
                    .or_else(|| digits.strip_prefix("0044"))
                    .or_else(|| digits.strip_prefix("44").filter(|rest| rest.len() == 10 && rest.starts_with('7')))
                    .map(|rest| format!("0{rest}"))
                    .unwrap_or(digits);
                let ok = national.len() == 11 && national.starts_with("07") && national.bytes().all(|b| b.is_ascii_digit());
                ok.then_some(Contact::Text(national)).ok_or(ContactError::Mobile)
            }
            "post" => {
                let a = address.replace("\r\n", "\n").trim().to_string();
                let lines = a.lines().filter(|l| !l.trim().is_empty()).count();
                (lines >= 2 && a.len() <= 500).then_some(Contact::Post(a)).ok_or(ContactError::Address)
            }
            _ => Err(ContactError::NoMethod),
        }
    }

    pub fn method(&self) -> &'static str {
        match self {
            Contact::Email(_) => "email",
            Contact::Text(_) => "text",
            Contact::Post(_) => "post",
        }
    }

    /// The address, number or postal address itself.
    pub fn value(&self) -> &str {
        match self {
            Contact::Email(s) | Contact::Text(s) | Contact::Post(s) => s,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Contact::Email(e) => format!("By email to {e}"),
            Contact::Text(m) => format!("By text message to {m}"),
            Contact::Post(_) => "By post".to_string(),
        }
    }

    /// For logs and the console's lists: enough to tell which, never the whole.
    pub fn masked(&self) -> String {
        match self {
            Contact::Email(e) => {
                let (local, domain) = e.split_once('@').unwrap_or((e, ""));
                format!("{}***@{domain}", local.chars().next().unwrap_or('*'))
            }
            Contact::Text(m) => format!("*******{}", &m[m.len().saturating_sub(4)..]),
            Contact::Post(_) => "postal address".to_string(),
        }
    }
}

impl fmt::Debug for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Contact({})", self.method())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_and_read_loosely() {
        let r = CaseReference::from_random(CaseKind::Objection, [0x3A, 0x91, 0xFF, 0x00, 0x7C]);
        assert!(r.as_str().starts_with("OBJ-"));
        assert_eq!(r.as_str().len(), 13);
        assert_eq!(CaseReference::parse(r.as_str()), Some(r.clone()));
        assert_eq!(CaseReference::parse(&r.as_str().to_lowercase().replace('-', " ")), Some(r.clone()));
        assert_eq!(r.kind(), CaseKind::Objection);
        let complaint = CaseReference::from_random(CaseKind::Complaint, [1, 2, 3, 4, 5]);
        assert!(complaint.as_str().starts_with("CMP-"));
        assert_eq!(CaseReference::parse(complaint.as_str()).map(|r| r.kind()), Some(CaseKind::Complaint));
        assert_eq!(CaseReference::from_random(CaseKind::AccessRequest, [0; 5]).as_str(), "SAR-0000-0000");
        assert_eq!(CaseReference::from_random(CaseKind::AccessRequest, [0xFF; 5]).as_str(), "SAR-ZZZZ-ZZZZ");
        assert_eq!(CaseReference::parse("OBJ-7K3Q-9MXI"), None, "I is not in the alphabet");
        assert_eq!(CaseReference::parse("XYZ-7K3Q-9MXD"), None);
        assert_eq!(CaseReference::parse("OBJ-7K3Q"), None);
    }

    #[test]
    fn characters_are_counted_as_people_count_them() {
        assert_eq!(count_characters("a\r\nb"), 3, "a line break is one character");
        assert_eq!(count_characters("👍🏽"), 1, "an emoji with a skin tone is one");
        assert_eq!(count_characters("e\u{301}"), 1, "a letter with a combining accent is one");
        assert_eq!(count_characters("🇬🇧"), 1, "a flag is one");
    }

    #[test]
    fn free_text_is_trimmed_and_limited() {
        assert_eq!(FreeText::parse("  \r\n ", 10), Err(FreeTextError::Empty));
        assert_eq!(FreeText::parse(&"é".repeat(10), 10).map(|t| t.as_str().chars().count()), Ok(10));
        assert_eq!(FreeText::parse(&"x".repeat(11), 10), Err(FreeTextError::TooLong { max: 10, count: 11 }));
        assert_eq!(FreeText::parse("one\r\ntwo", 10).unwrap().as_str(), "one\ntwo");
        assert_eq!(format!("{:?}", FreeText::parse("secret words", 100).unwrap()), "FreeText(12 characters)");
        // Control and direction-changing characters come out; invisible-only text is empty.
        assert_eq!(FreeText::parse("abc\u{0}def\u{202e}XYZ\u{7}\u{1b}[31m", 100).unwrap().as_str(), "abcdefXYZ[31m");
        assert_eq!(FreeText::parse("one\ttwo\nthree", 100).unwrap().as_str(), "one\ttwo\nthree");
        assert_eq!(FreeText::parse("\u{200b}\u{200b}\u{feff}", 10), Err(FreeTextError::Empty));
        assert_eq!(FreeText::parse("\u{2066}\u{2069}", 10), Err(FreeTextError::Empty));
        assert_eq!(FreeText::parse("\u{a0}\u{3000}", 10), Err(FreeTextError::Empty));
    }

    #[test]
    fn contacts_are_checked_for_their_method() {
        assert_eq!(Contact::parse("email", " a.b@example.nhs.uk ", "", ""), Ok(Contact::Email("a.b@example.nhs.uk".into())));
        assert_eq!(Contact::parse("email", "a.b@", "", ""), Err(ContactError::Email));
        assert_eq!(Contact::parse("email", "a b@x.com", "", ""), Err(ContactError::Email));
        // What GOV.UK Notify would refuse is refused here, so a patient is never silently unreachable.
        for bad in [
            "a\u{0}b@example.com",
            "a\u{7}b@example.com",
            "a\u{202e}b@example.com",
            "\u{200b}@example.com",
            "\u{fffd}\u{fffd}@example.com",
            "a@example..com",
            "a@-example-.com",
            ".a@example.com",
            "a.@example.com",
            "a..b@example.com",
            "a@localhost",
            "a@example.c",
            "a@example.123",
            "a@b@example.com",
            "\"quoted\"@example.com",
        ] {
            assert_eq!(Contact::parse("email", bad, "", ""), Err(ContactError::Email), "{bad:?}");
        }
        for good in ["jo.bloggs+scr@nhs.net", "o'neill@example.co.uk", "a@xn--bcher-kva.example", "x_y-z@sub.example.org"] {
            assert_eq!(Contact::parse("email", good, "", ""), Ok(Contact::Email(good.into())), "{good:?}");
        }
        for (written, national) in [("+44 (0)7700 900982", "07700900982"), ("447700900982", "07700900982"), ("0044 7700 900982", "07700900982"), ("07700-900-982", "07700900982")] {
            assert_eq!(Contact::parse("text", "", written, ""), Ok(Contact::Text(national.into())), "{written:?}");
        }
        assert_eq!(Contact::parse("text", "", "441134960000", ""), Err(ContactError::Mobile), "a landline with the country code");
        assert_eq!(Contact::parse("text", "", "+44 7700 900982", ""), Ok(Contact::Text("07700900982".into())));
        assert_eq!(Contact::parse("text", "", "0113 496 0000", ""), Err(ContactError::Mobile));
        assert_eq!(Contact::parse("post", "", "", "1 High Street\r\nLeeds LS1 1AA"), Ok(Contact::Post("1 High Street\nLeeds LS1 1AA".into())));
        assert_eq!(Contact::parse("post", "", "", "Leeds"), Err(ContactError::Address));
        assert_eq!(Contact::parse("", "a@b.com", "", ""), Err(ContactError::NoMethod));
        assert_eq!(Contact::Email("jo@example.com".into()).masked(), "j***@example.com");
        assert_eq!(Contact::Text("07700900982".into()).masked(), "*******0982");
    }

    #[test]
    fn closed_cases_never_move_and_each_kind_has_its_own_ending() {
        use CaseStatus::*;
        assert!(Received.can_become(Upheld, CaseKind::Objection));
        assert!(!Received.can_become(Fulfilled, CaseKind::Objection));
        assert!(Received.can_become(InformationNeeded, CaseKind::AccessRequest));
        assert!(!Received.can_become(InformationNeeded, CaseKind::Objection));
        assert!(InformationNeeded.can_become(Received, CaseKind::AccessRequest));
        assert!(Received.can_become(Fulfilled, CaseKind::AccessRequest));
        assert!(!Received.can_become(Declined, CaseKind::AccessRequest));
        assert!(Received.can_become(Explained, CaseKind::AccessConcern));
        assert!(!Received.can_become(Explained, CaseKind::Objection));
        assert!(!Received.can_become(Declined, CaseKind::AccessConcern));
        assert!(Received.can_become(Acknowledged, CaseKind::Complaint));
        assert!(!Received.can_become(Acknowledged, CaseKind::Objection));
        assert!(Acknowledged.is_open());
        for ending in [Upheld, PartlyUpheld, NotUpheld, Withdrawn] {
            assert!(Acknowledged.can_become(ending, CaseKind::Complaint), "{ending}");
            assert!(Received.can_become(ending, CaseKind::Complaint), "an answer in time is also its acknowledgement: {ending}");
        }
        assert!(!Acknowledged.can_become(Declined, CaseKind::Complaint), "a complaint is upheld or not, never declined");
        assert!(!Received.can_become(NotUpheld, CaseKind::Objection));
        assert!(Declined.can_reopen(CaseKind::Objection));
        assert!(!PartlyUpheld.can_reopen(CaseKind::Objection) && !Upheld.can_reopen(CaseKind::Objection));
        assert!(!NotUpheld.can_reopen(CaseKind::Complaint) && !Received.can_reopen(CaseKind::Objection));
        assert_eq!(CaseStatus::OPEN.iter().filter(|s| s.is_open()).count(), CaseStatus::ALL.iter().filter(|s| s.is_open()).count());
        for closed in [Upheld, PartlyUpheld, Declined, NotUpheld, Explained, Investigated, Fulfilled, Withdrawn] {
            for next in CaseStatus::ALL {
                for kind in CaseKind::ALL {
                    assert!(!closed.can_become(next, kind), "{closed} must not become {next}");
                }
            }
        }
    }
}
