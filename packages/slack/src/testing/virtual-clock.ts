import { Agent, type ClientRequest } from 'node:http';

/**
 * A discrete-event clock for tests of code that sleeps while it talks to a real local server. Time
 * never moves on its own: when no request is in flight and every sender is asleep, it jumps to the
 * earliest wake-up. So what the server sees depends only on the code under test, never on how fast
 * a loaded machine runs it, and a test of minutes of Slack time takes milliseconds. For tests only.
 */
export function virtualClock(options: { maxSteps?: number } = {}) {
  const maxSteps = options.maxSteps ?? 100_000;
  let now = 0;
  let inflight = 0;
  let steps = 0;
  let driving = false;
  const timers: { at: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const idleWaiters: (() => void)[] = [];
  const sleeps: number[] = [];
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const begin = () => {
    inflight++;
  };
  const end = () => {
    inflight--;
    if (inflight === 0) for (const wake of idleWaiters.splice(0)) wake();
  };

  // A keep-alive agent that counts each request from the moment it is handed a socket until it
  // closes (its response read to the end, or the request destroyed). `addRequest` is how every
  // node:http request reaches an agent (proxy agents hook it the same way).
  const agent = new Agent({ keepAlive: true });
  const agentInternals = agent as unknown as {
    addRequest(request: ClientRequest, options: unknown): void;
  };
  const addRequest = agentInternals.addRequest.bind(agent);
  agentInternals.addRequest = (request, options) => {
    begin();
    request.once('close', end);
    addRequest(request, options);
  };

  // Settled means: nothing in flight for a few event-loop turns in a row, so every continuation of
  // the last response (parsing, retry bookkeeping, the next sleep or request) has run.
  async function settle() {
    for (let quiet = 0; quiet < 3; ) {
      if (inflight > 0) {
        quiet = 0;
        await new Promise<void>((resolve) => idleWaiters.push(resolve));
      } else {
        quiet++;
        await turn();
      }
    }
  }

  async function drive() {
    if (driving) return;
    driving = true;
    try {
      while (timers.length > 0) {
        await settle();
        if (timers.length === 0) break;
        if (++steps > maxSteps) throw new Error(`virtualClock: more than ${maxSteps} steps`);
        const next = Math.min(...timers.map((t) => t.at));
        now = Math.max(now, next);
        for (const timer of timers.splice(0)) {
          if (timer.at <= now) timer.resolve();
          else timers.push(timer);
        }
      }
    } finally {
      driving = false;
    }
  }

  return {
    now: () => now,
    /** Every sleep asked for, in ms, in order. */
    sleeps,
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        timers.push({ at: now + Math.max(0, ms), resolve, reject });
        void drive();
      });
    },
    /**
     * An http.Agent for channels that post with node:http (the webhook channel's `agent`): it
     * counts requests in flight, so the clock waits for them. `agent.destroy()` when done.
     */
    agent,
    /** A `fetch` that counts requests in flight (body read included) so the clock waits for them. */
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      begin();
      try {
        const response = await fetch(input, init);
        const body = await response.arrayBuffer();
        return new Response([204, 205, 304].includes(response.status) ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      } finally {
        end();
      }
    }) as typeof fetch,
  };
}
