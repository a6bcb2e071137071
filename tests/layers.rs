//! The source tree is the architecture: the sans-IO core never reaches into the web layer, and
//! only the web layer's two files touch wasm-bindgen, web-sys, js-sys or gloo.
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(files.len() > 15, "{files:?}");
    let mut web = Vec::new();
    for file in &files {
        let relative = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Code only: comments may name the web layer.
        let text: String = fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        let uses: Vec<&str> = WEB_CRATES
            .iter()
            .copied()
            .filter(|c| text.contains(c))
            .collect();
        if relative.starts_with("web/") {
            web.push(relative.clone());
        } else {
            assert!(uses.is_empty(), "core file src/{relative} names {uses:?}");
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
