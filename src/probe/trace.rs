//! The trace a probe leaves, to share with whoever runs the registry: each request's method,
//! URL (never with user info), status, duration and the response headers that decided
//! something (`report.trace`), and the same requests as `curl` commands (`report.curl`).
//!
//! `Authorization` appears only as its scheme; the commands use `$REGISTRY_USERNAME`,
//! `$REGISTRY_PASSWORD` and `$TOKEN`, so neither holds a secret.

use super::report::StepId;
use super::{Failure, HttpRequest, HttpResponse, Method};
use serde::Serialize;
use std::collections::BTreeMap;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Response headers kept in the trace: the ones the probe decides on, and the CORS ones.
const DECISIVE: &[&str] = &[
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
    "access-control-expose-headers",
    "content-type",
    "docker-content-digest",
    "docker-distribution-api-version",
    "docker-ratelimit-source",
    "link",
    "location",
    "ratelimit-limit",
    "ratelimit-remaining",
    "retry-after",
    "server",
    "www-authenticate",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
];
/// A header value is cut here (a hostile server's megabyte header stays out of the report).
const VALUE_LIMIT: usize = 500;

/// One request of the probe and what came back.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct TraceEntry {
    /// The step it belongs to.
    pub step: StepId,
    /// `GET`, `HEAD` or `OPTIONS` (a preflight the probe replayed for a page's origin).
    pub method: String,
    /// The URL, without user info.
    pub url: String,
    /// Sent with `mode: 'no-cors'` (only to learn whether anything answers).
    pub no_cors: bool,
    /// Headers sent, names lower-case; `authorization` only as its scheme (`Basic`, `Bearer`).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub request_headers: BTreeMap<String, String>,
    /// The status (0 for an opaque answer), when an answer came.
    pub status: Option<u16>,
    /// Time to the answer or failure.
    pub duration_ms: Option<f64>,
    /// The response headers that decided something, names lower-case.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub headers: BTreeMap<String, String>,
    /// Why no answer came: `network`, `timeout`, `redirect`, `deadline` or a cause
    /// (`connection-refused`, `proxy-refused`, …).
    pub error: Option<String>,
    /// The egress proxy the request went through (its origin), or null for a direct connection.
    pub proxy: Option<String>,
}

/// `url` without user info (nothing of it when it does not parse, since it could hide some).
fn without_user_info(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.into()
        }
        Err(_) => "(not a URL)".to_string(),
    }
}

impl Method {
    /// `GET`, `HEAD` or `OPTIONS`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
        }
    }
}

impl Failure {
    /// A stable name for the trace.
    fn name(&self) -> &'static str {
        match self {
            Failure::Network => "network",
            Failure::Timeout => "timeout",
            Failure::Redirect => "redirect",
            Failure::Connection(cause, _) => cause.finding().code(),
        }
    }
}

impl TraceEntry {
    /// The entry of a request just sent.
    pub(super) fn sent(step: StepId, request: &HttpRequest) -> TraceEntry {
        let request_headers = request
            .headers
            .iter()
            .map(|(name, value)| {
                let shown = if name.eq_ignore_ascii_case("authorization") {
                    value.split(' ').next().unwrap_or_default().to_string()
                } else {
                    value.clone()
                };
                (name.to_ascii_lowercase(), shown)
            })
            .collect();
        TraceEntry {
            step,
            method: request.method.as_str().to_string(),
            url: without_user_info(&request.url),
            no_cors: request.no_cors,
            request_headers,
            status: None,
            duration_ms: None,
            headers: BTreeMap::new(),
            error: None,
            proxy: None,
        }
    }

    /// Records the answer.
    pub(super) fn answered(&mut self, response: &HttpResponse, elapsed_ms: f64) {
        self.status = Some(response.status);
        self.duration_ms = Some(elapsed_ms.max(0.0));
        self.proxy.clone_from(&response.via_proxy);
        for name in DECISIVE {
            if let Some(value) = response.header(name) {
                let value: String = value.chars().take(VALUE_LIMIT).collect();
                self.headers.insert((*name).to_string(), value);
            }
        }
    }

