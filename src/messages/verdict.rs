//! The verdict as one sentence (`ProbeReport.summary`), for the person at the form.

use super::texts;

texts! {
    /// The sentence for each verdict, with its code and English template.
    enum VerdictText;
    /// Everything the connector needs works.
    Ok = "verdict-ok", "Everything works: the account can list images and tags and pull.";
    /// Something optional failed or is unconfirmed.
    Partial = "verdict-partial", "Partly working: the connector can be used, but see below what to check.";
    /// Not usable.
    Failed = "verdict-failed", "The connection does not work from here: see below what to fix.";
}
