//! wasm-bindgen tests in real browsers (`wasm-pack test --headless --chrome` / `--firefox`).
#![cfg(target_arch = "wasm32")]
mod common;

use wasm_bindgen_test::*;
wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn vectors_in_the_browser() {
    common::wasm_vectors();
}
