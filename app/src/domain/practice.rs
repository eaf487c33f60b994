//! GP surgeries as a person knows them: by name, by postcode, or (rarely) by code. What a
//! search box holds is read here once, into one of those; the stores only match.

use std::fmt;

/// A UK postcode, held as it is written: upper case, one space before the last three
/// characters ("NS1 4AB"). Only its shape is checked: the portal has no list of real postcodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Postcode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostcodeError {
    Empty,
    Malformed,
}

impl fmt::Display for PostcodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PostcodeError::Empty => "Enter the postcode",
            PostcodeError::Malformed => "Enter a real postcode, like NS1 4AB",
        })
    }
}

/// Whether `s` has the shape of a postcode's first half: A9, A99, AA9, AA99, A9A or AA9A.
fn is_district(s: &str) -> bool {
    let b = s.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) {
        return false;
    }
    let rest = &b[letters..];
    match rest {
        [d] => d.is_ascii_digit(),
        [d, e] => d.is_ascii_digit() && (e.is_ascii_digit() || e.is_ascii_uppercase()),
        _ => false,
    }
}

/// Upper case with the spaces taken out.
fn squeezed(input: &str) -> String {
    input.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

impl Postcode {
    pub fn parse(input: &str) -> Result<Self, PostcodeError> {
        let s = squeezed(input);
        if s.is_empty() {
            return Err(PostcodeError::Empty);
        }
        if !(5..=7).contains(&s.len()) || !s.is_ascii() {
            return Err(PostcodeError::Malformed);
        }
        let (outward, inward) = s.split_at(s.len() - 3);
        let i = inward.as_bytes();
        let inward_ok = i[0].is_ascii_digit() && i[1].is_ascii_uppercase() && i[2].is_ascii_uppercase();
        if !(is_district(outward) && inward_ok) {
            return Err(PostcodeError::Malformed);
        }
        Ok(Self(format!("{outward} {inward}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its district, the half before the space ("NS1").
    pub fn district(&self) -> &str {
        self.0.split(' ').next().unwrap_or_default()
    }

    /// Its area, the district's letters ("NS").
    pub fn area(&self) -> &str {
        let d = self.district();
        &d[..d.bytes().take_while(u8::is_ascii_uppercase).count()]
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The words a name or address is found by: lower case, letters and digits only, apostrophes
/// dropped ("St Mary's" is found by "st marys" and "mary"), everything else a space.
pub fn search_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            continue;
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// What a practice is found by in the stores: the words of its name, address and postcode,
/// each after a space, so a search word matches the start of a word with `LIKE '% word%'`
/// ("hillv" finds Hillview; "ary" does not find Mary).
pub fn search_text(name: &str, address: &str, postcode: Option<&Postcode>) -> String {
    let mut words = search_words(name);
    words.extend(search_words(address));
    if let Some(p) = postcode {
        words.extend(search_words(p.as_str()));
    }
    format!(" {} ", words.join(" "))
}

/// What a person typed to find their GP surgery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PracticeSearch {
    /// A GP practice code (a letter and five digits, like Y90001).
    Code(crate::domain::OdsCode),
    /// A whole postcode: theirs or the surgery's.
    Postcode(Postcode),
    /// The first half of a postcode ("NS1").
    District(String),
    /// Words of the surgery's name or address.
    Words(Vec<String>),
}

/// Why a search cannot be made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PracticeSearchError {
    Empty,
    TooShort,
    TooLong,
}

impl fmt::Display for PracticeSearchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PracticeSearchError::Empty => "Enter your GP surgery\u{2019}s name, or a postcode",
            PracticeSearchError::TooShort => "Enter at least 2 letters of your GP surgery\u{2019}s name",
            PracticeSearchError::TooLong => "Enter your GP surgery\u{2019}s name in 100 characters or fewer",
        })
    }
}

/// The most words a name search uses: enough for any surgery's name and town.
pub const MOST_WORDS: usize = 8;

/// Reads what was typed: a practice code, a postcode or its first half, or words of a name.
pub fn read_practice_search(input: &str) -> Result<PracticeSearch, PracticeSearchError> {
    let input = input.trim();
    if input.chars().count() > 100 {
        return Err(PracticeSearchError::TooLong);
    }
    let s = squeezed(input);
    let b = s.as_bytes();
    if b.len() == 6 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit) {
        if let Ok(code) = crate::domain::OdsCode::parse(&s) {
            return Ok(PracticeSearch::Code(code));
        }
    }
    if let Ok(p) = Postcode::parse(input) {
        return Ok(PracticeSearch::Postcode(p));
    }
    if is_district(&s) && !input.trim().contains(' ') {
        return Ok(PracticeSearch::District(s));
    }
    let mut words = search_words(input);
    if words.is_empty() {
        return Err(PracticeSearchError::Empty);
    }
    if words.iter().map(|w| w.chars().count()).sum::<usize>() < 2 {
        return Err(PracticeSearchError::TooShort);
    }
    words.truncate(MOST_WORDS);
    Ok(PracticeSearch::Words(words))
}

/// A practice's details as an admin types them, checked: the name (up to 200 characters), the
/// address (optional, up to 300) and the postcode (optional). Each problem names its field.
/// A GP practice's details: its name, address (street and town, as on a letter; may be empty)
/// and postcode.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeDetails {
    pub name: String,
    pub address: String,
    pub postcode: Option<Postcode>,
}

