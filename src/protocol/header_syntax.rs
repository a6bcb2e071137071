//! The pieces of HTTP field values that `WWW-Authenticate` and `Link` share (RFC 9110 §5.6):
//!
//! ```text
//! token         = 1*tchar
//! quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//! OWS           = *( SP / HTAB )
//! ```

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A position in a header value, with the pieces of RFC 9110's field-value grammar.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    /// Byte offset of the next unread byte.
    pub(crate) at: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor { text, at: 0 }
    }

    /// The text between two byte offsets (empty when they are not on character boundaries).
    pub(crate) fn text(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    /// The next byte.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips bytes of `set` (white space, commas).
    pub(crate) fn skip(&mut self, set: &[u8]) {
        while self.peek().is_some_and(|b| set.contains(&b)) {
            self.at += 1;
        }
    }

    /// A token (`1*tchar`), possibly empty.
    pub(crate) fn token(&mut self) -> &str {
        let start = self.at;
        while self.peek().is_some_and(is_tchar) {
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// An unquoted value: strictly a token, but servers write URLs unquoted too, so it runs
    /// to the next comma or white space.
    pub(crate) fn bare(&mut self) -> &str {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b' ' | b'\t'))
        {
            self.at += 1;
        }
        self.text.get(start..self.at).unwrap_or_default()
    }

    /// A quoted-string at the cursor (which is at its `"`), unescaped.
    pub(crate) fn quoted(&mut self) -> String {
        let mut out = Vec::new();
        self.at += 1; // opening quote
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    if let Some(escaped) = self.peek() {
                        out.push(escaped);
                        self.at += 1;
                    }
                }
                _ => out.push(b),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}
