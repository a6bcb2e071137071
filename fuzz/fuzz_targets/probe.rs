#![no_main]
//! The probe state machine fed arbitrary answers: it must never panic, must finish within a
//! bounded number of requests, and must never put the password into its report (trace and curl
//! commands included), with or without a page origin to replay CORS for.
use libfuzzer_sys::fuzz_target;
use registry_probe::{Action, Environment, Failure, HttpResponse, NetworkCause, PageProtocol, Probe, ProbeRequest};

const PASSWORD: &str = "fuzz-PASSWORD-sentinel";
const HEADERS: [&str; 10] = [
    "www-authenticate", "link", "docker-distribution-api-version", "content-type",
    "access-control-allow-origin", "access-control-allow-headers", "access-control-expose-headers",
    "ratelimit-limit", "ratelimit-remaining", "server",
];

fuzz_target!(|data: &[u8]| {
    let (Some(&flags), Some(&more), Some(rest)) = (data.first(), data.get(1), data.get(2..)) else { return };
    let env = Environment { cors: flags & 1 == 1, page_protocol: (flags & 2 == 2).then_some(PageProtocol::Https), server: more & 2 == 2 };
    let urls = [
        "https://r.example.com", "http://localhost:5000", "docker.io", "quay.io", "harbor.example.com/x",
        "r.example.com", "10.0.0.5:5000", "acme.azurecr.io",
    ];
    let request = ProbeRequest {
        url: urls[usize::from(flags >> 4) % urls.len()].into(),
        username: (flags & 4 == 4).then(|| "u".into()),
        password: Some(PASSWORD.into()),
        repository: (flags & 8 == 8).then(|| "team/app".into()),
        origin: (more & 1 == 1).then(|| "https://console.example".into()),
        ..ProbeRequest::default()
    };
    let mut probe = Probe::new(request, env);
    // Answers: records separated by 0xFF; a record is [kind, status hi, status lo, header index, value…, 0x00, body…].
    let mut answers = rest.split(|b| *b == 0xFF);
    for _ in 0..200 {
        match probe.poll() {
            Action::Done(report) => {
                let text = serde_json::to_string(&report).unwrap();
                assert!(!text.contains(PASSWORD));
                assert!(report.trace.len() >= report.requests as usize);
                return;
            }
            Action::Send(_) => {
                let record = answers.next().unwrap_or(&[]);
                // The driver's deadline, passing while the request is in flight.
                if more & 4 == 4 && record.first() == Some(&4) {
                    probe.deadline_passed(30_000.0, 1.0);
                    continue;
                }
                match record {
                    [] => probe.handle_failure(Failure::Network, 1.0),
                    [0, ..] => probe.handle_failure(Failure::Timeout, 1.0),
                    [1, ..] => probe.handle_failure(Failure::Redirect, 1.0),
                    [2, ..] => probe.handle_failure(Failure::Connection(NetworkCause::Refused, String::new()), 1.0),
                    [3, ..] => probe.handle_failure(Failure::Connection(NetworkCause::NotTls, String::new()), 1.0),
                    [_, hi, lo, h, tail @ ..] => {
                        let (value, body) = match tail.iter().position(|b| *b == 0) {
                            Some(i) => (&tail[..i], &tail[i + 1..]),
                            None => (tail, &[][..]),
                        };
                        let headers = vec![(HEADERS[usize::from(*h) % HEADERS.len()].to_string(), String::from_utf8_lossy(value).into_owned())];
                        let status = u16::from_be_bytes([*hi, *lo]) % 600;
                        probe.handle_response(HttpResponse { status, headers, body: body.to_vec(), opaque: status == 0 }, 1.0);
                    }
                    [_, ..] => probe.handle_response(HttpResponse { status: 200, ..HttpResponse::default() }, 1.0),
                }
            }
        }
    }
    panic!("the probe did not finish within 200 requests");
});