/// Problems with what was typed, each naming its field.
pub type FieldErrors = Vec<(&'static str, String)>;

pub fn read_practice_details(name: &str, address: &str, postcode: &str) -> Result<PracticeDetails, FieldErrors> {
    use crate::domain::names::{parse_name, NameError};
    let mut errors = Vec::new();
    let name = parse_name(name, 200).map_err(|_| errors.push(("name", "Enter the practice\u{2019}s name, up to 200 characters".to_string()))).ok();
    let address = match address.trim() {
        "" => Some(""),
        a => match parse_name(a, 300) {
            Ok(a) => Some(a),
            Err(NameError::TooLong) => {
                errors.push(("address", "Enter the address in 300 characters or fewer".to_string()));
                None
            }
            Err(_) => {
                errors.push(("address", "Enter the address as it is written, without hidden characters".to_string()));
                None
            }
        },
    };
    let postcode = match postcode.trim() {
        "" => Some(None),
        p => Postcode::parse(p).map(Some).map_err(|e| errors.push(("postcode", e.to_string()))).ok(),
    };
    match (name, address, postcode) {
        (Some(n), Some(a), Some(p)) if errors.is_empty() => Ok(PracticeDetails { name: n.to_string(), address: a.to_string(), postcode: p }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_are_read_in_every_shape_and_written_one_way() {
        for (typed, held) in [("ns1 4ab", "NS1 4AB"), ("NS14AB", "NS1 4AB"), ("  sv12  3qt ", "SV12 3QT"), ("m1 1aa", "M1 1AA"), ("ec1a 1bb", "EC1A 1BB"), ("w1a0ax", "W1A 0AX")] {
            assert_eq!(Postcode::parse(typed).unwrap().as_str(), held, "{typed}");
        }
        let p = Postcode::parse("EC1A 1BB").unwrap();
        assert_eq!((p.district(), p.area()), ("EC1A", "EC"));
        for bad in ["", "NS1", "NS1 4A", "1NS 4AB", "NSX1 4AB", "NS1 A4B", "NS1 4AB2", "N\u{0}1 4AB", "ＮＳ１ ４ＡＢ", "NS1\u{202e}4AB"] {
            assert!(Postcode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn what_was_typed_is_read_as_a_code_a_postcode_or_a_name() {
        use PracticeSearch::*;
        assert!(matches!(read_practice_search(" y90001 "), Ok(Code(c)) if c.as_str() == "Y90001"));
        assert!(matches!(read_practice_search("ns1 4ab"), Ok(Postcode(p)) if p.as_str() == "NS1 4AB"));
        assert_eq!(read_practice_search("NS1"), Ok(District("NS1".into())));
        assert_eq!(read_practice_search("St Mary\u{2019}s Surgery"), Ok(Words(vec!["st".into(), "marys".into(), "surgery".into()])));
        assert_eq!(read_practice_search("hillview"), Ok(Words(vec!["hillview".into()])));
        // A place name is words, not a code, however short.
        assert_eq!(read_practice_search("Bury"), Ok(Words(vec!["bury".into()])));
        assert_eq!(read_practice_search(""), Err(PracticeSearchError::Empty));
        assert_eq!(read_practice_search("%_'"), Err(PracticeSearchError::Empty));
        assert_eq!(read_practice_search("a"), Err(PracticeSearchError::TooShort));
        assert_eq!(read_practice_search(&"a".repeat(101)), Err(PracticeSearchError::TooLong));
        let many = read_practice_search("a b c d e f g h i j k").unwrap();
        assert!(matches!(many, Words(w) if w.len() == MOST_WORDS));
        // Hostile input becomes plain words or nothing: no pattern characters reach a store.
        let Ok(Words(w)) = read_practice_search("</textarea><img onerror=alert(1)>") else { panic!() };
        assert!(w.iter().all(|w| w.chars().all(char::is_alphanumeric)), "{w:?}");
        let Ok(Words(w)) = read_practice_search("river\u{0}side\u{202e}") else { panic!() };
        assert_eq!(w, ["river", "side"]);
    }

    #[test]
    fn an_admin_gives_a_name_and_may_give_an_address_and_postcode() {
        let d = read_practice_details(" Hillview Surgery ", " 3 Hill Street, Northtown ", "ns2 7qx").unwrap();
        assert_eq!((d.name.as_str(), d.address.as_str(), d.postcode.unwrap().as_str()), ("Hillview Surgery", "3 Hill Street, Northtown", "NS2 7QX"));
        assert_eq!(read_practice_details("Hillview Surgery", "", "").unwrap().postcode, None);
        let errors = read_practice_details("", &"x".repeat(301), "NS2").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["name", "address", "postcode"]);
        let errors = read_practice_details("Hillview", "3 Hill St\u{202e}", "NS2 7QX").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["address"]);
    }

    #[test]
    fn a_practice_is_found_by_its_words_and_squeezed_postcode() {
        let text = search_text("St Mary's Surgery", "1 Church Lane, Northtown", Postcode::parse("NS2 7QX").ok().as_ref());
        assert_eq!(text, " st marys surgery 1 church lane northtown ns2 7qx ");
    }
}
