//! Files the portal sends: attachments that never open as our page, and CSV written by one
//! writer (the `csv` crate) with spreadsheet formulas defused in every cell.

use axum::response::{IntoResponse, Response};

/// A file sent as a download, never shown inline (so nothing in it can run as our page).
pub fn attachment(file_name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let safe: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        h.insert(http::header::CONTENT_TYPE, v);
    }
    if let Ok(v) = http::HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(http::header::CONTENT_DISPOSITION, v);
    }
    h.insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    res
}

/// A CSV file being written, row by row.
pub struct Csv {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Self::new()
    }
}

impl Csv {
    pub fn new() -> Self {
        Csv { writer: csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new()) }
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        // Writing to memory cannot fail.
        let _ = self.writer.write_record(cells.into_iter().map(|c| defuse(c.as_ref()).into_owned()));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.writer.into_inner().unwrap_or_default()
    }
}

/// A cell a spreadsheet would read as a formula (or whose leading control character could make
/// it one) gets a leading apostrophe, so it is shown as text.
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r', '\0']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        let mut c = Csv::new();
        c.row(["=1+1", "a,b", "say \"hi\"", "-2", "\tx", "plain"]);
        let s = String::from_utf8(c.into_bytes()).unwrap();
        assert_eq!(s, "'=1+1,\"a,b\",\"say \"\"hi\"\"\",'-2,'\tx,plain\r\n");
    }

    fn cell(s: &str) -> String {
        let mut c = Csv::new();
        c.row([s]);
        String::from_utf8(c.into_bytes()).unwrap().trim_end_matches("\r\n").to_string()
    }

    #[test]
    fn fields_are_quoted_and_never_formulas() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a, b"), "\"a, b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("-1"), "'-1");
    }
}
