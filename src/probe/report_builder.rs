//! The report as the probe builds it: steps (with what changed since the last progress call),
//! findings in the console's words (appended, never taken back), permissions, catalog, tags,
//! the trace and the rate limit; [`ReportBuilder::build`] applies the verdict rule.

use super::report::{
    verdict, verdict_text, CatalogReport, Permissions, ProbeReport, ProbeStep, RanFrom, Status,
    StepId, StepStatus, TagsReport, BLOCKED_IN_PAGE,
};
use super::settings::Settings;
use super::trace::{curl_commands, TraceEntry};
use super::AuthScheme;
use crate::messages::finding::{account, Finding, FindingCode as F};
use crate::messages::step::StepText;
use crate::protocol::rate_limit::RateLimit;
use crate::url_field::{ApiVersion, Endpoint};

/// Whether a finding stands whatever comes later.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Held {
    /// It stands.
    No,
    /// A denial to an anonymous probe of a token registry: when the anonymous tokens grant
    /// nothing at all, the report says once that the registry needs an account
    /// (`auth-required`) instead of a denial per permission.
    UntilAnonymousGetsSomething,
}

/// The report being built.
pub(super) struct ReportBuilder {
    /// The console's templates, by code.
    pub messages: Vec<(String, String)>,
    pub steps: Vec<ProbeStep>,
    /// Steps changed since the last [`ReportBuilder::take_progress`].
    changed: Vec<StepId>,
    /// Findings in the order made, each with whether it stands whatever comes later.
    findings: Vec<(Finding, Held)>,
    /// The held denials gave way to one `auth-required` (see [`Held`]).
    held_gave_way: bool,
    /// In a page: headers the probe needed but could not read (CORS hides them).
    pub hidden: Vec<&'static str>,
    pub permissions: Permissions,
    pub catalog: Option<CatalogReport>,
    pub tags: Option<TagsReport>,
    pub trace: Vec<TraceEntry>,
    pub rate_limit: Option<RateLimit>,
    /// Authentication works (or is not needed).
    pub auth_ok: bool,
    /// Requests sent (preflights excluded).
    pub requests: u32,
    pub api_version: Option<ApiVersion>,
}

impl ReportBuilder {
    pub fn new(messages: Vec<(String, String)>) -> ReportBuilder {
        ReportBuilder {
            steps: StepId::ALL
                .iter()
                .map(|&id| ProbeStep {
                    id,
                    status: StepStatus::Skipped,
                    summary: StepText::NotRun.render(&messages, &[]),
                    http_status: None,
                    duration_ms: None,
                })
                .collect(),
            messages,
            changed: Vec::new(),
            findings: Vec::new(),
            held_gave_way: false,
            hidden: Vec::new(),
            permissions: Permissions {
                reach: Status::Unknown,
                list_images: Status::Unknown,
                list_tags: Status::Unknown,
                pull: Status::Unknown,
            },
            catalog: None,
            tags: None,
            trace: Vec::new(),
            rate_limit: None,
            auth_ok: false,
            requests: 0,
            api_version: None,
        }
    }

    /// A finding with its slots (`{account}` is always filled: `username`, else anonymous).
    pub fn finding(&mut self, code: F, slots: &[(&str, &str)], username: Option<&str>, held: Held) {
        let account = account(username, &self.messages);
        let mut all = slots.to_vec();
        all.push(("account", account));
        let finding = Finding::new(code, &all, &self.messages);
        self.findings.push((finding, held));
    }

    /// A finding built elsewhere (a form diagnostic the probe reports).
    pub fn push(&mut self, finding: Finding) {
        self.findings.push((finding, Held::No));
    }

    /// Whether a finding of `code` was made.
    pub fn has(&self, code: F) -> bool {
        self.findings.iter().any(|(f, _)| f.code == code)
    }

    /// The last finding made (to attach a snippet).
    pub fn last_mut(&mut self) -> Option<&mut Finding> {
        self.findings.last_mut().map(|(f, _)| f)
    }

