//! The README's tables of every code are generated from the code tables (diagnostics, findings
//! with their fixes, step summaries): this test fails when they differ, and `UPDATE=1 cargo test
//! --test readme` rewrites them.
#![cfg(not(target_arch = "wasm32"))]
use registry_probe::{Code, FindingCode, Severity, StepText, VerdictText, ANONYMOUS_USERS};

const START: &str = "<!-- codes:start -->\n";
const END: &str = "<!-- codes:end -->";

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn tables() -> String {
    let mut out = String::from(
        "Form diagnostics (`validateForm`, `validateRegistryUrl`; `FormOptions.messages` replaces any by code):\n\n\
         | code | severity | field | English message |\n|---|---|---|---|\n",
    );
    for code in Code::ALL {
        out += &format!(
            "| `{}` | {} | {} | {} |\n",
            code.code(),
            severity(code.severity()),
            code.field().unwrap_or("?"),
            cell(code.template())
        );
    }
    out += "\nProbe findings (`probeRegistry`; `ProbeOptions.messages` replaces the message by `<code>` and the fix by `<code>.fix`):\n\n\
            | code | severity | English message | English fix |\n|---|---|---|---|\n";
    for code in FindingCode::ALL {
        out += &format!(
            "| `{}` | {} | {} | {} |\n",
            code.code(),
            severity(code.severity()),
            cell(code.template()),
            code.fix_template().map_or(String::new(), cell)
        );
    }
    out += &format!(
        "\n`{{account}}` is the username, or `{}` (English: {}) when there is none.\n",
        ANONYMOUS_USERS.0, ANONYMOUS_USERS.1
    );
    out += "\nProbe step summaries (`ProbeStep.summary`; `ProbeOptions.messages` replaces any by code):\n\n\
            | code | English summary |\n|---|---|\n";
    for text in StepText::ALL {
        out += &format!("| `{}` | {} |\n", text.code(), cell(text.template()));
    }
    out += "\nProbe verdict sentences (`ProbeReport.summary`; `ProbeOptions.messages` replaces any by code):\n\n\
            | code | English summary |\n|---|---|\n";
    for text in VerdictText::ALL {
        out += &format!("| `{}` | {} |\n", text.code(), cell(text.template()));
    }
    out
}

#[test]
fn readme_tables_are_the_code_tables() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).unwrap();
    let start = readme
        .find(START)
        .expect("README has the codes:start marker")
        + START.len();
    let end = readme.find(END).expect("README has the codes:end marker");
    let want = tables();
    if readme[start..end] != want {
        if std::env::var_os("UPDATE").is_some() {
            std::fs::write(
                path,
                format!("{}{want}{}", &readme[..start], &readme[end..]),
            )
            .unwrap();
        } else {
            panic!("README.md's code tables differ from the code tables: run UPDATE=1 cargo test --test readme");
        }
    }
}

#[test]
fn codes_are_kebab_case_and_messages_one_line() {
    let sentences = Code::ALL
        .iter()
        .map(|c| (c.code(), c.template()))
        .chain(FindingCode::ALL.iter().map(|c| (c.code(), c.template())))
        .chain(
            FindingCode::ALL
                .iter()
                .filter_map(|c| c.fix_template().map(|f| (c.code(), f))),
        )
        .chain(StepText::ALL.iter().map(|t| (t.code(), t.template())))
        .chain(VerdictText::ALL.iter().map(|t| (t.code(), t.template())));
    for (code, message) in sentences {
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{code}"
        );
        assert!(
            !message.contains('\n') && !message.is_empty(),
            "{code}: {message}"
        );
    }
    for code in Code::ALL {
        assert!(code.field().is_some(), "{} has no field", code.code());
        assert!(code.template().ends_with('.'), "{}", code.code());
    }
}

/// The README's diagram of the probe is the one in `src/probe/mod.rs` (drawn once, copied).
#[test]
fn the_readme_draws_the_probe_as_the_code_does() {
    let root = env!("CARGO_MANIFEST_DIR");
    let module = std::fs::read_to_string(format!("{root}/src/probe/mod.rs")).unwrap();
    let code: Vec<&str> = module
        .lines()
        .skip_while(|l| *l != "//! ```text")
        .skip(1)
        .take_while(|l| *l != "//! ```")
        .map(|l| {
            l.strip_prefix("//!")
                .unwrap_or(l)
                .strip_prefix(' ')
                .unwrap_or("")
        })
        .collect();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let architecture = &readme[readme.find("## Architecture").unwrap()..];
    let drawn: Vec<&str> = architecture
        .lines()
        .skip_while(|l| *l != "```text")
        .skip(1)
        .take_while(|l| *l != "```")
        .collect();
    assert!(code.len() > 10, "{code:?}");
    assert_eq!(drawn, code);
}
