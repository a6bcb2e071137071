//! The registry protocol's pieces as pure parsers: `WWW-Authenticate` challenges, `Link`
//! pagination, registry JSON bodies, and the URLs a registry hands out.

pub(crate) mod challenge;
mod header_syntax;
pub(crate) mod link;
pub(crate) mod rate_limit;
pub(crate) mod registry_json;
pub(crate) mod remote_url;
pub(crate) mod token_access;
