//! The source tree is the architecture: the sans-IO core never reaches into the web layer, and
//! only the web layer's two files touch wasm-bindgen, web-sys, js-sys or gloo; a native build links
//! none of the web crates (tsify, wasm-bindgen, serde-wasm-bindgen, …).
#![cfg(not(target_arch = "wasm32"))]
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every file under `src/`: its path from there (`probe/mod.rs`), its text, and its code
/// without comment lines (comments may name anything).
fn sources() -> Vec<(String, String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 15, "{files:?}");
    files
        .iter()
        .map(|file| {
            let relative = file
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = fs::read_to_string(file).unwrap();
            let code = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            (relative, text, code)
        })
        .collect()
}

const WEB_CRATES: [&str; 6] = [
    "wasm_bindgen",
    "web_sys",
    "js_sys",
    "gloo",
    "serde_wasm_bindgen",
    "crate::web",
];

#[test]
fn core_files_never_import_the_web_layer() {
    let mut web = Vec::new();
    for (relative, _, text) in sources() {
        let uses: Vec<&str> = WEB_CRATES
            .iter()
            .copied()
            .filter(|c| text.contains(c))
            .collect();
        if relative.starts_with("web/") {
            web.push(relative.clone());
        } else {
            assert!(uses.is_empty(), "core file src/{relative} names {uses:?}");
            // TypeScript types are derived for the web layer only: every mention of tsify sits
            // in a `#[cfg_attr(target_arch = "wasm32", …)]` or a wasm32-only `use`.
            let lower = text.to_lowercase();
            for (at, _) in lower.match_indices("tsify") {
                let before = text.get(..at).unwrap_or_default();
                let attribute = before
                    .rfind("#[")
                    .and_then(|i| before.get(i..))
                    .unwrap_or("");
                let in_cfg_attr = attribute.starts_with("#[cfg_attr(")
                    && attribute.contains("target_arch = \"wasm32\"")
                    && !attribute.contains(']');
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                let wasm_use = before.get(line_start..).unwrap_or_default() == "use tsify::"
                    || before.get(line_start..).unwrap_or_default() == "use ";
                let wasm_use = wasm_use
                    && before
                        .get(..line_start)
                        .unwrap_or_default()
                        .ends_with("#[cfg(target_arch = \"wasm32\")]\n");
                assert!(
                    in_cfg_attr || wasm_use,
                    "src/{relative}: tsify outside the web layer's cfg at byte {at}"
                );
            }
        }
        if text.contains("gloo_net") {
            assert_eq!(relative, "web/driver.rs", "only the driver does fetch");
        }
        if text.contains("#[wasm_bindgen") && relative != "web/facade.rs" {
            panic!("src/{relative} has #[wasm_bindgen]: exports live in web/facade.rs");
        }
    }
    web.sort();
    assert_eq!(web, ["web/driver.rs", "web/facade.rs", "web/mod.rs"]);
}

/// The crates of the web layer: a native build of the core links none of them.
const WEB_PACKAGES: [&str; 8] = [
    "wasm-bindgen",
    "tsify",
    "serde-wasm-bindgen",
    "serde_path_to_error",
    "js-sys",
    "web-sys",
    "gloo-net",
    "wasm-bindgen-futures",
];

#[test]
fn the_native_dependency_graph_has_no_web_crate() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args(["tree", "--offline", "-e", "normal", "--prefix", "none"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tree = String::from_utf8_lossy(&output.stdout);
    let names: Vec<&str> = tree.lines().filter_map(|l| l.split(' ').next()).collect();
    assert!(names.contains(&"url") && names.contains(&"serde"), "{tree}");
    for web in WEB_PACKAGES {
        assert!(
            !names.contains(&web),
            "the native build links {web}:\n{tree}"
        );
    }
}

/// The probe's state has one owner per piece: `Probe` is implemented in `src/probe/mod.rs` only
/// (the phases work through their own values and `Cx`), and no phase file reaches back into
/// `mod.rs` for the probe itself.
#[test]
fn the_probe_is_implemented_in_one_file() {
    let mut phases = 0;
    for (relative, text, code) in sources() {
        let code: Vec<&str> = code.lines().collect();
        if relative != "probe/mod.rs" {
            for line in &code {
                let impls_probe =
                    line.trim_start().starts_with("impl Probe ") || line.contains(" for Probe ");
                assert!(
                    !impls_probe,
                    "src/{relative}: `{}` outside src/probe/mod.rs",
                    line.trim()
                );
            }
        }
        if relative.starts_with("probe/")
            && !["probe/mod.rs", "probe/phase.rs"].contains(&relative.as_str())
        {
            let imports_probe = code.iter().any(|l| {
                l.trim_start().starts_with("use super::")
                    && (l.contains("Probe,") || l.contains("Probe}") || l.contains("::Probe;"))
            });
            assert!(!imports_probe, "src/{relative} imports Probe from mod.rs");
            // Each phase: one request, one on_response, one on_failure.
            let count = |event: &str| text.matches(event).count();
            let here = count("pub fn on_response(");
            for event in ["pub fn request(", "pub fn on_failure("] {
                assert_eq!(count(event), here, "src/{relative}: {event} per phase");
            }
            phases += here;
        }
    }
    // ping, no-cors ping, v1 ping, other scheme, auth retry, token, no-cors token, catalog,
    // tags, pull, preflight: every variant of `Phase` but `Finish`.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let dispatch = fs::read_to_string(root.join("probe/phase.rs")).unwrap();
    let variants = dispatch.matches(" => p.on_response(cx, response),").count();
    assert_eq!(phases, 11, "phases");
    assert_eq!(variants, phases, "phase.rs routes every phase");
}
