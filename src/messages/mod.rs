//! Every user-facing sentence, as tables of stable kebab-case codes with English templates:
//! the form's diagnostics ([`diagnostic`]) and the probe's findings ([`finding`]).

pub(crate) mod diagnostic;
pub(crate) mod finding;
