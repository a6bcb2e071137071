// A React consumer of createConnectorForm: the hook the README shows, and a small form that
// renders the session's state. No JSX, so Vite builds it without a plugin.
import { createElement as h, useEffect, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import init, { createConnectorForm } from 'registry-probe';

/** The session for one form, its state re-rendered on every change. */
function useConnectorForm(options) {
  const [session] = useState(() => createConnectorForm(options));
  useEffect(() => () => session.dispose(), [session]);
  const state = useSyncExternalStore(session.subscribe, () => session.state);
  return [state, session];
}

function Form() {
  const [state, session] = useConnectorForm({ pingDelayMs: 200, timeoutMs: 1000 });
  const [url, setUrl] = useState('');
  const change = (value) => {
    setUrl(value);
    session.update({ name: 'React', url: value });
  };
  const diagnostics = state.check?.fields.url ?? [];
  const ping = state.ping.report?.steps[0];
  const report = state.test.report;
  return h('form', { onSubmit: (e) => e.preventDefault() },
    h('input', { id: 'url', 'aria-label': 'Docker Registry URL', value: url, onChange: (e) => change(e.target.value) }),
    h('ul', { id: 'messages' }, diagnostics.map((d) => h('li', { key: d.code, className: d.severity }, d.message,
      d.fix ? h('button', { type: 'button', className: 'fix', onClick: () => change(d.fix.value) }, d.fix.label) : null))),
    h('p', { id: 'ping', 'data-status': state.ping.status }, state.ping.status === 'done' ? ping?.summary ?? '' : ''),
    h('button', { id: 'test', type: 'button', onClick: () => session.test().catch(() => {}) }, 'Test connection'),
    h('button', { id: 'cancel', type: 'button', disabled: state.test.status !== 'running', onClick: () => session.cancel() }, 'Cancel'),
    h('ol', { id: 'steps' }, state.test.steps.map((s) => h('li', { key: s.id, className: s.status }, `${s.id}: ${s.summary}`))),
    h('p', { id: 'verdict', 'data-status': state.test.status, className: report?.verdict ?? '' }, report?.summary ?? ''));
}

await init();
createRoot(document.getElementById('root')).render(h(Form));
document.body.dataset.ready = 'true';
