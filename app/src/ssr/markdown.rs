//! Markdown to HTML for published notices: pulldown-cmark renders, ammonia removes anything
//! that could run script or load from elsewhere.

use pulldown_cmark::{html, Options, Parser};

pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(markdown, options);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_headings_lists_and_links() {
        let html = render("## Who we are\n\n- one\n- two\n\n[ICO](https://ico.org.uk)");
        assert!(html.contains("<h2>Who we are</h2>"));
        assert!(html.contains("<li>one</li>"));
        assert!(html.contains("href=\"https://ico.org.uk\""));
    }

    #[test]
    fn strips_script_and_event_handlers() {
        let html = render("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))");
        assert!(!html.contains("<script"));
        assert!(!html.contains("onerror"));
        assert!(!html.contains("javascript:"));
    }
}
