//! The driver's deadline for the whole probe (`deadlineMs`; the server's `maxProbeMs`): the probe
//! ends with what it confirmed so far.

use super::{Phase, Probe};
use crate::messages::finding::FindingCode as F;
use crate::messages::step::StepText;

impl Probe {
    /// The driver's deadline for the whole probe passed; the request in flight, if any, is
    /// abandoned. The probe ends with what it confirmed so far, the step it was in failed, and
    /// `probe-deadline` naming that step; the verdict follows the usual rule. `deadline_ms` is
    /// the deadline as given, for the message.
    pub fn deadline_passed(&mut self, deadline_ms: f64, elapsed_ms: f64) {
        if self.phase == Phase::Finish && self.in_flight.is_none() {
            return;
        }
        if let Some(replay) = self.cors.as_mut() {
            replay.abandon();
        }
        let step = match self.in_flight.take() {
            Some(phase) => {
                if let Some(entry) = self.trace.last_mut() {
                    entry.abandoned(elapsed_ms);
                }
                self.add_time(phase.step(), elapsed_ms);
                phase.step()
            }
            None => self.phase.step(),
        };
        let limit = format!("{} ms", deadline_ms.max(0.0).round());
        self.finding_with(
            F::ProbeDeadline,
            &[("detail", &limit), ("step", step.as_str())],
        );
        self.fail_step(step, StepText::Deadline, &[], None);
        self.phase = Phase::Finish;
    }
}
