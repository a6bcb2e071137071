//! URLs that come from the registry — token realms and `Link` targets — parsed and serialized
//! by the WHATWG URL standard (the `url` crate), as `fetch` will read them.
//!
//! They come from servers nobody controls, so on top of the standard they are refused rather
//! than repaired: only absolute `http`/`https`, no user info, no Unicode host (registries send
//! punycode), no spaces, controls or `\` (which the standard would silently drop or rewrite).
//! The fragment is dropped.

use url::Url;

/// `text` as an absolute http(s) URL, or `None` when this module refuses it.
pub(crate) fn parse_remote_url(text: &str) -> Option<Url> {
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if !acceptable(text) {
        return None;
    }
    checked(Url::parse(text).ok()?)
}

/// `reference` resolved against `base`, under the same rules as [`parse_remote_url`].
pub(crate) fn join_remote_url(base: &Url, reference: &str) -> Option<Url> {
    let reference = reference.trim_matches(|c: char| c.is_ascii_whitespace());
    if !acceptable(reference) {
        return None;
    }
    checked(base.join(reference).ok()?)
}

/// `scheme://host[:port]` of `url`.
pub(crate) fn origin(url: &Url) -> String {
    url.origin().ascii_serialization()
}

/// No spaces, controls or `\\`, and an ASCII authority where the text has one.
fn acceptable(text: &str) -> bool {
    if text
        .chars()
        .any(|c| c.is_control() || c == ' ' || c == '\\')
    {
        return false;
    }
    authority(text).is_none_or(str::is_ascii)
}

/// The authority written in `text` (after `scheme://` or a leading `//`), if any.
fn authority(text: &str) -> Option<&str> {
    let rest = match text.strip_prefix("//") {
        Some(rest) => rest,
        None => {
            let colon = text.find(':')?;
            let scheme = text.get(..colon)?;
            let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b));
            text.get(colon + 1..)
                .filter(|_| scheme_ok)?
                .strip_prefix("//")?
        }
    };
    rest.get(..rest.find(['/', '?', '#']).unwrap_or(rest.len()))
}

fn checked(mut url: Url) -> Option<Url> {
    let web = matches!(url.scheme(), "http" | "https");
    if !web || !url.username().is_empty() || url.password().is_some() || url.host().is_none() {
        return None;
    }
    url.set_fragment(None);
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_and_canonical() {
        let parse = |t: &str| parse_remote_url(t).map(|u| u.to_string());
        assert_eq!(
            parse("HTTPS://Auth.Example:443/token#x").as_deref(),
            Some("https://auth.example/token")
        );
        assert_eq!(
            parse("http://0x7f.1:5001/t").as_deref(),
            Some("http://127.0.0.1:5001/t")
        );
        for bad in [
            "https://user:pw@auth.example/token",
            "https://bücher.example/token",
            "/token",
            "ftp://auth.example/",
            "https://auth.example/to ken",
            "https://auth.example\\token",
            "https://1.2.3.08/",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let base = parse_remote_url("http://127.0.0.1:5000/v2/").unwrap();
        assert_eq!(
            join_remote_url(&base, "/v2/_catalog?last=a%2Fb&n=50")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:5000/v2/_catalog?last=a%2Fb&n=50"
        );
        assert_eq!(join_remote_url(&base, "//user@127.0.0.1:5000/x"), None);
        assert_eq!(join_remote_url(&base, "//bücher.example/x"), None);
        // `://` in a relative reference's query is no authority.
        assert_eq!(
            join_remote_url(&base, "/v2/_catalog?from=http://x")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:5000/v2/_catalog?from=http://x"
        );
        assert_eq!(origin(&base), "http://127.0.0.1:5000");
    }
}
