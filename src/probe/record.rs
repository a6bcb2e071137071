//! What the probe records for its report as it goes: findings (in the console's words where it
//! has them, `{account}` always filled), step states and times, and registry error answers.

use super::{HttpResponse, Probe, StepId, StepStatus};
use crate::messages::finding::{account, Finding, FindingCode as F};
use crate::messages::step::StepText;
use crate::protocol::registry_json::parse_error_code;

impl Probe {
    pub(super) fn finding(&mut self, code: F, detail: &str) {
        self.finding_with(code, &[("detail", detail)]);
    }

    /// A finding with more slots than `{detail}` (`{account}` is always filled).
    pub(super) fn finding_with(&mut self, code: F, slots: &[(&str, &str)]) {
        let username = self.credentials.as_ref().map(|(u, _)| u.as_str());
        let account = account(username, &self.messages);
        let mut all = slots.to_vec();
        all.push(("account", account));
        let finding = Finding::new(code, &all, &self.messages);
        self.findings.push(finding);
    }

    pub(super) fn set_step(
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

    pub(super) fn fail_step(
        &mut self,
        id: StepId,
        text: StepText,
        slots: &[(&str, &str)],
        http: Option<u16>,
    ) {
        self.set_step(id, StepStatus::Fail, text, slots, http);
    }

    pub(super) fn add_time(&mut self, id: StepId, ms: f64) {
        if let Some(step) = self.steps.iter_mut().find(|s| s.id == id) {
            step.duration_ms = Some(step.duration_ms.unwrap_or(0.0) + ms.max(0.0));
        }
    }

    /// A registry error answer: the finding with its status and error code, the step failed.
    pub(super) fn registry_error(&mut self, step: StepId, response: &HttpResponse) {
        let code = parse_error_code(&response.body)
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let detail = format!("HTTP {}{code}", response.status);
        self.finding(F::ServerError, &detail);
        self.fail_step(
            step,
            StepText::RegistryError,
            &[("detail", &detail)],
            Some(response.status),
        );
    }
}
