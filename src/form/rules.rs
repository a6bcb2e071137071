//! The character rules of the form's fields: identifiers (and deriving one from the name),
//! secret references and delegate selectors.

use super::MAX_NAME;

/// Words an identifier may not be.
pub const RESERVED_IDENTIFIERS: [&str; 24] = [
    "or",
    "and",
    "eq",
    "ne",
    "lt",
    "gt",
    "le",
    "ge",
    "div",
    "mod",
    "not",
    "null",
    "true",
    "false",
    "new",
    "var",
    "return",
    "step",
    "parallel",
    "stepGroup",
    "org",
    "account",
    "class",
    "shellScriptProvisioner",
];

/// Derives an identifier from a display name (see the module doc).
///
/// ```
/// assert_eq!(registry_probe::derive_identifier("My Docker  Hub"), "My_Docker_Hub");
/// assert_eq!(registry_probe::derive_identifier("2nd registry"), "_2nd_registry");
/// ```
pub fn derive_identifier(name: &str) -> String {
    let kept: String = name
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | ' '))
        .collect();
    let mut out = kept
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out.chars().take(MAX_NAME).collect()
}

pub(super) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && s.len() <= MAX_NAME
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// `account.<id>`, `org.<id>` or `<id>`.
pub(super) fn is_secret_reference(reference: &str) -> bool {
    let id = reference
        .strip_prefix("account.")
        .or_else(|| reference.strip_prefix("org."))
        .unwrap_or(reference);
    is_identifier(id)
}

pub(super) fn is_selector_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-${}._<>+".contains(c)
}

/// Byte offset of a `${` that no later `}` closes.
pub(super) fn unclosed_expression(selector: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(open) = selector.get(from..).and_then(|s| s.find("${")) {
        let open = from + open;
        match selector.get(open..).and_then(|s| s.find('}')) {
            Some(close) => from = open + close + 1,
            None => return Some(open),
        }
    }
    None
}
