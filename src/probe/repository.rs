//! The repository field as docker reads it (distribution/reference):
//! ```text
//! field      := [domain "/"] path [":" tag] ["@" digest]
//! domain     := first component, when it is a host[:port] that contains "." or ":" or is
//!               "localhost" (labels of letters, digits and inner hyphens; or [IPv6])
//! ```
//! On Docker Hub a one-part path is `library/<path>` (`alpine` is `library/alpine`, as docker
//! and distribution/reference read it: ../shared/providers.md §1.4). A domain that is the probed
//! registry (on Docker Hub, any of its spellings) is read as its path; a domain naming another
//! registry is no repository of this one. Without a domain the path is relative to the probed
//! registry.

use crate::url_field::provider::{Provider, DOCKER_HUB_ALIASES, DOCKER_HUB_API_HOSTS};
use crate::url_field::Endpoint;

/// What the repository field names.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RepositoryField {
    /// A repository of the probed registry, and the tag or digest to check when one is given.
    Here {
        repository: String,
        reference: Option<String>,
    },
    /// A reference to another registry: its domain as typed.
    Elsewhere(String),
}

/// Whether `domain` (lower case, maybe with a port) names the registry of `endpoint`.
fn is_this_registry(domain: &str, endpoint: &Endpoint) -> bool {
    if endpoint.provider == Provider::Dockerhub {
        let host = domain.strip_suffix(":443").unwrap_or(domain);
        return DOCKER_HUB_API_HOSTS.contains(&host)
            || DOCKER_HUB_ALIASES.contains(&host)
            || host == "registry.docker.io";
    }
    let ours = match endpoint.port {
        Some(port) => format!("{}:{port}", endpoint.host),
        None => endpoint.host.clone(),
    };
    domain == ours
}

/// Whether `first` (a reference's first component) is a registry's domain, as
/// distribution/reference reads one: a host (and port) that has a `.` or a `:`, or `localhost`.
fn is_domain(first: &str) -> bool {
    let (host, port) = match first.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !host.is_empty() => (host, Some(port)),
        _ => (first, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let label = |l: &str| {
        !l.is_empty()
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let bracketed = host.starts_with('[') && host.ends_with(']');
    let named = host.split('.').all(label);
    (bracketed || named)
        && (host.contains('.') || port.is_some() || host == "localhost" || bracketed)
}

/// Reads the trimmed field `text` for `endpoint`.
pub(super) fn read_repository(text: &str, endpoint: &Endpoint) -> RepositoryField {
    let text = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .unwrap_or(text);
    let (name, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    let (domain, path) = match name.split_once('/') {
        Some((first, rest)) if is_domain(first) => (Some(first.to_ascii_lowercase()), rest),
        _ => (None, name),
    };
    if let Some(domain) = &domain {
        if !is_this_registry(domain, endpoint) {
            return RepositoryField::Elsewhere(domain.clone());
        }
    }
    // A tag is after the last component's colon (a port only ever precedes the first `/`).
    let (path, tag) = match path.rsplit_once('/') {
        Some((head, last)) => match last.split_once(':') {
            Some((last, tag)) => (format!("{head}/{last}"), Some(tag)),
            None => (path.to_string(), None),
        },
        None => match path.split_once(':') {
            Some((last, tag)) => (last.to_string(), Some(tag)),
            None => (path.to_string(), None),
        },
    };
    let repository = if endpoint.provider == Provider::Dockerhub && !path.contains('/') {
        format!("library/{path}")
    } else {
        path
    };
    let reference = digest.or(tag).filter(|r| !r.is_empty()).map(str::to_string);
    RepositoryField::Here {
        repository,
        reference,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url_field::{validate_registry_url, UrlOptions};

    fn endpoint(url: &str) -> Endpoint {
        match validate_registry_url(url, &UrlOptions::default()).endpoint {
            Some(endpoint) => endpoint,
            None => panic!("{url} has no endpoint"),
        }
    }

    fn here(repository: &str, reference: Option<&str>) -> RepositoryField {
        RepositoryField::Here {
            repository: repository.into(),
            reference: reference.map(str::to_string),
        }
    }

    #[test]
    fn docker_reads_official_images_and_tags_on_docker_hub() {
        let hub = endpoint("docker.io");
        for (typed, repository, reference) in [
            ("alpine", "library/alpine", None),
            ("alpine:3.20", "library/alpine", Some("3.20")),
            ("docker.io/alpine", "library/alpine", None),
            (
                "index.docker.io/library/alpine:latest",
                "library/alpine",
                Some("latest"),
            ),
            ("registry-1.docker.io/acme/app", "acme/app", None),
            (
                "https://registry.hub.docker.com/acme/app:v1",
                "acme/app",
                Some("v1"),
            ),
            ("acme/app@sha256:0123", "acme/app", Some("sha256:0123")),
        ] {
            assert_eq!(
                read_repository(typed, &hub),
                here(repository, reference),
                "{typed}"
            );
        }
        assert_eq!(
            read_repository("ghcr.io/acme/app", &hub),
            RepositoryField::Elsewhere("ghcr.io".into())
        );
    }

    #[test]
    fn elsewhere_paths_are_relative_to_the_registry() {
        let own = endpoint("http://127.0.0.1:5000");
        assert_eq!(read_repository("alpine", &own), here("alpine", None));
        assert_eq!(
            read_repository("team/app:1.0", &own),
            here("team/app", Some("1.0"))
        );
        assert_eq!(
            read_repository("127.0.0.1:5000/team/app", &own),
            here("team/app", None)
        );
        assert_eq!(
            read_repository("127.0.0.1:5001/team/app", &own),
            RepositoryField::Elsewhere("127.0.0.1:5001".into())
        );
        assert_eq!(
            read_repository("docker.io/library/alpine", &own),
            RepositoryField::Elsewhere("docker.io".into())
        );
        // Not a domain: a path (which the tags phase then judges).
        assert_eq!(read_repository("../etc", &own), here("../etc", None));
        assert_eq!(
            read_repository("team.x/app", &own),
            RepositoryField::Elsewhere("team.x".into())
        );
        assert_eq!(
            read_repository("-bad.host/app", &own),
            here("-bad.host/app", None)
        );
    }
}
