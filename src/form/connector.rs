//! The connector a valid form saves, as an object (the body a connector API takes) and as YAML.
//!
//! ```yaml
//! connector:
//!   name: <name>
//!   identifier: <identifier>
//!   type: DockerRegistry
//!   spec:
//!     dockerRegistryUrl: <endpoint.url>
//!     providerType: DockerHub | Harbor | Quay | Other
//!     auth:
//!       type: UsernamePassword | Anonymous
//!       spec: { username: <username>, passwordRef: <ref> }   # omitted for Anonymous
//!     delegateSelectors: [<selectors>]
//! ```
//! Key order is fixed; every user-supplied string is written as a double-quoted YAML scalar
//! (JSON string syntax, which YAML's double-quoted style accepts), so any value reads back as
//! the same string.

use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The provider type the form offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub enum ProviderType {
    /// Docker Hub.
    DockerHub,
    /// Harbor.
    Harbor,
    /// Quay.
    Quay,
    /// Any other Docker V2 compliant registry.
    Other,
}

impl ProviderType {
    /// The name used in the connector.
    pub fn as_str(self) -> &'static str {
        match self {
            ProviderType::DockerHub => "DockerHub",
            ProviderType::Harbor => "Harbor",
            ProviderType::Quay => "Quay",
            ProviderType::Other => "Other",
        }
    }
}

/// `{ connector: … }`: the saved connector, ready to send to a connector API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct ConnectorDocument {
    /// The connector.
    pub connector: Connector,
}

/// A Docker Registry connector.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct Connector {
    /// Display name (trimmed).
    pub name: String,
    /// Identifier.
    pub identifier: String,
    /// Always `DockerRegistry`.
    #[serde(rename = "type")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "\"DockerRegistry\""))]
    pub kind: &'static str,
    /// The Docker Registry settings.
    pub spec: ConnectorSpec,
}

/// The connector's `spec`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ConnectorSpec {
    /// The canonical registry URL.
    pub docker_registry_url: String,
    /// Provider type.
    pub provider_type: ProviderType,
    /// Authentication.
    pub auth: ConnectorAuth,
    /// Delegate selectors, trimmed, without duplicates.
    pub delegate_selectors: Vec<String>,
}

/// The connector's `auth`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[cfg_attr(
    target_arch = "wasm32",
    tsify(
        type = "{ type: \"Anonymous\" } | { type: \"UsernamePassword\"; spec: UsernamePasswordSpec }"
    )
)]
pub struct ConnectorAuth {
    /// `UsernamePassword` or `Anonymous`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Username and secret reference; absent for anonymous access.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spec: Option<UsernamePasswordSpec>,
}

/// Username and the reference of the secret that holds the password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct UsernamePasswordSpec {
    /// Username.
    pub username: String,
    /// Secret reference (`account.x`, `org.x` or `x`), never the password itself.
    pub password_ref: String,
}

/// A YAML double-quoted scalar: JSON's string syntax is a subset of it.
fn quoted(value: &str) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl ConnectorDocument {
    /// The connector as YAML, in the fixed key order above.
    pub fn to_yaml(&self) -> String {
        let c = &self.connector;
        let mut out = format!(
            "connector:\n  name: {}\n  identifier: {}\n  type: {}\n  spec:\n    dockerRegistryUrl: {}\n    providerType: {}\n    auth:\n      type: {}\n",
            quoted(&c.name),
            quoted(&c.identifier),
            c.kind,
            quoted(&c.spec.docker_registry_url),
            c.spec.provider_type.as_str(),
            c.spec.auth.kind,
        );
        if let Some(spec) = &c.spec.auth.spec {
            out.push_str(&format!(
                "      spec:\n        username: {}\n        passwordRef: {}\n",
                quoted(&spec.username),
                quoted(&spec.password_ref)
            ));
        }
        if c.spec.delegate_selectors.is_empty() {
            out.push_str("    delegateSelectors: []\n");
        } else {
            out.push_str("    delegateSelectors:\n");
            for selector in &c.spec.delegate_selectors {
                out.push_str(&format!("      - {}\n", quoted(selector)));
            }
        }
        out
    }
}
