//! Names people type for other people to read (staff, areas, organisations, practices, sending
//! systems): one line, of a sensible length, with no control characters and no bidirectional
//! controls. A right-to-left override would make a name read differently from what it is
//! ("Dr Smith" shown as someone else), so names never carry one.

/// Why a name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("enter a name")]
    Empty,
    #[error("the name is too long")]
    TooLong,
    #[error("the name has characters that change how text is shown")]
    Hidden,
}

/// Bidirectional controls (embeddings, overrides, isolates, marks) and other invisible format
/// characters that can disguise text.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

/// A name, trimmed, when it is one a person can trust to read as written.
pub fn parse_name(s: &str, max_chars: usize) -> Result<&str, NameError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    if s.chars().count() > max_chars {
        return Err(NameError::TooLong);
    }
    if s.chars().any(is_hidden_control) {
        return Err(NameError::Hidden);
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_as_written() {
        assert_eq!(parse_name("  Helen Marsh ", 200), Ok("Helen Marsh"));
        assert_eq!(parse_name("Zoë O'Brien-Núñez", 200), Ok("Zoë O'Brien-Núñez"));
        assert_eq!(parse_name("محمد", 200), Ok("محمد"), "right-to-left script is fine");
        assert_eq!(parse_name("Dr \u{202E}htimS", 200), Err(NameError::Hidden), "a right-to-left override is not");
        assert_eq!(parse_name("a\u{2067}b", 200), Err(NameError::Hidden));
        assert_eq!(parse_name("a\u{200F}b", 200), Err(NameError::Hidden));
        assert_eq!(parse_name("line\nbreak", 200), Err(NameError::Hidden));
        assert_eq!(parse_name("nul\0", 200), Err(NameError::Hidden));
        assert_eq!(parse_name("   ", 200), Err(NameError::Empty));
        assert_eq!(parse_name(&"x".repeat(201), 200), Err(NameError::TooLong));
    }
}
