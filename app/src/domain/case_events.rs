//! The words cases speak between the portal's parts: what kind of line a timeline entry is,
//! and which message a patient is sent. Stored as text; typed everywhere else.

use serde::{Deserialize, Serialize};

/// An enum stored as snake_case text, with `ALL`, `as_str` and `parse`.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum! {
    /// What happened, on one line of a case's timeline.
    CaseEventKind {
        Received => "received",
        Withdrawn => "withdrawn",
        Claimed => "claimed",
        Released => "released",
        Assigned => "assigned",
        Note => "note",
        InformationNeeded => "information_needed",
        InformationReceived => "information_received",
        Extended => "extended",
        Decided => "decided",
        ResponseCompiled => "response_compiled",
        Fulfilled => "fulfilled",
        EffectApplied => "effect_applied",
        DocumentAdded => "document_added",
        Downloaded => "downloaded",
        Acknowledged => "acknowledged",
        Updated => "updated",
        Reopened => "reopened",
        Withheld => "withheld",
    }
}

text_enum! {
    /// The kind of update a message tells the patient about. The message itself never says
    /// more than that there is an update and the case's reference.
    MessageTemplate {
        Received => "received",
        InformationNeeded => "information_needed",
        Extended => "extended",
        Decided => "decided",
        Fulfilled => "fulfilled",
        Updated => "updated",
        /// Not about a case: the patient asked to be told when their record is looked at.
        RecordLooked => "record_looked_at",
    }
}

impl MessageTemplate {
    /// What the message says: the update, never what it is about (the same words the patient
    /// gets, and what staff see was sent).
    pub fn patient_text(self) -> &'static str {
        match self {
            MessageTemplate::Received => "We have received it.",
            MessageTemplate::InformationNeeded => "We need more information from you.",
            MessageTemplate::Decided => "There is a decision.",
            MessageTemplate::Fulfilled => "Your information is ready.",
            MessageTemplate::Extended | MessageTemplate::Updated => "There is an update.",
            MessageTemplate::RecordLooked => "There is something new to see in your access log.",
        }
    }

    /// How staff see it in the case's list of messages.
    pub fn label(self) -> &'static str {
        match self {
            MessageTemplate::Received => "received",
            MessageTemplate::InformationNeeded => "information needed",
            MessageTemplate::Extended => "extended",
            MessageTemplate::Decided => "decided",
            MessageTemplate::Fulfilled => "fulfilled",
            MessageTemplate::Updated => "update",
            MessageTemplate::RecordLooked => "record looked at",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_itself() {
        for k in CaseEventKind::ALL {
            assert_eq!(CaseEventKind::parse(k.as_str()), Some(*k));
        }
        for t in MessageTemplate::ALL {
            assert_eq!(MessageTemplate::parse(t.as_str()), Some(*t));
        }
        assert_eq!(CaseEventKind::parse("nonsense"), None);
    }
}
