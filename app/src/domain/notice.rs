//! Privacy notices as their editors write them: Markdown rendered by one function on the
//! server, for the published page and the editor's live preview alike (so the preview is the
//! page, and the renderer is not in the bundle patients download); the formats a notice is
//! published in; and a word-level diff between two versions.

#[cfg(feature = "ssr")]
use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// Renders a notice's Markdown to HTML that cannot run script or load anything: raw HTML is
/// shown as text, images become their description (a picture from elsewhere would tell its
/// host who read the notice), and links go only to web pages, email, phone numbers or places
/// on this site.
#[cfg(feature = "ssr")]
pub fn render(markdown: &str) -> NoticeHtml {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut skipped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(markdown, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let safe = safe_link(&dest_url);
            skipped_links.push(!safe);
            safe.then_some(Event::Start(Tag::Link { link_type, dest_url, title, id }))
        }
        Event::End(TagEnd::Link) => match skipped_links.pop() {
            Some(true) => None,
            _ => Some(Event::End(TagEnd::Link)),
        },
        other => Some(other),
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    NoticeHtml(out)
}

/// HTML that [`render`] made from Markdown: the only HTML the portal puts into a page as HTML
/// (`inner_html`). Everything else is text, escaped by the view.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct NoticeHtml(String);

impl NoticeHtml {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

#[cfg(feature = "ssr")]
fn safe_link(url: &CowStr) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    let scheme_end = lower.find(':');
    let path_end = lower.find(['/', '?', '#']).unwrap_or(lower.len());
    match scheme_end {
        // No scheme before the path: a place on this site ("/areas/x", "#rights", "page").
        Some(i) if i < path_end => ["https", "http", "mailto", "tel"].contains(&&lower[..i]),
        _ => !lower.starts_with("//"),
    }
}

/// The forms a notice is published in: the main notice, an easy-read version, and versions in
/// other languages, each a notice of its own with its own versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoticeVariant {
    Main,
    EasyRead,
    Language(&'static str),
}

/// Languages offered for translated notices: code, name in the language, name in English.
/// Those most spoken in England after English, and Welsh.
pub const LANGUAGES: &[(&str, &str, &str)] = &[
    ("ar", "العربية", "Arabic"),
    ("bn", "বাংলা", "Bengali"),
    ("cy", "Cymraeg", "Welsh"),
    ("gu", "ગુજરાતી", "Gujarati"),
    ("lt", "Lietuvių", "Lithuanian"),
    ("pa", "ਪੰਜਾਬੀ", "Punjabi"),
    ("pl", "Polski", "Polish"),
    ("pt", "Português", "Portuguese"),
    ("ro", "Română", "Romanian"),
    ("so", "Soomaali", "Somali"),
    ("ur", "اردو", "Urdu"),
    ("zh", "中文", "Chinese"),
];

impl NoticeVariant {
    pub fn parse(s: &str) -> Option<NoticeVariant> {
        match s {
            "main" => Some(NoticeVariant::Main),
            "easy-read" => Some(NoticeVariant::EasyRead),
            code => LANGUAGES.iter().find(|(c, _, _)| *c == code).map(|(c, _, _)| NoticeVariant::Language(c)),
        }
    }

    pub fn all() -> impl Iterator<Item = NoticeVariant> {
        [NoticeVariant::Main, NoticeVariant::EasyRead].into_iter().chain(LANGUAGES.iter().map(|(c, _, _)| NoticeVariant::Language(c)))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NoticeVariant::Main => "main",
            NoticeVariant::EasyRead => "easy-read",
            NoticeVariant::Language(code) => code,
        }
    }

    /// How the page names it: in its own language, with English beside it.
    pub fn label(self) -> String {
        match self {
            NoticeVariant::Main => "Privacy notice".into(),
            NoticeVariant::EasyRead => "Easy read".into(),
            NoticeVariant::Language(code) => LANGUAGES
                .iter()
                .find(|(c, _, _)| *c == code)
                .map(|(_, own, english)| format!("{own} ({english})"))
                .unwrap_or_else(|| code.to_string()),
        }
    }

    /// The `lang` of the notice's text, where it is not English.
    pub fn lang(self) -> Option<&'static str> {
        match self {
            NoticeVariant::Language(code) => Some(code),
            _ => None,
        }
    }

    /// Text direction: Arabic and Urdu read right to left.
    pub fn dir(self) -> &'static str {
        match self {
            NoticeVariant::Language("ar" | "ur") => "rtl",
            _ => "ltr",
        }
    }
}

/// A piece of a word-level comparison of two texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffPart {
    Same(String),
    Added(String),
    Removed(String),
}

