//! The scenario builder: a probe request, the environment, and the exchanges the probe must
//! make in order (method, URL, the `Authorization` it must carry, the reply it gets). Paths
//! starting with `/` are on the registry [`R`]. `run` drives the sans-IO probe through them —
//! no network, no clock — then drives it again with every sentence translated.

use registry_probe::probe::{Action, Environment, Failure, HttpResponse, Method};
use registry_probe::{
    Code, FindingCode, PageProtocol, Probe, ProbeReport, ProbeRequest, StepText, VerdictText,
};

/// The registry every scenario talks to.
pub const R: &str = "https://r.example.com";
/// The test password: it must appear in no report.
pub const PASSWORD: &str = "s3cret-PW";
/// base64("ci:s3cret-PW")
pub const BASIC: &str = "Basic Y2k6czNjcmV0LVBX";
/// The API version header distribution sends.
pub const V: (&str, &str) = ("docker-distribution-api-version", "registry/2.0");

/// A page on another origin (CORS applies).
pub const BROWSER: Environment = Environment {
    cors: true,
    page_protocol: Some(PageProtocol::Http),
    server: false,
    now_s: None,
};
/// Node (no CORS).
pub const NODE: Environment = Environment {
    cors: false,
    page_protocol: None,
    server: false,
    now_s: None,
};
/// The console's server (registry-probe/server): Node, probing for someone else.
pub const SERVER: Environment = Environment {
    cors: false,
    page_protocol: None,
    server: true,
    now_s: None,
};

/// What the registry (or the network) answers.
#[derive(Clone)]
pub enum Reply {
    /// Status, headers, body.
    Answer(u16, Vec<(String, String)>, String),
    /// No response.
    Fail(Failure),
    /// A `no-cors` response: something answered, nothing readable.
    Opaque,
    /// The driver's deadline for the whole probe (this many ms) passes while the request is
    /// in flight.
    Deadline(f64),
}
pub use Reply::{Deadline, Fail, Opaque};

/// An answer with these headers and body.
pub fn answer(status: u16, headers: &[(&str, &str)], body: String) -> Reply {
    let headers = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Reply::Answer(status, headers, body)
}

/// `200` with this body.
pub fn ok(body: &str) -> Reply {
    answer(200, &[], body.to_string())
}

/// `401` with this `WWW-Authenticate` (and the API version header).
pub fn unauthorized(challenge: &str) -> Reply {
    answer(401, &[V, ("www-authenticate", challenge)], String::new())
}

/// A token service's answer.
pub fn token(value: &str) -> Reply {
    ok(&format!("{{\"access_token\":\"{value}\"}}"))
}

/// A probe request for `url`.
pub fn req(url: &str) -> ProbeRequest {
    ProbeRequest {
        url: url.into(),
        ..ProbeRequest::default()
    }
}

/// A probe request for `url` with the user `ci` and [`PASSWORD`].
pub fn with_user(url: &str) -> ProbeRequest {
    ProbeRequest {
        username: Some("ci".into()),
        password: Some(PASSWORD.into()),
        ..req(url)
    }
}

/// The finding codes of a report, in order.
pub fn codes(r: &ProbeReport) -> Vec<&str> {
    r.findings.iter().map(|f| f.code.code()).collect()
}

/// A catalog page of `n` names `prefix000`, `prefix001`, …
pub fn names(prefix: &str, n: usize) -> String {
    let list: Vec<String> = (0..n).map(|i| format!("\"{prefix}{i:03}\"")).collect();
    format!("{{\"repositories\":[{}]}}", list.join(","))
}

#[derive(Clone)]
struct Exchange {
    method: Method,
    url: String,
    auth: Option<&'static str>,
    reply: Reply,
}

/// A probe and the exchanges it must make.
pub struct Scenario {
    request: ProbeRequest,
    env: Environment,
    script: Vec<Exchange>,
}

impl Scenario {
    /// A scenario for `request` in `env`, with no exchange yet.
    pub fn new(request: ProbeRequest, env: Environment) -> Scenario {
        Scenario {
            request,
            env,
            script: Vec::new(),
        }
    }

    fn then(
        mut self,
        method: Method,
        url: impl Into<String>,
        auth: Option<&'static str>,
        reply: Reply,
    ) -> Self {
        let url = url.into();
        let url = if url.starts_with('/') {
            format!("{R}{url}")
        } else {
            url
        };
        self.script.push(Exchange {
            method,
            url,
            auth,
            reply,
        });
        self
    }

    /// A `GET` of `url` (a path on [`R`], or absolute).
    pub fn get(self, url: impl Into<String>, auth: Option<&'static str>, reply: Reply) -> Self {
        self.then(Method::Get, url, auth, reply)
    }

    /// A `HEAD` of `url`.
    pub fn head(self, url: impl Into<String>, auth: Option<&'static str>, reply: Reply) -> Self {
        self.then(Method::Head, url, auth, reply)
    }

    /// A preflight the probe replays for a page's origin: `OPTIONS` of `url`.
    pub fn options(self, url: impl Into<String>, reply: Reply) -> Self {
        self.then(Method::Options, url, None, reply)
    }

    /// The ping: `GET /v2/` without credentials.
    pub fn ping(self, reply: Reply) -> Self {
        self.get("/v2/", None, reply)
    }