    /// An anonymous probe of a token registry got nothing: no permission granted and pull
    /// denied. The held denials give way to one `auth-required` naming the token service's host.
    pub fn anonymous_gets_nothing(&mut self, realm_host: &str) {
        let p = self.permissions;
        let granted = [p.list_images, p.list_tags, p.pull].contains(&Status::Yes);
        if granted || p.pull != Status::No {
            return;
        }
        self.held_gave_way = true;
        self.finding(F::AuthRequired, &[("detail", realm_host)], None, Held::No);
    }

    pub fn set_step(
        &mut self,
        id: StepId,
        status: StepStatus,
        text: StepText,
        slots: &[(&str, &str)],
        http: Option<u16>,
    ) {
        let summary = text.render(&self.messages, slots);
        if let Some(step) = self.steps.iter_mut().find(|s| s.id == id) {
            step.status = status;
            step.summary = summary;
            if http.is_some() {
                step.http_status = http;
            }
            if !self.changed.contains(&id) {
                self.changed.push(id);
            }
        }
    }

    pub fn fail_step(
        &mut self,
        id: StepId,
        text: StepText,
        slots: &[(&str, &str)],
        http: Option<u16>,
    ) {
        self.set_step(id, StepStatus::Fail, text, slots, http);
    }

    pub fn add_time(&mut self, id: StepId, ms: f64) {
        if let Some(step) = self.steps.iter_mut().find(|s| s.id == id) {
            step.duration_ms = Some(step.duration_ms.unwrap_or(0.0) + ms.max(0.0));
        }
    }

    /// The steps that changed since the last call, in step order.
    pub fn take_progress(&mut self) -> Vec<ProbeStep> {
        let changed = std::mem::take(&mut self.changed);
        self.steps
            .iter()
            .filter(|step| changed.contains(&step.id))
            .cloned()
            .collect()
    }

    /// The report: `endpoint` is the one the probe talked to (the validated one wins), `auth`
    /// the scheme it found, `has_catalog` whether the provider offers a catalog.
    pub fn build(
        &mut self,
        settings: &Settings,
        endpoint: Option<&Endpoint>,
        auth: Option<AuthScheme>,
    ) -> ProbeReport {
        let has_catalog = endpoint.is_none_or(|e| e.provider.has_catalog());
        let verdict = verdict(self.permissions, self.auth_ok, has_catalog);
        let text = verdict_text(verdict, settings.ran_from == RanFrom::Relay);
        ProbeReport {
            ran_from: settings.ran_from,
            summary: text.render(&self.messages, &[]),
            verdict,
            endpoint: settings.validated.clone().or_else(|| endpoint.cloned()),
            api_version: self.api_version,
            auth,
            permissions: self.permissions,
            catalog: self.catalog.clone(),
            tags: self.tags.clone(),
            steps: self.steps.clone(),
            findings: self.reported().cloned().collect(),
            requests: self.requests,
            rate_limit: self.rate_limit.clone(),
            curl: curl_commands(&self.trace),
            trace: self.trace.clone(),
            blocked_in_page: self.blocked_in_page(settings.env.cors),
        }
    }

    /// The findings the report gives, in the order made: all but held denials that gave way.
    fn reported(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|(_, held)| !(self.held_gave_way && *held == Held::UntilAnonymousGetsSomething))
            .map(|(finding, _)| finding)
    }

    /// The findings that mean the page could not check the registry (see
    /// [`ProbeReport::blocked_in_page`]), each code once.
    fn blocked_in_page(&self, cors: bool) -> Vec<F> {
        let mut codes = Vec::new();
        if !cors {
            return codes;
        }
        for finding in self.reported() {
            let blocks = BLOCKED_IN_PAGE.iter().find(|c| finding.code == **c);
            if let Some(&code) = blocks.filter(|c| !codes.contains(*c)) {
                codes.push(code);
            }
        }
        codes
    }
}