/// Words and the spaces between them, so that joining the pieces gives the text back.
fn words(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        if in_space.is_some_and(|s| s != space) {
            out.push(&text[start..i]);
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Word-level differences between two versions of a notice: the longest common run of words
/// is kept, everything else shown as removed or added. Common beginnings and endings are
/// trimmed first, so an edit to a long notice compares only the part around the edit.
pub fn word_diff(old: &str, new: &str) -> Vec<DiffPart> {
    let (a, b) = (words(old), words(new));
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // Longest common subsequence over the middle, by dynamic programming from the end.
    let (n, m) = (am.len(), bm.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] = if am[i] == bm[j] { lcs[at(i + 1, j + 1)] + 1 } else { lcs[at(i + 1, j)].max(lcs[at(i, j + 1)]) };
        }
    }
    let mut parts: Vec<DiffPart> = Vec::new();
    let mut push = |part: DiffPart| match (parts.last_mut(), &part) {
        (Some(DiffPart::Same(s)), DiffPart::Same(t)) | (Some(DiffPart::Added(s)), DiffPart::Added(t)) | (Some(DiffPart::Removed(s)), DiffPart::Removed(t)) => s.push_str(t),
        _ => parts.push(part),
    };
    push(DiffPart::Same(a[..prefix].concat()));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && am[i] == bm[j] {
            push(DiffPart::Same(am[i].to_string()));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[at(i + 1, j)] >= lcs[at(i, j + 1)]) {
            // Removed words first, then what replaced them, as people read a correction.
            push(DiffPart::Removed(am[i].to_string()));
            i += 1;
        } else {
            push(DiffPart::Added(bm[j].to_string()));
            j += 1;
        }
    }
    push(DiffPart::Same(a[a.len() - suffix..].concat()));
    parts.retain(|p| !matches!(p, DiffPart::Same(s) | DiffPart::Added(s) | DiffPart::Removed(s) if s.is_empty()));
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "ssr")]
    fn renders_headings_lists_tables_and_links() {
        let html = render("## Who we are\n\n- one\n- two\n\n[ICO](https://ico.org.uk) and [us](/areas/northshire)\n\n| a | b |\n|---|---|\n| 1 | 2 |").into_string();
        assert!(html.contains("<h2>Who we are</h2>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("<a href=\"https://ico.org.uk\">ICO</a>"));
        assert!(html.contains("<a href=\"/areas/northshire\">us</a>"));
        assert!(html.contains("<table>"));
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn nothing_written_can_run_script_or_load_from_elsewhere() {
        let html = render(
            "<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> more\n\n![tracker](https://evil.example/p.gif)\n\n[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](data:text/html,hi) [w](//evil.example)",
        )
        .into_string();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "raw HTML is shown as text: {html}");
        assert!(html.contains("tracker"), "an image becomes its description: {html}");
        assert!(!html.to_lowercase().contains("href=\"javascript"), "{html}");
        assert!(!html.contains("href=\"data:"), "{html}");
        assert!(!html.contains("href=\"//evil"), "{html}");
        assert!(html.contains('x') && html.contains('y'), "an unsafe link keeps its words: {html}");
    }

    #[test]
    fn links_to_email_and_phone_are_kept() {
        let html = render("[write](mailto:ig@example.nhs.uk) or [call](tel:+441234567890) or [rights](#your-rights)").into_string();
        assert!(html.contains("href=\"mailto:ig@example.nhs.uk\""));
        assert!(html.contains("href=\"tel:+441234567890\""));
        assert!(html.contains("href=\"#your-rights\""));
    }

    #[test]
    fn variants_round_trip_and_name_themselves() {
        for v in NoticeVariant::all() {
            assert_eq!(NoticeVariant::parse(v.as_str()), Some(v));
        }
        assert_eq!(NoticeVariant::parse("klingon"), None);
        assert_eq!(NoticeVariant::parse("cy").unwrap().label(), "Cymraeg (Welsh)");
        assert_eq!(NoticeVariant::parse("ur").unwrap().dir(), "rtl");
        assert_eq!(NoticeVariant::EasyRead.lang(), None);
    }

    fn shown(parts: &[DiffPart]) -> String {
        parts
            .iter()
            .map(|p| match p {
                DiffPart::Same(s) => s.clone(),
                DiffPart::Added(s) => format!("[+{s}]"),
                DiffPart::Removed(s) => format!("[-{s}]"),
            })
            .collect()
    }

    #[test]
    fn diffs_words_not_characters() {
        assert_eq!(shown(&word_diff("We keep it for 8 years.", "We keep it for 10 years.")), "We keep it for [-8][+10] years.");
        assert_eq!(shown(&word_diff("a b c", "a b c")), "a b c");
        assert_eq!(shown(&word_diff("", "new text")), "[+new text]");
        assert_eq!(shown(&word_diff("old text", "")), "[-old text]");
        assert_eq!(shown(&word_diff("one two three", "one three four")), "one [-two ]three[+ four]");
    }

    #[test]
    fn a_diff_puts_either_text_back_together() {
        let old = "## Who we are\n\nNorthshire Shared Care Record is run by\nthe trusts below.\n";
        let new = "## Who we are\n\nThe Northshire Shared Care Record is run jointly by\nthe trusts and councils below.\n";
        let parts = word_diff(old, new);
        let before: String = parts.iter().filter_map(|p| match p { DiffPart::Same(s) | DiffPart::Removed(s) => Some(s.as_str()), _ => None }).collect();
        let after: String = parts.iter().filter_map(|p| match p { DiffPart::Same(s) | DiffPart::Added(s) => Some(s.as_str()), _ => None }).collect();
        assert_eq!(before, old);
        assert_eq!(after, new);
    }
}
