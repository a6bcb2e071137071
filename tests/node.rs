//! wasm-bindgen tests under Node (`wasm-pack test --node`).
#![cfg(target_arch = "wasm32")]
mod common;

use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn vectors_in_node() {
    common::wasm_vectors();
}
