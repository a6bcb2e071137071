// Who may probe now on registry-probe/server: `maxConcurrent` slots, a bounded first-in
// first-out queue in front of them (`maxQueued`, each waiting at most `queueTimeoutMs`), and an
// optional cap on what one client holds, running or queued (`maxPerClient`, by `clientKey`).
// A slot is released exactly once, whatever happens to the probe holding it.

/** Thrown (as a ticket's state, or by `wait`) when no slot can be had: answer 429. */
export class Busy extends Error {
  constructor(message, retryAfter) {
    super(message);
    this.name = 'Busy';
    this.retryAfter = retryAfter;
  }
}

/**
 * @param {{ maxConcurrent: number, maxQueued: number, queueTimeoutMs: number, maxPerClient?: number }} limits
 */
export function createAdmission(limits) {
  let running = 0;
  const queue = [];
  const held = new Map(); // client key → slots running or queued
  const retryAfter = Math.max(1, Math.ceil((limits.maxQueued ? limits.queueTimeoutMs : 1000) / 1000));

  const hold = (key, delta) => {
    if (key === undefined) return;
    const n = (held.get(key) ?? 0) + delta;
    if (n > 0) held.set(key, n);
    else held.delete(key);
  };
  const releaser = (key) => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      running--;
      hold(key, -1);
      admitNext();
    };
  };
  const announce = () => queue.forEach((waiter, i) => waiter.onPosition?.(i + 1));
  function admitNext() {
    let moved = false;
    while (running < limits.maxConcurrent && queue.length) {
      const waiter = queue.shift();
      clearTimeout(waiter.timer);
      running++;
      waiter.resolve(releaser(waiter.key));
      moved = true;
    }
    if (moved) announce();
  }
  const leave = (waiter, error) => {
    const at = queue.indexOf(waiter);
    if (at < 0) return;
    queue.splice(at, 1);
    clearTimeout(waiter.timer);
    hold(waiter.key, -1);
    waiter.reject(error);
    announce();
  };

  return {
    /** Slots taken and requests waiting, for health checks and tests. */
    get running() { return running; },
    get queued() { return queue.length; },
    /**
     * Asks for a slot for client `key` (undefined: no per-client cap). Returns
     * `{ release }` when one is free, `{ busy }` when none can be had, or
     * `{ position, wait(signal, onPosition) }` for a place in the queue; `wait` resolves to
     * the release function, or rejects with `Busy` (queue timeout) or the signal's reason.
     */
    request(key) {
      if (key !== undefined && limits.maxPerClient !== undefined && (held.get(key) ?? 0) >= limits.maxPerClient) {
        return { busy: new Busy(`this client already has ${limits.maxPerClient} probes running or waiting; try again when one is done`, retryAfter) };
      }
      if (running < limits.maxConcurrent && queue.length === 0) {
        running++;
        hold(key, 1);
        return { release: releaser(key) };
      }
      if (queue.length >= limits.maxQueued) {
        return { busy: new Busy(`${limits.maxConcurrent} probes are running and ${queue.length} waiting; try again shortly`, retryAfter) };
      }
      hold(key, 1);
      const waiter = { key };
      const admitted = new Promise((resolve, reject) => Object.assign(waiter, { resolve, reject }));
      waiter.timer = setTimeout(() => leave(waiter, new Busy(`no probe slot was free within ${limits.queueTimeoutMs} ms; try again shortly`, retryAfter)), limits.queueTimeoutMs);
      queue.push(waiter);
      return {
        position: queue.length,
        wait(signal, onPosition) {
          waiter.onPosition = onPosition;
          if (signal?.aborted) leave(waiter, signal.reason);
          else signal?.addEventListener('abort', () => leave(waiter, signal.reason), { once: true });
          return admitted;
        },
      };
    },
  };
}
