//! The shared vector files, run natively.
mod common;

use registry_probe::{validate_registry_url, UrlOptions};
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
