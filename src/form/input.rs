//! What the form gives: its fields and options, read from JS with serde. An optional field that
//! is absent or `null` takes its default.

use crate::form::connector::ProviderType;
use crate::url_field::PageProtocol;
use serde::Deserialize;
use std::collections::BTreeMap;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Authentication as the form holds it. It is read through a plain struct (`AuthFields`); the serde
/// attributes here give its TypeScript shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(tag = "type", from = "AuthFields")]
pub enum AuthInput {
    /// No credentials.
    #[default]
    Anonymous,
    /// A username and the reference of the secret holding the password.
    UsernamePassword {
        /// Username.
        #[serde(default)]
        username: String,
        /// Secret reference.
        #[serde(default, rename = "passwordRef")]
        password_ref: String,
    },
}

/// [`AuthInput`] as it is read: a plain struct, so that an error names its field
/// (`auth.username`); serde loses the path inside internally tagged enums.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthFields {
    #[serde(rename = "type")]
    kind: AuthKind,
    #[serde(default, deserialize_with = "null_as_default")]
    username: String,
    #[serde(default, deserialize_with = "null_as_default")]
    password_ref: String,
}

#[derive(Deserialize)]
enum AuthKind {
    Anonymous,
    UsernamePassword,
}

impl From<AuthFields> for AuthInput {
    fn from(fields: AuthFields) -> Self {
        match fields.kind {
            AuthKind::Anonymous => AuthInput::Anonymous,
            AuthKind::UsernamePassword => AuthInput::UsernamePassword {
                username: fields.username,
                password_ref: fields.password_ref,
            },
        }
    }
}

/// The form's fields.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ConnectorForm {
    /// Display name.
    #[serde(default, deserialize_with = "null_as_default")]
    pub name: String,
    /// Identifier; derived from the name when absent or empty.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub identifier: Option<String>,
    /// Docker Registry URL as typed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub url: String,
    /// Provider type; inferred from the URL when absent.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub provider_type: Option<ProviderType>,
    /// Authentication (anonymous when absent).
    #[serde(default, deserialize_with = "null_as_default")]
    pub auth: AuthInput,
    /// Delegate selectors.
    #[serde(default, deserialize_with = "null_as_default")]
    pub delegate_selectors: Vec<String>,
}

/// Options for [`validate_form`](crate::validate_form).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FormOptions {
    /// The page's `location.protocol` (mixed-content warning on the URL).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub page_protocol: Option<PageProtocol>,
    /// Identifiers already taken in this scope.
    #[serde(default, deserialize_with = "null_as_default")]
    pub existing_identifiers: Vec<String>,
    /// Per-code message templates that replace the English ones (`{detail}` is filled in).
    #[serde(default, deserialize_with = "code_map")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, string>"))]
    pub messages: Vec<(String, String)>,
}

/// `{ code: template }` as (code, template) pairs; `null` is none.
fn code_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    Option::<BTreeMap<String, String>>::deserialize(d)
        .map(|m| m.unwrap_or_default().into_iter().collect())
}

/// An optional field given as `null` takes its default, as an absent one does.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}
