//! The shared vector files, run natively.
#![cfg(not(target_arch = "wasm32"))]
mod common;

use registry_probe::{
    validate_form, validate_registry_url, ConnectorForm, FormOptions, UrlOptions,
};
use serde_json::Value;

#[test]
fn registry_url_vectors() {
    let count = common::run_vectors(common::URL_VECTORS, |case| {
        let options: UrlOptions = match &case["options"] {
            Value::Null => UrlOptions::default(),
            o => serde_json::from_value(o.clone()).map_err(|e| e.to_string())?,
        };
        let input = case["input"].as_str().unwrap_or_default();
        let check = validate_registry_url(input, &options);
        if let Some(endpoint) = &check.endpoint {
            endpoint.check_invariants()?;
        }
        let actual = serde_json::to_value(&check).map_err(|e| e.to_string())?;
        common::compare_url(case, &actual)
    });
    match count {
        Ok(n) => assert!(n >= 150, "only {n} URL vectors"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn form_vectors() {
    let count = common::run_vectors(common::FORM_VECTORS, |case| {
        let form: ConnectorForm =
            serde_json::from_value(case["form"].clone()).map_err(|e| e.to_string())?;
        let options: FormOptions = match &case["options"] {
            Value::Null => FormOptions::default(),
            o => serde_json::from_value(o.clone()).map_err(|e| e.to_string())?,
        };
        let actual =
            serde_json::to_value(validate_form(&form, &options)).map_err(|e| e.to_string())?;
        common::compare_form(case, &actual)
    });
    match count {
        Ok(n) => assert!(n >= 80, "only {n} form vectors"),
        Err(e) => panic!("{e}"),
    }
}
