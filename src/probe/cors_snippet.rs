//! The configuration that gives a page on an origin CORS access to a registry, for the server
//! recognised from its answers: distribution's own `http.headers` (when it needs no preflight
//! answered before authentication, which it cannot do: distribution#4458), else an nginx
//! `location` that answers `OPTIONS` itself and adds the headers once, on every answer.

use crate::messages::finding::Snippet;

/// What a server's answers say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ServerKind {
    /// CNCF distribution (`Docker-Distribution-Api-Version`, no proxy in front).
    Distribution,
    /// nginx (`Server: nginx`), usually a front.
    Nginx,
    /// Anything else: a front is the general fix.
    Other,
}

/// Response headers a page needs to read, in the order the snippets (and the findings' fixes,
/// which a test keeps the same) list them: the one list.
pub(super) const EXPOSED: [&str; 4] = [
    "Docker-Distribution-Api-Version",
    "WWW-Authenticate",
    "Link",
    "Docker-Content-Digest",
];
/// Where an nginx snippet's `proxy_pass` points until the reader fills in the registry.
pub const NGINX_UPSTREAM: &str = "http://registry:5000";

/// The snippet for `kind`, allowing pages on `origin`, for requests under `location`.
pub(super) fn snippet(kind: ServerKind, origin: &str, location: &str) -> Snippet {
    match kind {
        ServerKind::Distribution => Snippet {
            server: "distribution".into(),
            text: distribution(origin),
        },
        ServerKind::Nginx | ServerKind::Other => Snippet {
            server: "nginx".into(),
            text: nginx(origin, location),
        },
    }
}

fn distribution(origin: &str) -> String {
    let expose: Vec<String> = EXPOSED.iter().map(|h| format!("'{h}'")).collect();
    format!(
        "# the registry's config.yml: CORS for pages on {origin}\n\
         http:\n  headers:\n    \
         Access-Control-Allow-Origin: ['{origin}']\n    \
         Access-Control-Allow-Methods: ['GET', 'HEAD', 'OPTIONS']\n    \
         Access-Control-Allow-Headers: ['Authorization', 'Accept']\n    \
         Access-Control-Expose-Headers: [{}]\n",
        expose.join(", ")
    )
}

fn nginx(origin: &str, location: &str) -> String {
    let expose = EXPOSED.join(", ");
    format!(
        "# nginx, in the server block in front of the registry: CORS for pages on {origin}\n\
         location {location} {{\n    \
         if ($request_method = OPTIONS) {{\n        \
         add_header Access-Control-Allow-Origin '{origin}' always;\n        \
         add_header Access-Control-Allow-Methods 'GET, HEAD, OPTIONS' always;\n        \
         add_header Access-Control-Allow-Headers 'Authorization, Accept' always;\n        \
         add_header Access-Control-Max-Age 600 always;\n        \
         return 204;\n    }}\n    \
         proxy_hide_header Access-Control-Allow-Origin;\n    \
         proxy_hide_header Access-Control-Allow-Methods;\n    \
         proxy_hide_header Access-Control-Allow-Headers;\n    \
         proxy_hide_header Access-Control-Expose-Headers;\n    \
         add_header Access-Control-Allow-Origin '{origin}' always;\n    \
         add_header Access-Control-Expose-Headers '{expose}' always;\n    \
         proxy_set_header Host $http_host;\n    \
         proxy_pass {NGINX_UPSTREAM}; # the registry's address\n}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::EXPOSED;
    use crate::messages::finding::FindingCode;

    /// Every finding that names the headers to expose names exactly these, in this order.
    #[test]
    fn the_findings_name_the_headers_the_snippets_expose() {
        let list = EXPOSED.join(", ");
        let mut naming = 0;
        for code in FindingCode::ALL {
            for text in [Some(code.template()), code.fix_template()]
                .into_iter()
                .flatten()
            {
                if let Some(at) = text.find("Docker-Distribution-Api-Version") {
                    naming += 1;
                    let named = text.get(at..).unwrap_or_default();
                    assert!(named.starts_with(&list), "{}: {named}", code.code());
                }
            }
        }
        assert!(naming >= 4, "{naming}");
    }
}
