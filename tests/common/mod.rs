//! Shared by the native, Node and browser test crates: the vector files and how to compare.
#![allow(dead_code)]

use serde_json::Value;

/// The registry URL vectors (also run by the JS tests).
pub const URL_VECTORS: &str = include_str!("../vectors/registry-url.json");

/// The setup-form vectors (also run by the JS tests).
pub const FORM_VECTORS: &str = include_str!("../vectors/form.json");

/// The whole expected result of every URL vector, by case name (`UPDATE=1 cargo test --test
/// vectors` writes it from the native results after the hand-written checks pass).
pub const URL_GOLDEN: &str = include_str!("../vectors/registry-url.expected.json");

/// The whole expected result of every form vector, by case name.
pub const FORM_GOLDEN: &str = include_str!("../vectors/form.expected.json");

/// Deep equality of `actual` with the golden result of `case`: the one comparison the native,
/// wasm and JS runs share.
pub fn matches_golden(golden: &Value, case: &Value, actual: &Value) -> Result<(), String> {
    let name = case["name"].as_str().unwrap_or("?");
    match golden.get(name) {
        Some(expected) if expected == actual => Ok(()),
        Some(expected) => Err(format!(
            "result {actual}\n  differs from the golden {expected}"
        )),
        None => Err("no golden result (UPDATE=1 cargo test --test vectors writes it)".into()),
    }
}

/// The form fields, in the order the contract lists them.
pub const FORM_FIELDS: [&str; 7] = [
    "name",
    "identifier",
    "url",
    "username",
    "passwordRef",
    "delegateSelectors",
    "providerType",
];

/// Runs every case of a vector file through `check`; honours `expected_failures` both ways.
pub fn run_vectors(
    json: &str,
    check: impl Fn(&Value) -> Result<(), String>,
) -> Result<usize, String> {
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
            (Ok(()), true) => {
                failures.push(format!("{name}: passed but is listed in expected_failures"))
            }
            _ => {}
        }
    }
    if failures.is_empty() {
        Ok(cases.len())
    } else {
        Err(format!(
            "{} of {} cases failed:\n{}",
            failures.len(),
            cases.len(),
            failures.join("\n")
        ))
    }
}

fn first_with_code<'a>(actual: &'a Value, code: &str) -> Option<&'a Value> {
    actual["diagnostics"]
        .as_array()?
        .iter()
        .find(|d| d["code"] == code)
}

/// Compares a `UrlCheck` (as JSON) with one vector case.
pub fn compare_url(case: &Value, actual: &Value) -> Result<(), String> {
    let input = case["input"].as_str().ok_or("no input")?;
    compare_diagnostics(input, &actual["diagnostics"])?;
    if actual["ok"] != case["ok"] {
        return Err(format!(
            "ok is {}, expected {}; got {actual}",
            actual["ok"], case["ok"]
        ));
    }
    compare_endpoint(case, actual)?;
    let mut want: Vec<&str> = case["codes"]
        .as_array()
        .ok_or("no codes")?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut got: Vec<&str> = actual["diagnostics"]
        .as_array()
        .ok_or("no diagnostics")?
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
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
    check_absent(case, actual)
}

