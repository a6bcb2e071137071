//! Shared by the native, Node and browser test crates: the vector files and how to compare.
#![allow(dead_code)]

use serde_json::Value;

/// The registry URL vectors (also run by the JS tests).
pub const URL_VECTORS: &str = include_str!("../vectors/registry-url.json");

/// Runs every case of a vector file through `check`; honours `expected_failures` both ways.
pub fn run_vectors(json: &str, check: impl Fn(&Value) -> Result<(), String>) -> Result<usize, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let expected: Vec<&str> = doc["expected_failures"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let cases = doc["cases"].as_array().ok_or("no cases")?;
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        match (check(case), expected.contains(&name)) {
            (Err(e), false) => failures.push(format!("{name}: {e}")),
            (Ok(()), true) => failures.push(format!("{name}: passed but is listed in expected_failures")),
            _ => {}
        }
    }
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(format!("{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n")))
    }
}

fn first_with_code<'a>(actual: &'a Value, code: &str) -> Option<&'a Value> {
    actual["diagnostics"].as_array()?.iter().find(|d| d["code"] == code)
}

/// Compares a `UrlCheck` (as JSON) with one vector case.
pub fn compare_url(case: &Value, actual: &Value) -> Result<(), String> {
    let input = case["input"].as_str().ok_or("no input")?;
    compare_diagnostics(input, &actual["diagnostics"])?;
    if actual["ok"] != case["ok"] {
        return Err(format!("ok is {}, expected {}; got {actual}", actual["ok"], case["ok"]));
    }
    match case.get("endpoint") {
        Some(Value::Null) if !actual["endpoint"].is_null() => {
            return Err(format!("expected no endpoint, got {}", actual["endpoint"]))
        }
        Some(Value::Object(fields)) => {
            for (key, want) in fields {
                let got = &actual["endpoint"][key];
                if got != want {
                    return Err(format!("endpoint.{key} is {got}, expected {want}; got {actual}"));
                }
            }
        }
        _ => {}
    }
    let mut want: Vec<&str> = case["codes"].as_array().ok_or("no codes")?.iter().filter_map(Value::as_str).collect();
    let mut got: Vec<&str> = actual["diagnostics"].as_array().ok_or("no diagnostics")?.iter().filter_map(|d| d["code"].as_str()).collect();
    want.sort_unstable();
    got.sort_unstable();
    if want != got {
        return Err(format!("codes {got:?}, expected {want:?}; got {actual}"));
    }
    if let Some(spans) = case["spans"].as_object() {
        for (code, span) in spans {
            let d = first_with_code(actual, code).ok_or(format!("no {code}"))?;
            let got = Value::from(vec![d["start"].clone(), d["end"].clone()]);
            if &got != span {
                return Err(format!("{code} span {got}, expected {span}"));
            }
        }
    }
    if let Some(fixes) = case["fixes"].as_object() {
        for (code, want) in fixes {
            let d = first_with_code(actual, code).ok_or(format!("no {code}"))?;
            let got = &d["fix"]["value"];
            if got != want {
                return Err(format!("{code} fix {got}, expected {want}"));
            }
        }
    }
    let text = actual.to_string();
    for secret in case["absent"].as_array().into_iter().flatten().filter_map(Value::as_str) {
        if text.contains(secret) {
            return Err(format!("{secret:?} appears in the result"));
        }
    }
    Ok(())
}

/// Checks what holds for every diagnostic: spans inside the input, a one-line message.
pub fn compare_diagnostics(input: &str, diagnostics: &Value) -> Result<(), String> {
    let len = input.encode_utf16().count() as u64;
    for d in diagnostics.as_array().ok_or("diagnostics is not an array")? {
        let (start, end) = (d["start"].as_u64().ok_or("no start")?, d["end"].as_u64().ok_or("no end")?);
        if start > end || end > len {
            return Err(format!("span {start}..{end} outside 0..{len}: {d}"));
        }
        let message = d["message"].as_str().unwrap_or_default();
        if message.is_empty() || message.contains('\n') || !message.ends_with('.') {
            return Err(format!("message is not one sentence: {d}"));
        }
    }
    Ok(())
}

/// Runs the URL vectors through the wasm façade (Node or browser).
#[cfg(target_arch = "wasm32")]
pub fn wasm_url_vectors() {
    use serde::Serialize;
    let result = run_vectors(URL_VECTORS, |case| {
        let options = case["options"]
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .map_err(|e| e.to_string())?;
        let input = case["input"].as_str().unwrap_or_default();
        let out = registry_probe::wasm::validate_registry_url(input, options)
            .map_err(|_| "validateRegistryUrl threw".to_string())?;
        let actual: Value = serde_wasm_bindgen::from_value(out).map_err(|e| e.to_string())?;
        compare_url(case, &actual)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
