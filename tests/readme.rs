//! The README's diagnostic table lists every code with its severity (and nothing else).
#![cfg(not(target_arch = "wasm32"))]
use registry_probe::{Code, Severity};

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

#[test]
fn readme_lists_every_code_with_its_severity() {
    let readme = include_str!("../README.md");
    for code in Code::ALL {
        let row = format!("| `{}` | {} |", code.code(), severity(code.severity()));
        assert!(readme.contains(&row), "README.md lacks the row {row}");
    }
    let listed = readme
        .lines()
        .filter(|l| {
            Code::ALL
                .iter()
                .any(|c| l.starts_with(&format!("| `{}` |", c.code())))
        })
        .count();
    assert_eq!(listed, Code::ALL.len(), "each code exactly once");
}

#[test]
fn codes_are_unique_kebab_case_and_messages_one_sentence() {
    let mut seen = std::collections::HashSet::new();
    for code in Code::ALL {
        let c = code.code();
        assert!(seen.insert(c), "{c} twice");
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{c}"
        );
        let message = code.template();
        assert!(
            message.ends_with('.') && !message.contains('\n'),
            "{c}: {message}"
        );
    }
}

#[test]
fn readme_lists_every_finding_code() {
    let readme = include_str!("../README.md");
    for code in registry_probe::FindingCode::ALL {
        let row = format!("| `{}` | {} |", code.code(), severity(code.severity()));
        assert!(readme.contains(&row), "README.md lacks the row {row}");
    }
}
