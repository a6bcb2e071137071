//! Which registry product or service a host (and path) belongs to.
//!
//! Single-host providers (Docker Hub, GHCR, Quay.io, GCR, Artifact Registry, ECR, ACR,
//! GitLab.com) serve the registry API at the root of their host: a path typed after such a host
//! is a namespace (an organisation or project), never a path prefix. Self-hosted products
//! (Harbor, Artifactory, Nexus, GitLab, Red Hat Quay) are recognised when the host or path
//! clearly names them; there a path before `/v2` is a real prefix.

use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The registry provider, as far as the URL tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// Docker Hub.
    Dockerhub,
    /// GitHub Container Registry.
    Ghcr,
    /// Quay.io or Red Hat Quay.
    Quay,
    /// Google Container Registry.
    Gcr,
    /// Google Artifact Registry (`*-docker.pkg.dev`).
    ArtifactRegistry,
    /// Amazon ECR.
    Ecr,
    /// Azure Container Registry.
    Acr,
    /// GitLab's container registry.
    Gitlab,
    /// Harbor.
    Harbor,
    /// JFrog Artifactory.
    Artifactory,
    /// Sonatype Nexus.
    Nexus,
    /// Any other Docker V2 compliant registry.
    Other,
}

/// Docker Hub's hosts; the first three serve the API and are kept as typed.
pub(crate) const DOCKER_HUB_API_HOSTS: [&str; 3] = [
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];
/// Docker Hub names that do not serve the API and become `index.docker.io`.
pub(crate) const DOCKER_HUB_ALIASES: [&str; 2] = ["docker.io", "hub.docker.com"];

impl Provider {
    /// A human name, used in messages.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Dockerhub => "Docker Hub",
            Provider::Ghcr => "GitHub Container Registry",
            Provider::Quay => "Quay",
            Provider::Gcr => "Google Container Registry",
            Provider::ArtifactRegistry => "Google Artifact Registry",
            Provider::Ecr => "Amazon ECR",
            Provider::Acr => "Azure Container Registry",
            Provider::Gitlab => "GitLab",
            Provider::Harbor => "Harbor",
            Provider::Artifactory => "Artifactory",
            Provider::Nexus => "Nexus",
            Provider::Other => "a Docker V2 registry",
        }
    }

    /// Whether `GET /v2/_catalog` lists anything there: Docker Hub, GHCR and GitLab.com answer
    /// it with an error for every account (`../shared/providers.md`), so the probe skips it.
    pub fn has_catalog(self) -> bool {
        !matches!(
            self,
            Provider::Dockerhub | Provider::Ghcr | Provider::Gitlab
        )
    }

    /// Whether whoever runs the registry can make it send CORS headers: only self-run servers
    /// (distribution behind a front, Artifactory, Nexus); hosted services send none.
    pub fn can_send_cors(self) -> bool {
        matches!(
            self,
            Provider::Other | Provider::Artifactory | Provider::Nexus
        )
    }
}

/// Classifies a lowercase ASCII host and the path segments before `/v2`.
///
/// Returns the provider and whether the host serves a single registry at its root.
pub(crate) fn classify_provider(host: &str, path: &[&str]) -> (Provider, bool) {
    // A label contains `word` exactly when the host does (words have no dot).
    let names = |word: &str| host.contains(word);
    let first_path = path.first().copied().unwrap_or_default();
    if DOCKER_HUB_API_HOSTS.contains(&host) || DOCKER_HUB_ALIASES.contains(&host) {
        (Provider::Dockerhub, true)
    } else if host == "ghcr.io" {
        (Provider::Ghcr, true)
    } else if host == "quay.io" {
        (Provider::Quay, true)
    } else if host == "gcr.io" || host.ends_with(".gcr.io") {
        (Provider::Gcr, true)
    } else if host.ends_with("-docker.pkg.dev") {
        (Provider::ArtifactRegistry, true)
    } else if is_ecr(host) {
        (Provider::Ecr, true)
    } else if host.ends_with(".azurecr.io") {
        (Provider::Acr, true)
    } else if host == "registry.gitlab.com" {
        (Provider::Gitlab, true)
    } else if host.ends_with(".jfrog.io")
        || names("artifactory")
        || first_path.eq_ignore_ascii_case("artifactory")
    {
        (Provider::Artifactory, false)
    } else if names("nexus") || first_path.eq_ignore_ascii_case("repository") {
        (Provider::Nexus, false)
    } else if names("harbor") {
        (Provider::Harbor, false)
    } else if names("gitlab") {
        (Provider::Gitlab, false)
    } else if host.split('.').next() == Some("quay") {
        (Provider::Quay, false)
    } else {
        (Provider::Other, false)
    }
}

/// `<account>.dkr.ecr.<region>.amazonaws.com` (or `.com.cn`).
fn is_ecr(host: &str) -> bool {
    if !host.contains(".amazonaws.com") {
        return false;
    }
    let labels: Vec<&str> = host.split('.').collect();
    matches!(
        labels.as_slice(),
        [_, "dkr", "ecr", _, "amazonaws", "com"] | [_, "dkr", "ecr", _, "amazonaws", "com", "cn"]
    )
}
