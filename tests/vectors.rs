//! The shared vector files, run natively: each case's hand-written expectations (codes, spans,
//! fixes, endpoint fields) and then its whole golden result, which the wasm and JS runs compare
//! with too. `UPDATE=1 cargo test --test vectors` rewrites the goldens from these results, and
//! only after every hand-written expectation passed.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use registry_probe::{
    validate_form, validate_registry_url, ConnectorForm, FormOptions, UrlOptions,
};
use serde_json::{Map, Value};
use std::cell::RefCell;

/// Checks every case, then compares with (or, with `UPDATE=1`, writes) the golden file.
fn run(
    vectors: &str,
    golden_text: &str,
    golden_file: &str,
    minimum: usize,
    result: impl Fn(&Value) -> Result<Value, String>,
    hand_checks: impl Fn(&Value, &Value) -> Result<(), String>,
) {
    let update = std::env::var_os("UPDATE").is_some();
    let golden: Value = serde_json::from_str(golden_text).unwrap_or(Value::Object(Map::new()));
    let written = RefCell::new(Map::new());
    let count = common::run_vectors(vectors, |case| {
        let actual = result(case)?;
        hand_checks(case, &actual)?;
        let name = case["name"].as_str().unwrap_or("?").to_string();
        written.borrow_mut().insert(name, actual.clone());
        if update {
            Ok(())
        } else {
            common::matches_golden(&golden, case, &actual)
        }
    });
    match count {
        Ok(n) => assert!(n >= minimum, "only {n} vectors"),
        Err(e) => panic!("{e}"),
    }
    if update {
        let path = format!("{}/tests/vectors/{golden_file}", env!("CARGO_MANIFEST_DIR"));
        let text = serde_json::to_string_pretty(&Value::Object(written.into_inner())).unwrap();
        std::fs::write(path, text + "\n").unwrap();
    }
}

#[test]
fn registry_url_vectors() {
    run(
        common::URL_VECTORS,
        common::URL_GOLDEN,
        "registry-url.expected.json",
        150,
        |case| {
            let options: UrlOptions = match &case["options"] {
                Value::Null => UrlOptions::default(),
                o => serde_json::from_value(o.clone()).map_err(|e| e.to_string())?,
            };
            let input = case["input"].as_str().unwrap_or_default();
            let check = validate_registry_url(input, &options);
            if let Some(endpoint) = &check.endpoint {
                endpoint.check_invariants()?;
            }
            serde_json::to_value(&check).map_err(|e| e.to_string())
        },
        common::compare_url,
    );
}

#[test]
fn form_vectors() {
    run(
        common::FORM_VECTORS,
        common::FORM_GOLDEN,
        "form.expected.json",
        80,
        |case| {
            let form: ConnectorForm =
                serde_json::from_value(case["form"].clone()).map_err(|e| e.to_string())?;
            let options: FormOptions = match &case["options"] {
                Value::Null => FormOptions::default(),
                o => serde_json::from_value(o.clone()).map_err(|e| e.to_string())?,
            };
            serde_json::to_value(validate_form(&form, &options)).map_err(|e| e.to_string())
        },
        common::compare_form,
    );
}
