//! The whole "Add Docker Registry artifact server" form, validated on every keystroke.
//!
//! ```text
//! name        := [A-Za-z0-9_.-] [A-Za-z0-9 _.-]*        ; trimmed, at most 128
//! identifier  := [A-Za-z_] [0-9A-Za-z_$]{0,127}          ; derived from the name when absent
//! passwordRef := ("account." | "org.")? identifier      ; a secret reference, never a password
//! selector    := [a-z0-9-${}._<>+]+ (any case)          ; "${" must be closed by "}"
//! ```
//! Derivation: drop characters outside `[0-9A-Za-z_$ ]`, turn runs of spaces into `_`, prefix
//! `_` when it would start with a digit. Each field gets its own diagnostics, with spans into its
//! own string (selectors: plus the selector's index). When nothing is an error, the connector
//! to save comes with it, as an object and as YAML.

pub(crate) mod connector;
pub(crate) mod credentials;
mod input;
mod rules;

pub use input::{AuthInput, ConnectorForm, FormOptions};
pub use rules::{derive_identifier, RESERVED_IDENTIFIERS};
use rules::{is_identifier, is_secret_reference, is_selector_char, unclosed_expression};

use crate::form::connector::{
    Connector, ConnectorAuth, ConnectorDocument, ConnectorSpec, ProviderType, UsernamePasswordSpec,
};
use crate::messages::diagnostic::{Code, Diagnostic};
use crate::url_field::host::quote_char;
use crate::url_field::provider::Provider;
use crate::url_field::{validate_registry_url, Endpoint, UrlOptions};
use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// Maximum length of a name and of an identifier.
pub(super) const MAX_NAME: usize = 128;

/// Diagnostics per form field.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct FormFields {
    /// Display name.
    pub name: Vec<Diagnostic>,
    /// Identifier.
    pub identifier: Vec<Diagnostic>,
    /// Registry URL.
    pub url: Vec<Diagnostic>,
    /// Username (and authentication as a whole).
    pub username: Vec<Diagnostic>,
    /// Password secret reference.
    pub password_ref: Vec<Diagnostic>,
    /// Delegate selectors (each diagnostic has `index`).
    pub delegate_selectors: Vec<Diagnostic>,
    /// Provider type.
    pub provider_type: Vec<Diagnostic>,
}

impl FormFields {
    fn all_mut(&mut self) -> [&mut Vec<Diagnostic>; 7] {
        [
            &mut self.name,
            &mut self.identifier,
            &mut self.url,
            &mut self.username,
            &mut self.password_ref,
            &mut self.delegate_selectors,
            &mut self.provider_type,
        ]
    }

    fn has_error(&self) -> bool {
        [
            &self.name,
            &self.identifier,
            &self.url,
            &self.username,
            &self.password_ref,
            &self.delegate_selectors,
            &self.provider_type,
        ]
        .iter()
        .any(|f| f.iter().any(Diagnostic::is_error))
    }
}

/// The result of validating the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct FormCheck {
    /// True when no field has an error.
    pub ok: bool,
    /// Diagnostics per field.
    pub fields: FormFields,
    /// The identifier that would be saved (given, or derived from the name).
    pub identifier: String,
    /// The provider type that would be saved (chosen, or inferred from the URL).
    pub provider_type: ProviderType,
    /// The endpoint, as from `validateRegistryUrl`.
    pub endpoint: Option<Endpoint>,
    /// The URL a quiet ping (or Test connection) may use: the endpoint's canonical URL when the
    /// URL field has no error (other fields may), else null.
    pub ping_url: Option<String>,
    /// The connector to save, present when ok.
    pub connector: Option<ConnectorDocument>,
    /// The same connector as YAML, present when ok.
    pub yaml: Option<String>,
}

/// Byte range of the trimmed part of `s`.
fn trimmed(s: &str) -> (usize, &str) {
    let lead = s.len() - s.trim_start().len();
    (lead, s.trim())
}