    /// A catalog page: `GET /v2/_catalog?{query}`.
    pub fn catalog(self, query: &str, auth: Option<&'static str>, reply: Reply) -> Self {
        self.get(format!("/v2/_catalog?{query}"), auth, reply)
    }

    /// The tag list of `repository`.
    pub fn tags(self, repository: &str, auth: Option<&'static str>, reply: Reply) -> Self {
        self.get(format!("/v2/{repository}/tags/list"), auth, reply)
    }

    /// The pull check: `HEAD` of `repository:tag`'s manifest.
    pub fn pull(
        self,
        repository: &str,
        tag: &str,
        auth: Option<&'static str>,
        reply: Reply,
    ) -> Self {
        self.head(format!("/v2/{repository}/manifests/{tag}"), auth, reply)
    }

    /// Runs the scenario, then again with every sentence translated: the same requests and
    /// findings, and no English sentence left (so none is written outside the tables).
    pub fn run(self) -> ProbeReport {
        let report = drive(
            Probe::new(self.request.clone(), self.env),
            self.script.clone(),
        );
        let translated = drive(
            Probe::with_messages(self.request, self.env, translations()),
            self.script,
        );
        assert_eq!(codes(&translated), codes(&report));
        for finding in &translated.findings {
            assert!(finding.message.starts_with("FR "), "{}", finding.message);
            if let Some(fix) = &finding.fix {
                assert!(fix.starts_with("FR fix"), "{fix}");
            }
        }
        assert!(
            translated.summary.starts_with("FR ["),
            "{}",
            translated.summary
        );
        for (step, english) in translated.steps.iter().zip(&report.steps) {
            assert_eq!(step.status, english.status);
            assert!(step.summary.starts_with("FR ["), "{}", step.summary);
        }
        report
    }
}

/// A second language for every finding, fix and step summary.
fn translations() -> Vec<(String, String)> {
    let mut messages = Vec::new();
    for code in FindingCode::ALL {
        messages.push((
            code.code().to_string(),
            format!("FR {{detail}} [{}]", code.code()),
        ));
        messages.push((
            format!("{}.fix", code.code()),
            "FR fix {detail}".to_string(),
        ));
    }
    // Form diagnostics the probe reports too (credential shapes).
    for code in Code::ALL {
        messages.push((code.code().to_string(), format!("FR [{}]", code.code())));
        messages.push((format!("{}.fix", code.code()), "FR fix".to_string()));
    }
    for text in StepText::ALL {
        messages.push((text.code().to_string(), format!("FR [{}]", text.code())));
    }
    for text in VerdictText::ALL {
        messages.push((text.code().to_string(), format!("FR [{}]", text.code())));
    }
    messages
}

/// Every token the script's token services hand out.
fn tokens_in(script: &[Exchange]) -> Vec<String> {
    let mut tokens = Vec::new();
    for exchange in script {
        if let Reply::Answer(_, _, body) = &exchange.reply {
            if let Ok(serde_json::Value::Object(doc)) = serde_json::from_str(body) {
                for key in ["token", "access_token"] {
                    if let Some(serde_json::Value::String(t)) = doc.get(key) {
                        tokens.push(t.clone());
                    }
                }
            }
        }
    }
    tokens
}

/// The password, the exact Basic value and every token: none may appear in a report.
fn secrets(script: &[Exchange]) -> Vec<String> {
    let mut secrets = vec![
        PASSWORD.to_string(),
        BASIC.to_string(),
        BASIC.trim_start_matches("Basic ").to_string(),
    ];
    secrets.extend(tokens_in(script).into_iter().filter(|t| t.len() >= 2));
    secrets
}

fn drive(mut probe: Probe, script: Vec<Exchange>) -> ProbeReport {
    let secrets = secrets(&script);
    let mut script = script.into_iter();
    loop {
        match probe.poll() {
            Action::Done(report) => {
                assert!(script.next().is_none(), "the probe stopped early");
                let text = serde_json::to_string(&report).unwrap();
                for secret in &secrets {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{secret} in the report: {text}"
                    );
                }
                return *report;
            }
            Action::Send(sent) => {
                let Some(expected) = script.next() else {
                    panic!("unexpected request {}", sent.url)
                };
                assert_eq!(
                    (sent.method, sent.url.as_str()),
                    (expected.method, expected.url.as_str())
                );
                let got = sent
                    .headers
                    .iter()
                    .find(|(k, _)| *k == "Authorization")
                    .map(|(_, v)| v.as_str());
                assert_eq!(got, expected.auth, "Authorization of {}", expected.url);
                match expected.reply {
                    Reply::Answer(status, headers, body) => probe.handle_response(
                        HttpResponse {
                            status,
                            headers,
                            body: body.into_bytes(),
                            opaque: false,
                            via_proxy: None,
                        },
                        1.0,
                    ),
                    Opaque => {
                        assert!(sent.no_cors);
                        probe.handle_response(
                            HttpResponse {
                                opaque: true,
                                ..HttpResponse::default()
                            },
                            1.0,
                        )
                    }
                    Fail(f) => probe.handle_failure(f, 1.0),
                    Deadline(ms) => probe.deadline_passed(ms, 1.0),
                }
            }
        }
    }
}
