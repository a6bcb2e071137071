//! JSON, as small as the probe needs it: a strict reader (RFC 8259) into a tree, and string
//! quoting.
//!
//! Registry bodies are small (the driver caps them) and untrusted: the reader takes bytes,
//! nests at most [`MAX_DEPTH`] deep, rejects anything malformed (bad UTF-8, lone surrogates,
//! control characters in strings, trailing data) with `None`, and never panics.

/// How deep arrays and objects may nest (as serde_json's default).
pub const MAX_DEPTH: usize = 128;

/// A JSON value. Numbers are kept as their text: nothing here computes with them.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's members in order (duplicates kept).
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a whole document (surrounding whitespace allowed).
    pub fn parse(bytes: &[u8]) -> Option<Json> {
        let mut reader = Reader { bytes, at: 0 };
        let value = reader.value(0)?;
        reader.whitespace();
        (reader.at == bytes.len()).then_some(value)
    }

    /// The member `key` of an object: `None` when absent, `Err` when not an object or the key
    /// appears twice (ambiguous, so rejected).
    pub fn member(&self, key: &str) -> Result<Option<&Json>, ()> {
        let Json::Object(members) = self else {
            return Err(());
        };
        let mut found = members.iter().filter(|(k, _)| k == key).map(|(_, v)| v);
        let first = found.next();
        match found.next() {
            Some(_) => Err(()),
            None => Ok(first),
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8], value: Json) -> Option<Json> {
        let end = self.at.checked_add(word.len())?;
        (self.bytes.get(self.at..end)? == word).then(|| {
            self.at = end;
            value
        })
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        self.whitespace();
        match self.peek()? {
            b'n' => self.literal(b"null", Json::Null),
            b't' => self.literal(b"true", Json::Bool(true)),
            b'f' => self.literal(b"false", Json::Bool(false)),
            b'"' => self.string().map(Json::String),
            b'[' if depth < MAX_DEPTH => {
                self.at += 1;
                let mut items = Vec::new();
                self.whitespace();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Some(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.whitespace();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(Json::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' if depth < MAX_DEPTH => {
                self.at += 1;
                let mut members = Vec::new();
                self.whitespace();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Some(Json::Object(members));
                }
                loop {
                    self.whitespace();
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    self.whitespace();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    members.push((key, self.value(depth + 1)?));
                    self.whitespace();
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Some(Json::Object(members));
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => None,
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => {
                self.digits();
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let text = std::str::from_utf8(self.bytes.get(start..self.at)?).ok()?;
        Some(Json::Number(text.to_string()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.at.checked_add(4)?;
        let digits = std::str::from_utf8(self.bytes.get(self.at..end)?).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at = end;
        u32::from_str_radix(digits, 16).ok()
    }

    /// A string starting at its opening quote.
    fn string(&mut self) -> Option<String> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = self.peek()?;
            self.at += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escaped = self.peek()?;
                    self.at += 1;
                    let c = match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if self.bytes.get(self.at..self.at.checked_add(2)?)? != b"\\u" {
                                    return None;
                                }
                                self.at += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return None;
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            char::from_u32(code)?
                        }
                        _ => return None,
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                0..=0x1F => return None,
                _ => out.push(byte),
            }
        }
    }
}

/// `value` as a JSON string literal (also a YAML double-quoted scalar): `"`, `\` and control
/// characters escaped, everything else as is.
pub fn quoted(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\0'..='\u{1f}' => {
                let b = c as usize;
                out.push_str("\\u00");
                out.push(char::from(*HEX.get(b >> 4).unwrap_or(&b'0')));
                out.push(char::from(*HEX.get(b & 15).unwrap_or(&b'0')));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Json {
        Json::String(text.into())
    }

    #[test]
    fn reads_what_json_allows() {
        assert_eq!(
            Json::parse(br#" {"a":[1,-2.5e+3,true,null,"x\"\u00e9\ud83d\ude00"],"b":{}} "#),
            Some(Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1".into()),
                        Json::Number("-2.5e+3".into()),
                        Json::Bool(true),
                        Json::Null,
                        s("x\"é😀"),
                    ])
                ),
                ("b".into(), Json::Object(vec![])),
            ]))
        );
        assert_eq!(Json::parse("\"ü\"".as_bytes()), Some(s("ü")));
    }

    #[test]
    fn rejects_what_json_does_not() {
        for bad in [
            &b""[..],
            b"{",
            b"[1,]",
            b"{\"a\" 1}",
            b"01",
            b"1.",
            b"-",
            b"1e",
            b"\"\\ud800\"",
            b"\"\\udc00\"",
            b"\"\\x\"",
            b"\"a\nb\"",
            b"\"\xff\"",
            b"nul",
            b"[1] 2",
            b"'a'",
        ] {
            assert_eq!(Json::parse(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(Json::parse(deep.as_bytes()), None);
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(Json::parse(ok.as_bytes()).is_some());
    }

    #[test]
    fn members() {
        let doc = Json::parse(br#"{"a":1,"b":2,"b":3}"#).unwrap();
        assert_eq!(doc.member("a"), Ok(Some(&Json::Number("1".into()))));
        assert_eq!(doc.member("c"), Ok(None));
        assert_eq!(doc.member("b"), Err(()));
        assert_eq!(Json::Null.member("a"), Err(()));
    }

    #[test]
    fn quoting_reads_back() {
        for text in [
            "plain",
            "q\"b\\s",
            "\n\r\t\u{8}\u{c}\u{1}\u{1f}",
            "é😀\u{2028}",
            "",
        ] {
            let quoted = quoted(text);
            assert_eq!(Json::parse(quoted.as_bytes()), Some(s(text)), "{quoted}");
        }
        assert_eq!(quoted("\u{1}"), "\"\\u0001\"");
    }

    /// serde_json's value from ours, to compare the two readers.
    #[cfg(not(target_arch = "wasm32"))]
    fn to_serde(value: &Json) -> serde_json::Value {
        match value {
            Json::Null => serde_json::Value::Null,
            Json::Bool(b) => serde_json::Value::Bool(*b),
            Json::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Json::String(s) => serde_json::Value::String(s.clone()),
            Json::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
            // serde_json keeps the last of duplicate keys.
            Json::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), to_serde(v)))
                    .collect(),
            ),
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Token soup that is often JSON and often nearly JSON: both readers must agree on
        /// whether it is, and on the value.
        #[test]
        fn agrees_with_serde_json(tokens in proptest::collection::vec(proptest::sample::select(vec![
            "{", "}", "[", "]", ",", ":", " ", "\"a\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud800\"",
            "\"\\n\"", "\"\\x\"", "\"\u{1}\"", "\"é\"", "0", "-1", "1.5", "2e3", "01", "1.", "-", "true",
            "false", "null", "nul", "\"", "\\",
        ]), 0..12)) {
            let text = tokens.concat();
            let ours = Json::parse(text.as_bytes());
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            // One intended difference: numbers stay text here, so `2e3010` is not out of range.
            proptest::prop_assume!(!matches!(&theirs, Err(e) if e.to_string().contains("out of range")));
            let theirs = theirs.ok();
            proptest::prop_assert_eq!(ours.as_ref().map(to_serde), theirs, "{}", text);
        }
    }
}
