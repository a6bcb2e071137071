//! Image references pasted into the URL field by mistake (`nginx:latest`, `ghcr.io/org/app:1.0`).
//!
//! The grammar follows distribution/reference, loosely (only to recognise the mistake):
//! ```text
//! reference  := [domain "/"] path [":" tag] ["@" digest]   ; a tag or a digest is required here
//! domain     := component containing "." or ":", or "localhost"
//! tag        := [\w][\w.-]{0,127}
//! digest     := algorithm ":" hex{32,}
//! ```
//! `host:5000` (digits after the only colon, no path) is a host and port, not a tag; a path
//! with a `v1`/`v2` segment is an API path, not a reference. As distribution/reference
//! normalizes names, a one-component name on Docker Hub (`busybox`, `docker.io/busybox`) is
//! `library/busybox`.

use crate::url_field::provider::{DOCKER_HUB_ALIASES, DOCKER_HUB_API_HOSTS};

/// The registry and repository an image reference names.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImageReference<'a> {
    /// The registry host (and port) as typed; `None` means Docker Hub.
    pub registry: Option<&'a str>,
    /// The repository path, e.g. `library/nginx`.
    pub repository: String,
}

/// Recognises an image reference in a trimmed, whitespace-free field value.
pub(crate) fn parse_image_reference(text: &str) -> Option<ImageReference<'_>> {
    let starts = |word: &str| {
        text.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
    };
    let text = if starts("https://") {
        text.get(8..)?
    } else if starts("http://") {
        text.get(7..)?
    } else {
        text
    };
    // A tag or a digest is required: no `:` or `@` after the scheme, no reference.
    if has_any(text, *b"?#") || !has_any(text, *b":@") {
        return None;
    }
    let (name, has_digest) = match text.rsplit_once('@') {
        Some((name, digest)) if is_digest(digest) => (name, true),
        Some(_) => return None,
        None => (text, false),
    };
    let (slash, last) = match name.rsplit_once('/') {
        Some((before, last)) => (Some(before), last),
        None => (None, name),
    };
    let (name, tagged) = match last.split_once(':') {
        Some((_, tag)) if !is_tag(tag) => return None,
        Some((_, tag)) if slash.is_none() && tag.bytes().all(|b| b.is_ascii_digit()) => {
            return None
        }
        Some((repo, _)) => (name.get(..name.len() - last.len() + repo.len())?, true),
        None => (name, false),
    };
    if !(tagged || has_digest) {
        return None;
    }
    let components: Vec<&str> = name.split('/').collect();
    if components
        .iter()
        .any(|c| c.is_empty() || c.eq_ignore_ascii_case("v1") || c.eq_ignore_ascii_case("v2"))
    {
        return None;
    }
    match components.as_slice() {
        [first, rest @ ..] if !rest.is_empty() && is_domain(first) => Some(ImageReference {
            registry: Some(first),
            repository: match rest {
                [single] if is_docker_hub(first) => format!("library/{single}"),
                _ => rest.join("/"),
            },
        }),
        // `registry.example.com:abc` is a host with a bad port, not an image.
        [single] if !is_domain(single) => Some(ImageReference {
            registry: None,
            repository: format!("library/{single}"),
        }),
        [_] => None,
        _ => Some(ImageReference {
            registry: None,
            repository: components.join("/"),
        }),
    }
}

/// True when `text` holds `a` or `b` (ASCII).
fn has_any(text: &str, [a, b]: [u8; 2]) -> bool {
    text.bytes().any(|x| x == a || x == b)
}

/// A Docker Hub host as a reference names it (`docker.io`, `index.docker.io`, …).
fn is_docker_hub(domain: &str) -> bool {
    DOCKER_HUB_ALIASES
        .iter()
        .chain(DOCKER_HUB_API_HOSTS.iter())
        .any(|host| domain.eq_ignore_ascii_case(host))
}

fn is_domain(component: &str) -> bool {
    has_any(component, *b".:") || component == "localhost"
}

fn is_tag(tag: &str) -> bool {
    let mut bytes = tag.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphanumeric() || b == b'_')
        && tag.len() <= 128
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
}

/// `algorithm:hex` with at least 32 hex digits (a content digest).
pub(crate) fn is_digest(digest: &str) -> bool {
    match digest.split_once(':') {
        Some((algorithm, hex)) => {
            !algorithm.is_empty()
                && algorithm
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+._-".contains(&b))
                && hex.len() >= 32
                && hex.bytes().all(|b| b.is_ascii_hexdigit())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(text: &str) -> Option<(Option<&str>, String)> {
        parse_image_reference(text).map(|r| (r.registry, r.repository))
    }

    #[test]
    fn host_and_port_is_not_a_reference() {
        assert_eq!(reference("localhost:5000"), None);
        assert_eq!(reference("registry.example.com:443"), None);
        assert_eq!(reference("registry.example.com/v2/app/manifests/1.0"), None);
    }

    #[test]
    fn tags_and_digests_are_references() {
        assert_eq!(
            reference("nginx:latest"),
            Some((None, "library/nginx".into()))
        );
        assert_eq!(
            reference("ghcr.io/org/app:1.0"),
            Some((Some("ghcr.io"), "org/app".into()))
        );
        let digest = format!("docker.io/library/nginx@sha256:{}", "a".repeat(64));
        assert_eq!(
            reference(&digest),
            Some((Some("docker.io"), "library/nginx".into()))
        );
        assert_eq!(
            reference("localhost:5000/team/app:v3"),
            Some((Some("localhost:5000"), "team/app".into()))
        );
        // Docker Hub's official images live under library/, as distribution/reference says.
        assert_eq!(
            reference("docker.io/busybox:latest"),
            Some((Some("docker.io"), "library/busybox".into()))
        );
        assert_eq!(
            reference("Index.Docker.IO/team/app:1"),
            Some((Some("Index.Docker.IO"), "team/app".into()))
        );
        // Only a first component with `.` or `:`, or `localhost`, is a registry.
        assert_eq!(reference("team/app:1"), Some((None, "team/app".into())));
        assert_eq!(reference("myhost/app:1"), Some((None, "myhost/app".into())));
        assert_eq!(
            reference("quay.io/busybox:latest"),
            Some((Some("quay.io"), "busybox".into()))
        );
    }
}
