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

/// Diagnostics on `raw` (the username as typed) for the registry's provider.
pub(super) fn check_username(provider: Option<Provider>, raw: &str, out: &mut Vec<Diagnostic>) {
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
