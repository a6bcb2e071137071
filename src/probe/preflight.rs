//! The CORS preflight phase (only when replaying a page's CORS where none applies, see
//! [`super::cors`]): the `OPTIONS` a browser sends before a request with `Authorization`, then
//! that request, which waits here meanwhile. A preflight that fails does not stop the request
//! (a browser's would), so the rest can still be checked; the failure shows in the trace and
//! the replay's findings.

use super::context::Cx;
use super::phase::{Next, Phase};
use super::report::StepId;
use super::request::{Failure, HttpRequest, HttpResponse};

/// The preflight of `request`, whose answer goes to `then`.
pub(super) struct Preflight {
    /// The request waiting for its preflight (it may carry credentials: never logged).
    request: HttpRequest,
    then: Box<Phase>,
    /// The preflight is over: the request goes next.
    over: bool,
}

impl Preflight {
    pub fn new(request: HttpRequest, then: Phase) -> Preflight {
        Preflight {
            request,
            then: Box::new(then),
            over: false,
        }
    }

    /// The step of the request that waits.
    pub fn step(&self) -> StepId {
        self.then.step()
    }

    /// The `OPTIONS`, then the request that waited (answered by its own phase).
    pub fn request(self, cx: &mut Cx) -> Next {
        if self.over {
            return Next::Send(self.request, *self.then);
        }
        match &cx.session.cors {
            Some(replay) => {
                let preflight = replay.preflight(&self.request);
                Next::Send(preflight, Phase::Preflight(self))
            }
            None => Next::Send(self.request, *self.then),
        }
    }

    pub fn on_response(mut self, cx: &mut Cx, response: &HttpResponse) -> Phase {
        if let Some(replay) = cx.session.cors.as_mut() {
            replay.preflight_answered(&self.request.url, response);
        }
        self.over = true;
        Phase::Preflight(self)
    }

    pub fn on_failure(mut self, _cx: &mut Cx, _failure: Failure) -> Phase {
        self.over = true;
        Phase::Preflight(self)
    }
}
