//! Pull rate limits as Docker Hub announces them on manifest answers (`HEAD` included, which
//! does not count as a pull): `ratelimit-limit: 100;w=21600`, `ratelimit-remaining: 76;w=21600`
//! and `docker-ratelimit-source` (the account or address counted).
//! <https://docs.docker.com/docker-hub/usage/pulls/#view-pull-rate-and-limit>

use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The pull rate limit the registry announced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[cfg_attr(target_arch = "wasm32", tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Pulls allowed per window.
    pub limit: u32,
    /// Pulls left in this window.
    pub remaining: u32,
    /// The window (`w=`), in seconds.
    pub window_seconds: Option<u32>,
    /// Who is counted (`docker-ratelimit-source`: an account id or an address).
    pub source: Option<String>,
}

/// `100;w=21600` → (100, Some(21600)); the first of a list (`100, 100;w=21600`) counts.
fn quota(value: &str) -> Option<(u32, Option<u32>)> {
    let first = value.split(',').next()?.trim();
    let mut parts = first.split(';');
    let count = parts.next()?.trim().parse().ok()?;
    let window = parts
        .filter_map(|p| p.trim().strip_prefix("w="))
        .find_map(|w| w.trim().parse().ok());
    Some((count, window))
}

/// The rate limit from a manifest answer's headers (`header` reads one by lower-case name):
/// `ratelimit-limit` / `ratelimit-remaining` as Docker documents them, or the
/// `x-ratelimit-limit` / `x-ratelimit-remaining` names Docker Hub was seen sending in 2026
/// (../shared/providers.md §1.5).
pub fn parse_rate_limit<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Option<RateLimit> {
    let named = |name: &str| header(name).or_else(|| header(&format!("x-{name}")));
    let (limit, window) = quota(named("ratelimit-limit")?)?;
    let (remaining, remaining_window) = quota(named("ratelimit-remaining")?)?;
    let source = header("docker-ratelimit-source")
        .map(|s| s.trim().chars().take(100).collect::<String>())
        .filter(|s| !s.is_empty());
    Some(RateLimit {
        limit,
        remaining,
        window_seconds: window.or(remaining_window),
        source,
    })
}

impl RateLimit {
    /// Under 10 % of the pulls left.
    pub fn is_low(&self) -> bool {
        u64::from(self.remaining) * 10 < u64::from(self.limit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers<'a>(list: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<&'a str> + 'a {
        move |name| list.iter().find(|(k, _)| *k == name).map(|(_, v)| *v)
    }

    #[test]
    fn docker_hub_s_2026_header_names_and_hour_window() {
        // providers.md §1.5: live 2026 observations show x-ratelimit-* and w=3600.
        let list = [
            ("x-ratelimit-limit", "100;w=3600"),
            ("x-ratelimit-remaining", "3;w=3600"),
        ];
        let limit = parse_rate_limit(headers(&list));
        assert_eq!(
            limit
                .as_ref()
                .map(|l| (l.limit, l.remaining, l.window_seconds)),
            Some((100, 3, Some(3600)))
        );
        assert!(limit.is_some_and(|l| l.is_low()));
    }

    #[test]
    fn docker_hub_headers() {
        let list = [
            ("ratelimit-limit", "100;w=21600"),
            ("ratelimit-remaining", "7;w=21600"),
            ("docker-ratelimit-source", "192.0.2.10"),
        ];
        let limit = parse_rate_limit(headers(&list));
        assert_eq!(
            limit,
            Some(RateLimit {
                limit: 100,
                remaining: 7,
                window_seconds: Some(21600),
                source: Some("192.0.2.10".into())
            })
        );
        assert!(limit.is_some_and(|l| l.is_low()));
        let plenty = [("ratelimit-limit", "100"), ("ratelimit-remaining", "10")];
        let plenty = parse_rate_limit(headers(&plenty));
        assert_eq!(plenty.as_ref().map(|l| l.window_seconds), Some(None));
        assert!(plenty.is_some_and(|l| !l.is_low()));
        assert_eq!(
            parse_rate_limit(headers(&[("ratelimit-limit", "x;w=1")])),
            None
        );
        assert_eq!(
            parse_rate_limit(headers(&[("ratelimit-limit", "100;w=60")])),
            None
        );
    }
}