    /// Records that the probe's deadline passed while this request was in flight.
    pub(super) fn abandoned(&mut self, elapsed_ms: f64) {
        self.duration_ms = Some(elapsed_ms.max(0.0));
        self.error = Some("deadline".to_string());
    }

    /// Records the failure.
    pub(super) fn failed(&mut self, failure: &Failure, elapsed_ms: f64) {
        self.duration_ms = Some(elapsed_ms.max(0.0));
        self.error = Some(failure.name().to_string());
    }

    /// The entry as a `curl` command (`None` for a `no-cors` request, which curl cannot be).
    fn curl(&self) -> Option<String> {
        if self.no_cors {
            return None;
        }
        let mut words = vec!["curl -sS".to_string()];
        words.push(match self.method.as_str() {
            "HEAD" => "-I".to_string(),
            "GET" if self.step == StepId::Token => String::new(),
            "GET" => "-i".to_string(),
            other => format!("-i -X {other}"),
        });
        for (name, value) in &self.request_headers {
            if name == "authorization" {
                words.push(match value.as_str() {
                    "Basic" => "-u \"$REGISTRY_USERNAME:$REGISTRY_PASSWORD\"".to_string(),
                    _ => "-H \"Authorization: Bearer $TOKEN\"".to_string(),
                });
            } else {
                let header = format!("{}: {value}", title_case(name));
                words.push(format!("-H {}", shlex::try_quote(&header).ok()?));
            }
        }
        words.push(shlex::try_quote(&self.url).ok()?.into_owned());
        let command = words
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Some(if self.step == StepId::Token && self.method == "GET" {
            format!("TOKEN=$({command} | jq -r '.token // .access_token')")
        } else {
            command
        })
    }
}

/// `access-control-request-method` → `Access-Control-Request-Method`.
fn title_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// The trace as `curl` commands, in order; a token request sets `$TOKEN` for the next ones.
pub(super) fn curl_commands(trace: &[TraceEntry]) -> Vec<String> {
    trace.iter().filter_map(TraceEntry::curl).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_hold_placeholders_and_quoted_urls() {
        let request = HttpRequest {
            method: Method::Get,
            url: "https://u:pw@r.example/v2/_catalog?n=100&last=a'b".into(),
            headers: vec![("Authorization", "Basic dTpwdw==".into())],
            no_cors: false,
            body_limit: 0,
            timeout_ms: 1,
        };
        let entry = TraceEntry::sent(StepId::Catalog, &request);
        assert_eq!(entry.url, "https://r.example/v2/_catalog?n=100&last=a%27b");
        assert_eq!(
            entry
                .request_headers
                .get("authorization")
                .map(String::as_str),
            Some("Basic")
        );
        assert_eq!(
            entry.curl().as_deref(),
            Some(
                r#"curl -sS -i -u "$REGISTRY_USERNAME:$REGISTRY_PASSWORD" 'https://r.example/v2/_catalog?n=100&last=a%27b'"#
            )
        );
        let token = TraceEntry::sent(
            StepId::Token,
            &HttpRequest {
                url: "https://auth.example/token?scope=x".into(),
                headers: vec![],
                ..request.clone()
            },
        );
        assert_eq!(
            token.curl().as_deref(),
            Some("TOKEN=$(curl -sS 'https://auth.example/token?scope=x' | jq -r '.token // .access_token')")
        );
        let head = TraceEntry::sent(
            StepId::Pull,
            &HttpRequest {
                method: Method::Head,
                url: "https://r.example/v2/a/manifests/latest".into(),
                headers: vec![
                    ("Authorization", "Bearer SECRET".into()),
                    ("Accept", "application/json".into()),
                ],
                ..request
            },
        );
        assert_eq!(
            head.curl().as_deref(),
            Some(
                r#"curl -sS -I -H 'Accept: application/json' -H "Authorization: Bearer $TOKEN" https://r.example/v2/a/manifests/latest"#
            )
        );
    }
}
