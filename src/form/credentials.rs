//! The credential shapes providers document, checked on the username: warnings with a fix where
//! the convention is exact, an info where only the password's kind can be told.

use crate::messages::diagnostic::{Code, Diagnostic};
use crate::url_field::provider::Provider;

/// The username Amazon ECR takes with `aws ecr get-login-password`.
/// <https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html>
const ECR_USERNAME: &str = "AWS";

/// The usernames Google Artifact Registry and Container Registry take.
/// <https://cloud.google.com/artifact-registry/docs/docker/authentication>
const GOOGLE_USERNAMES: [&str; 3] = ["_json_key", "_json_key_base64", "oauth2accesstoken"];

/// Harbor robot accounts are `robot$<name>` (`robot$<project>+<name>` in a project);
/// `robot$$` is the `$` escaped once too often for a shell.
/// <https://goharbor.io/docs/main/working-with-projects/project-configuration/create-robot-accounts/>
const HARBOR_ROBOT_ESCAPED: &str = "robot$$";

/// The username that goes with an ACR access token (`az acr login --expose-token`).
/// <https://learn.microsoft.com/en-us/azure/container-registry/container-registry-authentication#az-acr-login-with---expose-token>
const ACR_TOKEN_USERNAME: &str = "00000000-0000-0000-0000-000000000000";

/// A JWT's shape: three base64url parts, the first a JSON object (`eyJ` is `{"`).
fn looks_like_jwt(password: &str) -> bool {
    let parts: Vec<&str> = password.split('.').collect();
    parts.len() == 3
        && password.starts_with("eyJ")
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// What the probe can tell beyond the form: the password's kind. An ACR access token (a JWT)
/// with another username than the all-zero GUID; a service principal's or admin user's
/// password is no JWT, so those usernames are never flagged.
pub(crate) fn check_password(
    provider: Provider,
    username: &str,
    password: &str,
) -> Option<Diagnostic> {
    let user = username.trim();
    (provider == Provider::Acr && looks_like_jwt(password.trim()) && user != ACR_TOKEN_USERNAME)
        .then(|| {
            Diagnostic::new(Code::UsernameAcrToken, username, 0..username.len(), "")
                .with_fix(format!("Use {ACR_TOKEN_USERNAME}"), ACR_TOKEN_USERNAME)
        })
}

/// Diagnostics on `raw` (the username as typed) for the registry's provider.
pub(crate) fn check_username(provider: Option<Provider>, raw: &str, out: &mut Vec<Diagnostic>) {
    let lead = raw.len() - raw.trim_start().len();
    let user = raw.trim();
    let span = lead..lead + user.len();
    if let Some(rest) = user.strip_prefix(HARBOR_ROBOT_ESCAPED) {
        let fixed = format!("robot${rest}");
        let d = Diagnostic::new(Code::UsernameHarborRobotEscaped, raw, span.clone(), rest);
        out.push(d.with_fix(format!("Use {fixed}"), fixed));
    }
    match provider {
        Some(Provider::Ecr) if user != ECR_USERNAME => {
            let d = Diagnostic::new(Code::UsernameEcr, raw, span, "");
            out.push(d.with_fix("Use AWS", ECR_USERNAME));
        }
        Some(Provider::ArtifactRegistry | Provider::Gcr) if !GOOGLE_USERNAMES.contains(&user) => {
            let d = Diagnostic::new(Code::UsernameGoogle, raw, span, "");
            out.push(d.with_fix("Use _json_key", GOOGLE_USERNAMES[0]));
        }
        // <https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry>
        Some(Provider::Ghcr) => out.push(Diagnostic::new(Code::PasswordTokenGhcr, raw, span, "")),
        // <https://docs.gitlab.com/ee/user/packages/container_registry/authenticate_with_container_registry.html>
        Some(Provider::Gitlab) => {
            out.push(Diagnostic::new(Code::PasswordTokenGitlab, raw, span, ""))
        }
        _ => {}
    }
}