/// Compares a `FormCheck` (as JSON) with one vector case of form.json.
pub fn compare_form(case: &Value, actual: &Value) -> Result<(), String> {
    if actual["ok"] != case["ok"] {
        return Err(format!(
            "ok is {}, expected {}; got {actual}",
            actual["ok"], case["ok"]
        ));
    }
    for field in FORM_FIELDS {
        let text = match field {
            "delegateSelectors" | "providerType" | "username" => None,
            "passwordRef" => case["form"]["auth"]["passwordRef"].as_str(),
            "identifier" => case["form"]["identifier"]
                .as_str()
                .filter(|s| !s.trim().is_empty()),
            _ => Some(case["form"][field].as_str().unwrap_or_default()),
        };
        let diagnostics = &actual["fields"][field];
        if let Some(text) = text {
            compare_diagnostics(text, diagnostics).map_err(|e| format!("{field}: {e}"))?;
        }
        let mut got: Vec<&str> = diagnostics
            .as_array()
            .ok_or(format!("no field {field}"))?
            .iter()
            .filter_map(|d| d["code"].as_str())
            .collect();
        let mut want: Vec<&str> = case["codes"][field]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        got.sort_unstable();
        want.sort_unstable();
        if got != want {
            return Err(format!(
                "{field} codes {got:?}, expected {want:?}; got {}",
                actual["fields"]
            ));
        }
        let first = |code: &str| {
            diagnostics
                .as_array()
                .and_then(|a| a.iter().find(|d| d["code"] == code))
                .cloned()
        };
        for (code, span) in case["spans"][field].as_object().into_iter().flatten() {
            let d = first(code).ok_or(format!("no {code}"))?;
            let got = Value::from(vec![d["start"].clone(), d["end"].clone()]);
            if &got != span {
                return Err(format!("{field} {code} span {got}, expected {span}"));
            }
        }
        for (code, message) in case["messages"][field].as_object().into_iter().flatten() {
            let d = first(code).ok_or(format!("no {code}"))?;
            if &d["message"] != message {
                return Err(format!(
                    "{field} {code} message {}, expected {message}",
                    d["message"]
                ));
            }
        }
        for (code, value) in case["fixes"][field].as_object().into_iter().flatten() {
            let d = first(code).ok_or(format!("no {code}"))?;
            if &d["fix"]["value"] != value {
                return Err(format!("{field} {code} fix {}, expected {value}", d["fix"]));
            }
        }
    }
    for (code, index) in case["indexes"].as_object().into_iter().flatten() {
        let d = actual["fields"]["delegateSelectors"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["code"] == *code));
        if d.map(|d| &d["index"]) != Some(index) {
            return Err(format!(
                "{code} index {:?}, expected {index}",
                d.map(|d| &d["index"])
            ));
        }
    }
    for key in ["identifier", "providerType", "connector", "yaml"] {
        if let Some(want) = case.get(key) {
            if &actual[key] != want {
                return Err(format!("{key} is {}, expected {want}", actual[key]));
            }
        }
    }
    compare_endpoint(case, actual)?;
    if (actual["ok"] == true) == actual["connector"].is_null() {
        return Err("a connector must be present exactly when ok".into());
    }
    check_absent(case, actual)
}

/// Fails when a string of the case's `absent` list (secrets) appears anywhere in the result.
fn check_absent(case: &Value, actual: &Value) -> Result<(), String> {
    let text = actual.to_string();
    let absent = case["absent"].as_array().into_iter().flatten();
    match absent
        .filter_map(Value::as_str)
        .find(|secret| text.contains(*secret))
    {
        Some(secret) => Err(format!("{secret:?} appears in the result")),
        None => Ok(()),
    }
}

/// Compares `actual.endpoint` with the case's `endpoint` (null: none; object: these fields).
fn compare_endpoint(case: &Value, actual: &Value) -> Result<(), String> {
    match case.get("endpoint") {
        Some(Value::Null) if !actual["endpoint"].is_null() => {
            Err(format!("expected no endpoint, got {}", actual["endpoint"]))
        }
        Some(Value::Object(fields)) => {
            for (key, want) in fields {
                let got = &actual["endpoint"][key];
                if got != want {
                    return Err(format!(
                        "endpoint.{key} is {got}, expected {want}; got {actual}"
                    ));
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Checks what holds for every diagnostic: spans inside the input, a one-line message.
pub fn compare_diagnostics(input: &str, diagnostics: &Value) -> Result<(), String> {
    let len = input.encode_utf16().count() as u64;
    for d in diagnostics
        .as_array()
        .ok_or("diagnostics is not an array")?
    {
        let (start, end) = (
            d["start"].as_u64().ok_or("no start")?,
            d["end"].as_u64().ok_or("no end")?,
        );
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

#[cfg(target_arch = "wasm32")]
fn to_js(value: &Value) -> Result<wasm_bindgen::JsValue, String> {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| e.to_string())
}

/// Runs the URL and form vectors through the wasm façade (Node or browser) against the goldens.
#[cfg(target_arch = "wasm32")]
pub fn wasm_vectors() {
    use registry_probe::web::facade as wasm;
    let from_js =
        |out: Result<wasm_bindgen::JsValue, wasm_bindgen::JsError>| -> Result<Value, String> {
            serde_wasm_bindgen::from_value(out.map_err(|_| "the export threw".to_string())?)
                .map_err(|e| e.to_string())
        };
    let url_golden: Value = serde_json::from_str(URL_GOLDEN).unwrap_or_default();
    let form_golden: Value = serde_json::from_str(FORM_GOLDEN).unwrap_or_default();
    let urls = run_vectors(URL_VECTORS, |case| {
        let input = case["input"].as_str().unwrap_or_default();
        let actual = from_js(wasm::validate_registry_url(
            input,
            Some(to_js(&case["options"])?),
        ))?;
        matches_golden(&url_golden, case, &actual)
    });
    let forms = run_vectors(FORM_VECTORS, |case| {
        let actual = from_js(wasm::validate_form(
            to_js(&case["form"])?,
            Some(to_js(&case["options"])?),
        ))?;
        matches_golden(&form_golden, case, &actual)
    });
    if let Err(e) = urls.and(forms) {
        panic!("{e}");
    }
}