fn inferred_provider_type(provider: Provider) -> ProviderType {
    match provider {
        Provider::Dockerhub => ProviderType::DockerHub,
        Provider::Quay => ProviderType::Quay,
        Provider::Harbor => ProviderType::Harbor,
        _ => ProviderType::Other,
    }
}

/// Validates the whole form. Never panics; invalid input is a result.
pub fn validate_form(form: &ConnectorForm, options: &FormOptions) -> FormCheck {
    let mut fields = FormFields::default();

    // Name.
    let (lead, name) = trimmed(&form.name);
    let raw_name = form.name.as_str();
    if name.is_empty() {
        fields.name.push(Diagnostic::new(
            Code::NameRequired,
            raw_name,
            0..raw_name.len(),
            "",
        ));
    } else if let Some((i, c)) = name
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '.' | '-')))
    {
        let span = lead + i..lead + i + c.len_utf8();
        fields.name.push(Diagnostic::new(
            Code::NameInvalidChar,
            raw_name,
            span,
            &quote_char(c),
        ));
    } else if name.chars().count() > MAX_NAME {
        let span = lead..lead + name.len();
        fields
            .name
            .push(Diagnostic::new(Code::NameTooLong, raw_name, span, ""));
    }

    // Identifier.
    let given = form
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let identifier = given.map_or_else(|| derive_identifier(name), str::to_string);
    let raw_identifier = form
        .identifier
        .as_deref()
        .filter(|_| given.is_some())
        .unwrap_or(&identifier);
    let (id_lead, _) = trimmed(raw_identifier);
    let id_span = id_lead..id_lead + identifier.len();
    let id_diag =
        |code, detail: &str| Diagnostic::new(code, raw_identifier, id_span.clone(), detail);
    if identifier.is_empty() {
        if !name.is_empty() {
            fields
                .identifier
                .push(id_diag(Code::IdentifierRequired, ""));
        }
    } else if !is_identifier(&identifier) {
        fields.identifier.push(id_diag(Code::IdentifierInvalid, ""));
    } else if RESERVED_IDENTIFIERS.contains(&identifier.as_str()) {
        fields
            .identifier
            .push(id_diag(Code::IdentifierReserved, &identifier));
    } else if options.existing_identifiers.contains(&identifier) {
        fields
            .identifier
            .push(id_diag(Code::IdentifierTaken, &identifier));
    }

    // URL.
    let url_options = UrlOptions {
        page_protocol: options.page_protocol,
    };
    let url = validate_registry_url(&form.url, &url_options);
    fields.url = url.diagnostics;
    let endpoint = url.endpoint;

    // Provider type.
    let inferred = endpoint
        .as_ref()
        .map_or(ProviderType::Other, |e| inferred_provider_type(e.provider));
    let provider_type = form.provider_type.unwrap_or(inferred);
    if let (Some(chosen), Some(endpoint)) = (form.provider_type, &endpoint) {
        let contradicts = (inferred != ProviderType::Other && chosen != inferred)
            || (chosen == ProviderType::DockerHub && inferred != ProviderType::DockerHub);
        if contradicts {
            let detail = endpoint.provider.display_name();
            let label = format!("Use {}", inferred.as_str());
            fields.provider_type.push(
                Diagnostic::new(
                    Code::ProviderTypeMismatch,
                    chosen.as_str(),
                    0..chosen.as_str().len(),
                    detail,
                )
                .with_fix(label, inferred.as_str()),
            );
        }
    }

    // Authentication.
    let auth = match &form.auth {
        AuthInput::Anonymous => {
            let quay = endpoint
                .as_ref()
                .is_some_and(|e| e.provider == Provider::Quay)
                || provider_type == ProviderType::Quay;
            if quay {
                fields
                    .username
                    .push(Diagnostic::new(Code::AuthQuayAnonymous, "", 0..0, ""));
            }
            fields.username.push(Diagnostic::new(
                Code::AuthAnonymousPullSecrets,
                "",
                0..0,
                "",
            ));
            ConnectorAuth {
                kind: "Anonymous",
                spec: None,
            }
        }
        AuthInput::UsernamePassword {
            username,
            password_ref,
        } => {
            let user = username.trim();
            if user.is_empty() {
                let d = Diagnostic::new(Code::UsernameRequired, username, 0..username.len(), "");
                fields.username.push(d);
            } else {
                let provider = endpoint.as_ref().map(|e| e.provider);
                credentials::check_username(provider, username, &mut fields.username);
            }
            let (ref_lead, reference) = trimmed(password_ref);
            let span = ref_lead..ref_lead + reference.len();
            if reference.is_empty() {
                let d = Diagnostic::new(
                    Code::PasswordRefRequired,
                    password_ref,
                    0..password_ref.len(),
                    "",
                );
                fields.password_ref.push(d);
            } else if !is_secret_reference(reference) {
                let looks_like_reference = reference
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.' | '-'));
                let code = if looks_like_reference {
                    Code::PasswordRefInvalid
                } else {
                    Code::PasswordRefLooksLikePassword
                };
                fields
                    .password_ref
                    .push(Diagnostic::new(code, password_ref, span, ""));
            }
            ConnectorAuth {
                kind: "UsernamePassword",
                spec: Some(UsernamePasswordSpec {
                    username: user.to_string(),
                    password_ref: reference.to_string(),
                }),
            }
        }
    };

    // Delegate selectors.
    let mut selectors: Vec<String> = Vec::new();
    for (index, raw) in form.delegate_selectors.iter().enumerate() {
        let (lead, selector) = trimmed(raw);
        let at = |d: Diagnostic| Diagnostic {
            index: u32::try_from(index).ok(),
            ..d
        };
        if selector.is_empty() {
            let d = Diagnostic::new(Code::SelectorEmpty, raw, 0..raw.len(), "");
            fields.delegate_selectors.push(at(d));
            continue;
        }
        if let Some((i, c)) = selector.char_indices().find(|&(_, c)| !is_selector_char(c)) {
            let span = lead + i..lead + i + c.len_utf8();
            let d = Diagnostic::new(Code::SelectorInvalidChar, raw, span, &quote_char(c));
            fields.delegate_selectors.push(at(d));
        } else if let Some(open) = unclosed_expression(selector) {
            let span = lead + open..lead + selector.len();
            let d = Diagnostic::new(Code::SelectorUnclosedExpression, raw, span, "");
            fields.delegate_selectors.push(at(d));
        }
        if selectors.iter().any(|s| s == selector) {
            let span = lead..lead + selector.len();
            let d = Diagnostic::new(Code::SelectorDuplicate, raw, span, selector);
            fields.delegate_selectors.push(at(d));
        } else {
            selectors.push(selector.to_string());
        }
    }

    for field in fields.all_mut() {
        for d in field.iter_mut() {
            d.translate(&options.messages);
        }
    }
    let ok = !fields.has_error();
    let connector = match (&endpoint, ok) {
        (Some(endpoint), true) => Some(ConnectorDocument {
            connector: Connector {
                name: name.to_string(),
                identifier: identifier.clone(),
                kind: "DockerRegistry",
                spec: ConnectorSpec {
                    docker_registry_url: endpoint.url.clone(),
                    provider_type,
                    auth,
                    delegate_selectors: selectors,
                },
            },
        }),
        _ => None,
    };
    let yaml = connector.as_ref().map(ConnectorDocument::to_yaml);
    let url_ok = !fields.url.iter().any(Diagnostic::is_error);
    let ping_url = endpoint.as_ref().filter(|_| url_ok).map(|e| e.url.clone());
    FormCheck {
        ok: ok && connector.is_some(),
        fields,
        identifier,
        provider_type,
        endpoint,
        ping_url,
        connector,
        yaml,
    }
}
