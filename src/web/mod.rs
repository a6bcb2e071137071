//! The web layer (wasm32 only): [`facade`] holds every `#[wasm_bindgen]` export, [`driver`]
//! runs the probe with `fetch`. No core module imports from here.

mod driver;
pub mod facade;
