//! Diagnostics: what is wrong with a field (or what was assumed), where, and the one-click fix.
//!
//! Every diagnostic has a stable kebab-case code (the contract consoles key translations on), a
//! severity and one English sentence. Codes are data: one table row each, in [`Code`].
//! Spans are UTF-16 offsets into the field's own string, so they index JS strings directly.

use super::{codes, fill};
use serde::Serialize;
use std::ops::Range;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// How much a diagnostic matters: only errors block saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks saving: the value cannot be used as it is.
    Error,
    /// Saving works, but something probably does not do what the user wants.
    Warning,
    /// Says what was assumed or rewritten.
    Info,
}

/// A one-click repair: the whole new field value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct Fix {
    /// Button text, e.g. "Use https://".
    pub label: String,
    /// The complete new value of the field.
    pub value: String,
}

/// One finding about a form field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
pub struct Diagnostic {
    /// Stable kebab-case identifier, e.g. `url-credentials` (a string in JSON).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string"))]
    pub code: Code,
    /// Error, warning or info.
    pub severity: Severity,
    /// One English sentence saying what is wrong and what to do (or a console's override).
    pub message: String,
    /// UTF-16 offset where the offending text starts.
    pub start: u32,
    /// UTF-16 offset just past the offending text.
    pub end: u32,
    /// The repaired field value, when there is an unambiguous one.
    pub fix: Option<Fix>,
    /// For list fields (delegate selectors): which entry the span indexes into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// The value that `{detail}` in the message template was replaced with.
    #[serde(skip)]
    pub(crate) detail: String,
}

impl Diagnostic {
    /// A diagnostic for `code` over the byte range `span` of `text`.
    ///
    /// `detail` fills the `{detail}` slot of the code's message; it must never be a secret.
    pub(crate) fn new(code: Code, text: &str, span: Range<usize>, detail: &str) -> Self {
        Diagnostic {
            code,
            severity: code.severity(),
            message: code.render(&[], &[("detail", detail)]),
            start: utf16_offset(text, span.start),
            end: utf16_offset(text, span.end.max(span.start)),
            fix: None,
            index: None,
            detail: detail.to_string(),
        }
    }

