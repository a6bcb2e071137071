//! What a bearer token grants: the `access` claim of a JWT token (the Docker token spec's
//! "Token Response Fields" and "JSON Web Token" sections), compared with the scope asked for.
//!
//! A token server may grant less than asked without an error, so the granted access is the only
//! place the difference shows before the registry answers 401. Tokens that are not JWTs (opaque
//! tokens, as GHCR and ECR hand out) grant something unknown: `None`. The token is a secret;
//! nothing here keeps or returns it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::Deserialize;

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    access: Option<Vec<Access>>,
}

/// One granted resource: `{"type": "repository", "name": "team/app", "actions": ["pull"]}`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Access {
    /// `repository`, `registry`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The resource name (`team/app`, `catalog`).
    pub name: String,
    /// Granted actions (`pull`, `push`, `*`).
    #[serde(default)]
    pub actions: Vec<String>,
}

/// The claims of a JWT (its payload, not verified: only read), as `T`.
fn jwt_claims<T: for<'de> Deserialize<'de>>(token: &str) -> Option<T> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice::<T>(&json).ok()
}

/// The `access` claim of a JWT token, when the token is a JWT that has one.
pub fn granted_access(token: &str) -> Option<Vec<Access>> {
    jwt_claims::<Claims>(token)?.access
}

/// When a JWT expires (its `exp` claim, seconds since 1970), when it is a JWT that says.
pub fn jwt_expiry(token: &str) -> Option<u64> {
    #[derive(Deserialize)]
    struct Expiring {
        exp: Option<f64>,
    }
    let exp = jwt_claims::<Expiring>(token)?.exp?;
    (exp.is_finite() && exp >= 0.0).then_some(exp as u64)
}

/// The parts of `scope` (`type:name:action[,action]`, space-separated scopes) that `granted`
/// does not cover, each written as a scope again; empty when everything was granted.
pub fn missing_access(scope: &str, granted: &[Access]) -> Vec<String> {
    let mut missing = Vec::new();
    for one in scope.split(' ').filter(|s| !s.is_empty()) {
        let Some((kind, rest)) = one.split_once(':') else {
            continue;
        };
        let Some((name, actions)) = rest.rsplit_once(':') else {
            continue;
        };
        let lacking: Vec<&str> = actions
            .split(',')
            .filter(|action| {
                !granted.iter().any(|g| {
                    g.kind == kind
                        && g.name == name
                        && g.actions.iter().any(|a| a == action || a == "*")
                })
            })
            .collect();
        if !lacking.is_empty() {
            missing.push(format!("{kind}:{name}:{}", lacking.join(",")));
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!(
            "eyJhbGciOiJFUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[test]
    fn reads_the_access_claim() {
        let token =
            jwt(r#"{"access":[{"type":"repository","name":"team/app","actions":["pull"]}]}"#);
        let granted = granted_access(&token).unwrap_or_default();
        assert_eq!(granted.len(), 1);
        assert!(missing_access("repository:team/app:pull", &granted).is_empty());
        assert_eq!(
            missing_access("repository:other/app:pull", &granted),
            ["repository:other/app:pull"]
        );
        assert_eq!(
            missing_access("repository:team/app:pull,push", &granted),
            ["repository:team/app:push"]
        );
        let none = granted_access(&jwt(r#"{"access":[]}"#)).unwrap_or_default();
        assert_eq!(
            missing_access("registry:catalog:*", &none),
            ["registry:catalog:*"]
        );
        let star = jwt(r#"{"access":[{"type":"registry","name":"catalog","actions":["*"]}]}"#);
        let star = granted_access(&star).unwrap_or_default();
        assert!(missing_access("registry:catalog:*", &star).is_empty());
    }

    #[test]
    fn opaque_and_malformed_tokens_grant_nothing_known() {
        assert_eq!(granted_access("ghp_opaque"), None);
        assert_eq!(granted_access("a.b.c.d"), None);
        assert_eq!(granted_access("a.!!!.c"), None);
        assert_eq!(granted_access(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(granted_access(&jwt(r#"{"access":"all"}"#)), None);
    }
}
