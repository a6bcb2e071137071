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
    /// Everything works, checked on the console's server (the page's fallback).
    OkRelay = "verdict-ok-relay", "Everything works from the console's server: the account can list images and tags and pull.";
    /// Partly working, checked on the console's server.
    PartialRelay = "verdict-partial-relay", "Partly working from the console's server: the connector can be used, but see below what to check.";
    /// Not usable, checked on the console's server.
    FailedRelay = "verdict-failed-relay", "The connection does not work from the console's server either: see below what to fix.";
}