    /// Adds a fix.
    pub(crate) fn with_fix(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            label: label.into(),
            value: value.into(),
        });
        self
    }

    /// Replaces the message with a console's own template for this code (`{detail}` is filled).
    pub(crate) fn translate(&mut self, messages: &[(String, String)]) {
        if let Some((_, template)) = messages.iter().find(|(code, _)| self.code == code.as_str()) {
            self.message = fill(template, &[("detail", &self.detail)]);
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders diagnostics by where they start, keeping the order of equal starts.
pub(crate) fn sort_by_start(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| d.start);
}

/// The UTF-16 length of `text` up to byte `byte` (clamped; never panics on a non-boundary).
pub(crate) fn utf16_offset(text: &str, byte: usize) -> u32 {
    if let Some(prefix) = text.get(..byte).filter(|p| p.is_ascii()) {
        return u32::try_from(prefix.len()).unwrap_or(u32::MAX);
    }
    let units: usize = text
        .char_indices()
        .take_while(|(i, _)| *i < byte)
        .map(|(_, c)| c.len_utf16())
        .sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

codes! {
    /// Every diagnostic code of the form fields, with its severity and English message template.
    enum Code;

    /// The URL field is empty.
    UrlEmpty = "url-empty", Error in url, "Enter the registry URL, for example https://index.docker.io/v2/.";
    /// Whitespace inside the URL.
    UrlWhitespace = "url-whitespace", Error in url, "Remove the spaces: a registry URL cannot contain whitespace.";
    /// No scheme given; one was assumed.
    UrlSchemeAssumed = "url-scheme-assumed", Info in url, "No scheme was given, so {detail}:// is assumed.";
    /// No scheme given and a private-network IP address: http assumed.
    UrlSchemeHttpPrivate = "url-scheme-http-private", Info in url, "No scheme was given and {detail} is a private-network address, so http:// is assumed, as Docker clients do; choose https:// if the registry serves TLS.";
    /// A scheme other than http or https.
    UrlSchemeUnsupported = "url-scheme-unsupported", Error in url, "Use https:// (or http://): registries are not reached over {detail}.";
    /// Something like `https:/host` or `https//host`.
    UrlSchemeMalformed = "url-scheme-malformed", Error in url, "Write the scheme as {detail}:// followed by the host.";
    /// `user:pass@` in the URL.
    UrlCredentials = "url-credentials", Error in url, "Remove the credentials from the URL and enter them in the Username and Password fields instead.";
    /// Nothing where the host should be.
    UrlHostEmpty = "url-host-empty", Error in url, "Enter the registry's host name after the scheme.";
    /// A character not allowed in a host name.
    UrlHostInvalidChar = "url-host-invalid-char", Error in url, "Remove {detail} from the host: host names contain only letters, digits, hyphens and dots.";
    /// `a..b`, or a host starting with a dot.
    UrlHostLabelEmpty = "url-host-label-empty", Error in url, "Remove the extra dot: host names cannot contain empty labels.";
    /// A label starting or ending with `-`.
    UrlHostLabelHyphen = "url-host-label-hyphen", Error in url, "Fix the host label \"{detail}\": a label cannot start or end with a hyphen.";
    /// A label over 63 characters.
    UrlHostLabelTooLong = "url-host-label-too-long", Error in url, "Shorten the host: each dot-separated label is at most 63 characters.";
    /// A host over 253 characters.
    UrlHostTooLong = "url-host-too-long", Error in url, "Shorten the host: a host name is at most 253 characters.";
    /// Digits and dots that are not an IPv4 address.
    UrlHostIpv4Invalid = "url-host-ipv4-invalid", Error in url, "Fix the IP address: it needs four numbers from 0 to 255 separated by dots.";
    /// A Unicode host that cannot be converted to punycode.
    UrlHostIdnInvalid = "url-host-idn-invalid", Error in url, "Fix the host: this international domain name cannot be converted to ASCII.";
    /// An `xn--` label that is not valid punycode (browsers reject the URL).
    UrlHostPunycodeInvalid = "url-host-punycode-invalid", Error in url, "Fix the host label \"{detail}\": it starts with xn-- but is not valid punycode.";
    /// A host spelled otherwise than browsers read it (IPv4 in octal, hex or short form, IPv6
    /// not in canonical form, percent-escapes).
    UrlHostRewritten = "url-host-rewritten", Info in url, "Browsers read this host as {detail}, which is used instead.";
    /// A Unicode host, shown in its ASCII form.
    UrlHostPunycode = "url-host-punycode", Info in url, "The international host name is used in its ASCII form {detail}.";
    /// An IPv6 address that does not parse.
    UrlIpv6Invalid = "url-ipv6-invalid", Error in url, "Fix the IPv6 address between the brackets.";
    /// An IPv6 address without brackets.
    UrlIpv6Brackets = "url-ipv6-brackets", Error in url, "Put the IPv6 address in square brackets, for example http://[::1]:5000.";
    /// A port that is not a number.
    UrlPortInvalid = "url-port-invalid", Error in url, "Enter the port as a number after the colon, or remove the colon.";
    /// Port 0 or above 65535.
    UrlPortOutOfRange = "url-port-out-of-range", Error in url, "Use a port from 1 to 65535.";
    /// The scheme's default port was written out and dropped.
    UrlDefaultPort = "url-default-port", Info in url, "Port {detail} is the default for this scheme and is left out.";
    /// A query or fragment.
    UrlQueryDropped = "url-query-dropped", Warning in url, "The part after ? or # is not used by a registry URL and is dropped.";
    /// A pasted API path such as `/v2/_catalog`.
    UrlApiPathTrimmed = "url-api-path-trimmed", Info in url, "The API path {detail} was trimmed back to the registry's base URL.";
    /// Something after `/v2/` that is no known API path.
    UrlPathAfterVersion = "url-path-after-version", Warning in url, "The path after /{detail}/ is not part of a registry URL and is dropped; check that this is the registry's address.";
    /// A character not allowed in the path.
    UrlPathInvalidChar = "url-path-invalid-char", Error in url, "Remove {detail} from the path.";
    /// No version path: v2 assumed.
    UrlVersionAssumed = "url-version-assumed", Info in url, "No API version was given, so the Docker Registry v2 API (/v2/) is used.";
    /// A path on a single-host provider is a namespace.
    UrlNamespace = "url-namespace", Info in url, "On {detail} the path is a namespace, not part of the registry URL; it is kept as a hint only.";
    /// An image reference pasted in the URL field.
    UrlImageReference = "url-image-reference", Error in url, "This is an image reference, not a registry URL; enter the registry's address instead.";
    /// `docker.io` or `hub.docker.com`, rewritten to `index.docker.io`.
    UrlDockerhubAlias = "url-dockerhub-alias", Info in url, "Docker Hub's API is served at index.docker.io, which is used instead of {detail}.";
    /// Docker Hub over http.
    UrlDockerhubHttps = "url-dockerhub-https", Error in url, "Use https://: Docker Hub does not serve its API over http.";
    /// Docker Hub's retired v1 API.
    UrlDockerhubV1Retired = "url-dockerhub-v1-retired", Warning in url, "Docker Hub retired its v1 registry API: docker, and Test connection, read this address as Docker Hub's v2 API, so save {detail} unless your tooling needs the v1 form.";
    /// An http registry probed from an https page.
    UrlMixedContent = "url-mixed-content", Warning in url, "This page is served over https, so the browser blocks requests to an http registry; a server-side connection may still work.";

    /// The display name is empty.
    NameRequired = "name-required", Error in name, "Enter a display name.";
    /// The display name has characters outside the allowed set.
    NameInvalidChar = "name-invalid-char", Error in name, "Remove {detail}: a name may contain letters, digits, spaces, '_', '.' and '-'.";
    /// The display name starts with a space (after trimming this means: nothing else).
    NameTooLong = "name-too-long", Error in name, "Shorten the name to at most 128 characters.";
    /// No identifier could be derived.
    IdentifierRequired = "identifier-required", Error in identifier, "Enter an identifier: the name contains no character an identifier can use.";
    /// Identifier does not match the identifier rule.
    IdentifierInvalid = "identifier-invalid", Error in identifier, "Use an identifier that starts with a letter or '_' and contains only letters, digits, '_' and '$' (at most 128).";
    /// A reserved word.
    IdentifierReserved = "identifier-reserved", Error in identifier, "\"{detail}\" is a reserved word; choose another identifier.";
    /// Already used.
    IdentifierTaken = "identifier-taken", Error in identifier, "A connector with the identifier \"{detail}\" already exists; choose another.";
    /// A username without a password reference, or the reverse.
    UsernameRequired = "username-required", Error in username, "Enter the username, or choose anonymous access.";
    /// Amazon ECR takes the username AWS.
    UsernameEcr = "username-ecr", Warning in username, "Amazon ECR's username is AWS; the password is the token from aws ecr get-login-password.";
    /// Google registries take _json_key, _json_key_base64 or oauth2accesstoken.
    UsernameGoogle = "username-google", Warning in username, "Google Artifact Registry and Container Registry take the username _json_key, _json_key_base64 or oauth2accesstoken.";
    /// `robot$$name`: a shell-escaping slip in a Harbor robot account.
    UsernameHarborRobotEscaped = "username-harbor-robot-escaped", Warning in username, "Harbor robot accounts are named robot${detail}: the doubled $ is a shell-escaping slip.";
    /// GHCR's password is a personal access token.
    PasswordTokenGhcr = "password-token-ghcr", Info in username, "GHCR takes a personal access token with the read:packages scope as the password.";
    /// GitLab's password is a token with registry read scope.
    PasswordTokenGitlab = "password-token-gitlab", Info in username, "GitLab takes a personal, group or deploy token with the read_registry scope as the password.";
    /// An ACR access token (a JWT) with a username other than the all-zero GUID (the probe only: the form never sees the password).
    UsernameAcrToken = "username-acr-token", Warning in username, "An Azure Container Registry access token goes with the username 00000000-0000-0000-0000-000000000000.";
    /// A password reference is missing.
    PasswordRefRequired = "password-ref-required", Error in passwordRef, "Password is required with a username: select the secret that holds it.";
    /// The password reference is not a secret reference.
    PasswordRefInvalid = "password-ref-invalid", Error in passwordRef, "Reference a secret as <identifier>, org.<identifier> or account.<identifier>.";
    /// The value looks like a password typed in.
    PasswordRefLooksLikePassword = "password-ref-looks-like-password", Error in passwordRef, "This looks like a password: secrets are referenced, not typed; select or create an encrypted-text secret instead.";
    /// Anonymous on Quay.
    AuthQuayAnonymous = "auth-quay-anonymous", Warning in username, "Quay lists no images unless authenticated, even for public repositories; add a username and password.";
    /// Anonymous access anywhere.
    AuthAnonymousPullSecrets = "auth-anonymous-pull-secrets", Info in username, "With anonymous access, remove imagePullSecrets from the container spec of Kubernetes deployments.";
    /// An empty delegate selector.
    SelectorEmpty = "selector-empty", Error in delegateSelectors, "Remove the empty delegate selector.";
    /// A selector character outside the allowed set.
    SelectorInvalidChar = "selector-invalid-char", Error in delegateSelectors, "Remove {detail}: selectors contain only letters, digits and - $ { } . _ < > +.";
    /// `${` without `}`.
    SelectorUnclosedExpression = "selector-unclosed-expression", Error in delegateSelectors, "Close the expression with '}'.";
    /// The same selector twice.
    SelectorDuplicate = "selector-duplicate", Warning in delegateSelectors, "The selector \"{detail}\" is listed twice; remove one.";
    /// The chosen provider type contradicts the URL.
    ProviderTypeMismatch = "provider-type-mismatch", Warning in providerType, "The URL looks like {detail}; check the provider type.";
}
