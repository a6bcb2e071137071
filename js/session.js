// The form's behaviour, once, for every console: validation on each update, the quiet ping of a
// changed valid URL after a pause, Test connection with live steps, and every race between them
// handled here (newest wins, nothing stale lands, nothing stays in flight after dispose).
// No DOM: it runs in pages, workers and Node. Call init() before creating a session.
import { stepOrder, validateForm } from './registry_probe.js';
import { probeRegistry } from './relay.js';

const IDLE_PING = Object.freeze({ status: 'idle', url: null, report: null });
const IDLE_TEST = Object.freeze({ status: 'idle', steps: Object.freeze([]), report: null });

function abortError(message) {
  return new DOMException(message, 'AbortError');
}

function pageProtocolOf(options) {
  if (options.pageProtocol !== undefined) return options.pageProtocol;
  const protocol = globalThis.location?.protocol;
  return protocol === 'https:' || protocol === 'http:' ? protocol : undefined;
}

/** `steps` with `step` in its place (by id, in the core's step order). */
function mergeStep(steps, step, order) {
  const others = steps.filter((s) => s.id !== step.id);
  return Object.freeze([...others, step].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)));
}

/**
 * Creates the behaviour of one "Add Docker Registry artifact server" form.
 * @param {import('./index.js').ConnectorFormOptions} [options]
 * @returns {import('./index.js').ConnectorFormSession}
 */
export function createConnectorForm(options = {}) {
  const pingDelayMs = options.pingDelayMs ?? 400;
  const autoPing = options.autoPing ?? true;
  const formOptions = {
    pageProtocol: pageProtocolOf(options),
    existingIdentifiers: options.existingIdentifiers,
    messages: options.messages,
  };
  const probeOptions = { messages: options.messages, relay: options.relay };
  const order = stepOrder();
  const listeners = new Set();
  let state = Object.freeze({ check: null, ping: IDLE_PING, test: IDLE_TEST });
  let form = null;
  let disposed = false;
  // The ping: its timer while waiting, its controller while running.
  let pingTimer = null;
  let pingController = null;
  // The test: its controller while running.
  let testController = null;

  const alive = () => {
    if (disposed) throw new Error('registry-probe: this connector form session is disposed');
  };

  /** One new state object per change; every listener sees every change once, in order. */
  function set(patch) {
    state = Object.freeze({ ...state, ...patch });
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch {
        // A throwing listener must not break the session or the other listeners.
      }
    }
  }

  function stopPing() {
    clearTimeout(pingTimer);
    pingTimer = null;
    pingController?.abort(abortError('A newer URL replaced this ping.'));
    pingController = null;
  }

  function startPing(url) {
    pingTimer = null;
    const controller = new AbortController();
    pingController = controller;
    set({ ping: Object.freeze({ status: 'running', url, report: null }) });
    probeRegistry({ url, pingOnly: true, timeoutMs: options.timeoutMs }, { ...probeOptions, signal: controller.signal })
      .then((report) => {
        if (pingController !== controller) return; // a newer URL or dispose() took over
        pingController = null;
        set({ ping: Object.freeze({ status: 'done', url, report }) });
      }, () => {
        if (pingController !== controller) return;
        pingController = null;
        set({ ping: Object.freeze({ status: 'done', url, report: null }) });
      });
  }

  function update(next) {
    alive();
    const check = validateForm(next, formOptions);
    form = next;
    const url = check.pingUrl;
    if (url === state.ping.url) {
      set({ check });
      return check;
    }
    stopPing();
    if (url && autoPing) {
      pingTimer = setTimeout(() => startPing(url), pingDelayMs);
      set({ check, ping: Object.freeze({ status: 'waiting', url, report: null }) });
    } else {
      set({ check, ping: IDLE_PING });
    }
    return check;
  }

  function test(input = {}) {
    alive();
    if (!form) return Promise.reject(new Error('registry-probe: call update(form) before test()'));
    testController?.abort(abortError('A newer Test connection replaced this one.'));
    const controller = new AbortController();
    testController = controller;
    const auth = form.auth?.type === 'UsernamePassword' ? form.auth : null;
    const request = {
      url: form.url,
      username: auth?.username || undefined,
      password: auth ? input.password : undefined,
      repository: input.repository || undefined,
      timeoutMs: options.timeoutMs,
    };
    set({ test: Object.freeze({ status: 'running', steps: Object.freeze([]), report: null }) });
    const onProgress = (step) => {
      if (testController !== controller) return;
      set({ test: Object.freeze({ ...state.test, steps: mergeStep(state.test.steps, step, order) }) });
    };
    let run;
    try {
      run = probeRegistry(request, { ...probeOptions, signal: controller.signal, onProgress });
    } catch (error) {
      testController = null;
      set({ test: IDLE_TEST });
      return Promise.reject(error);
    }
    return run.then((report) => {
      if (testController !== controller) throw abortError('A newer Test connection replaced this one.');
      testController = null;
      set({ test: Object.freeze({ status: 'done', steps: Object.freeze(report.steps), report }) });
      return report;
    }, (error) => {
      if (testController === controller) {
        testController = null;
        set({ test: Object.freeze({ status: 'done', steps: state.test.steps, report: null }) });
      }
      throw error;
    });
  }

  function cancel() {
    alive();
    if (!testController) return;
    const controller = testController;
    testController = null;
    controller.abort(abortError('Test connection was cancelled.'));
    set({ test: Object.freeze({ ...state.test, status: 'cancelled' }) });
  }

  function dispose() {
    if (disposed) return;
    stopPing();
    testController?.abort(abortError('The connector form session was disposed.'));
    testController = null;
    disposed = true;
    listeners.clear();
  }

  function subscribe(listener) {
    alive();
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  return {
    update, test, cancel, dispose, subscribe,
    get state() { return state; },
  };
}
