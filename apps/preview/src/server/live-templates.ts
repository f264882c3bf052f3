// Edit and see (`pnpm demo`): the templates rendered from their source, reloaded after every edit.
//
// Why a worker thread: Node caches ES modules for the life of a thread, so the server cannot simply
// import the edited files again. The worker loads each edit as a new module graph (see
// live-version-hook.ts) while React, React Email and the other packages stay loaded, so a reload
// costs a few hundred milliseconds instead of the seconds a fresh process (or worker) needs. The worker also
// keeps a broken template from taking the server down: an endless loop is cut by a timeout and the
// worker replaced, and a syntax error is an answer the UI shows until the next save fixes it.
// A worker holds on to the module graph of every edit (about 1.5 MB each), so after
// `maxLoadsPerWorker` loads it is replaced by a fresh one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConfigError, ValidationError } from '@pytake/notify-core';
import { ApiError } from './api-error.js';
import type {
  LiveTemplatesCall,
  LiveTemplatesResponse,
  SerializedError,
  TemplatesFunction,
} from './live-templates-protocol.js';
import type { PreviewTemplates } from './preview-templates.js';
import { type WatchSourcesOptions, watchSources } from './watch-sources.js';

export interface LiveTemplatesOptions {
  /** The templates' source folder, with its `index.ts`. @default liveTemplatesDefaults.root */
  root?: string;
  /**
   * The tsconfig the sources are compiled with (JSX, and `paths` that map `@pytake/*` to source).
   * @default liveTemplatesDefaults.tsconfig
   */
  tsconfig?: string;
  /** Watch `root` and reload after each burst of edits. @default true */
  watch?: boolean | WatchSourcesOptions;
  /** Called after each reload the watcher started, with whether the new sources loaded. */
  onChange?: (change: TemplatesChange) => void;
  /** @default liveTemplatesDefaults.loadTimeoutMs */
  loadTimeoutMs?: number;
  /** @default liveTemplatesDefaults.renderTimeoutMs */
  renderTimeoutMs?: number;
  /** @default liveTemplatesDefaults.maxLoadsPerWorker */
  maxLoadsPerWorker?: number;
}

/** One reload of the sources: the `templates-changed` live event. */
export interface TemplatesChange {
  version: number;
  ok: boolean;
  /** Why the sources did not load (e.g. esbuild's message with file and line). */
  error?: string;
  /** From the reload's start to the new sources loaded. */
  ms: number;
}

export interface LiveTemplates {
  /** Renders with the newest sources; waits for a reload in progress. */
  templates: PreviewTemplates;
  /** Loads the sources again (the watcher calls it after each burst of edits). */
  reload(): Promise<TemplatesChange>;
  /**
   * Starts the worker and loads the sources now, so that the first render finds them (and React)
   * loaded; otherwise the first render starts them.
   */
  warmUp(): void;
  close(): Promise<void>;
}

export const liveTemplatesDefaults = {
  /** @default packages/templates/src of this repository */
  root: fileURLToPath(new URL('../../../../packages/templates/src', import.meta.url)),
  /** @default apps/preview/tsconfig.demo.json */
  tsconfig: fileURLToPath(new URL('../../tsconfig.demo.json', import.meta.url)),
  /**
   * Longest a load of the sources may take before the worker is replaced: a ceiling for a module
   * stuck in a loop at its top level (rare: a loop in a template shows in `renderTimeoutMs`). A cold
   * load takes about 5 s on a quiet 2-core machine and took more than 60 s at a load average of 25,
   * where a lower ceiling restarted a healthy worker that would only load slowly again.
   * @default 300000
   */
  loadTimeoutMs: 300_000,
  /**
   * Longest one render may take, counted once the sources it waits for are loaded (and warmed up,
   * so React is loaded too): a template stuck in a loop. A render takes milliseconds.
   * @default 10000
   */
  renderTimeoutMs: 10_000,
  /** @default 100 */
  maxLoadsPerWorker: 100,
} as const;

const require = createRequire(import.meta.url);

// tsx's ESM API, found through its package.json: its CommonJS build registers a wrong path, and
// import.meta.resolve is not there when this file runs under vitest.
function tsxApiUrl(): string {
  const manifest = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: { './esm/api': { import: { default: string } } };
  };
  return pathToFileURL(join(dirname(manifest), pkg.exports['./esm/api'].import.default)).href;
}

// Workers do not inherit module hooks (Node 20), so the worker registers tsx and the version hook
// itself before loading its own code; `eval` because the worker file is TypeScript.
const bootstrap = `
const { workerData } = require('node:worker_threads');
(async () => {
  const { register } = await import(workerData.tsxApi);
  register({ tsconfig: workerData.tsconfig });
  require('node:module').register(workerData.hook, { data: { root: workerData.root } });
  await import(workerData.worker);
})();
`;

function revive(error: SerializedError): Error {
  // Validation and config errors keep their meaning: the app answers them with 400 and the issues.
  if (error.code === 'validation' || error.code === 'config') {
    const revived =
      error.code === 'validation'
        ? new ValidationError(error.message, error.issues ?? [])
        : new ConfigError(error.message, error.issues ?? []);
    revived.message = error.message;
    return revived;
  }
  const revived = new ApiError(500, 'template_error', error.message);
  if (error.stack) revived.stack = error.stack;
  return revived;
}

interface RenderWorker {
  /** Sends a call; its ceiling starts when `after` settles (the load a render waits for). */
  call(request: LiveTemplatesCall, timeoutMs: number, after?: Promise<unknown>): Promise<unknown>;
  readonly dead: boolean;
  readonly idle: boolean;
  loads: number;
  /** The version of the newest load, and its answer (every render after it waits for it). */
  version?: number;
  loading?: Promise<unknown>;
  terminate(): Promise<void>;
}

function startWorker(entry: string, tsconfig: string): RenderWorker {
  const worker = new Worker(bootstrap, {
    eval: true,
    // Not the parent's flags: under tsx or vitest they carry loaders meant for the main thread.
    execArgv: [],
    workerData: {
      entry,
      root: new URL('./', entry).href,
      tsconfig,
      tsxApi: tsxApiUrl(),
      hook: new URL('./live-version-hook.ts', import.meta.url).href,
      worker: new URL('./live-templates-worker.ts', import.meta.url).href,
    },
  });
  // The server's close() ends it; it must never keep a stopped server's process alive.
  worker.unref();
  const pending = new Map<
    number,
    { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout | undefined }
  >();
  let nextId = 0;
  let dead = false;
  let reason: string | undefined;

  const failAll = (message: string) => {
    dead = true;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ApiError(500, 'template_error', message));
    }
    pending.clear();
  };
  worker.on('message', (response: LiveTemplatesResponse) => {
    const p = pending.get(response.id);
    if (!p) return;
    pending.delete(response.id);
    clearTimeout(p.timer);
    if (response.ok) p.resolve(response.value);
    else p.reject(revive(response.error));
  });
  worker.on('error', (error) =>
    failAll(reason ?? `The templates stopped the render worker: ${error.message}`),
  );
  worker.on('exit', () => failAll(reason ?? 'The templates render worker exited'));

  const self: RenderWorker = {
    loads: 0,
    get dead() {
      return dead;
    },
    get idle() {
      return pending.size === 0;
    },
    call(request, timeoutMs, after) {
      return new Promise((resolvePromise, reject) => {
        if (dead) {
          reject(new ApiError(500, 'template_error', reason ?? 'The templates render worker exited'));
          return;
        }
        const id = ++nextId;
        const entry = { resolve: resolvePromise, reject, timer: undefined as NodeJS.Timeout | undefined };
        const startTimer = () => {
          if (!pending.has(id)) return;
          entry.timer = setTimeout(() => {
            reason = `The templates did not answer within ${timeoutMs / 1000} s (a loop in a template?); they were restarted`;
            void self.terminate();
          }, timeoutMs);
        };
        pending.set(id, entry);
        if (after) after.then(startTimer, startTimer);
        else startTimer();
        try {
          worker.postMessage({ ...request, id });
        } catch (error) {
          // An input that cannot be cloned (a function in the event): that request's fault alone.
          pending.delete(id);
          clearTimeout(entry.timer);
          reject(error);
        }
      });
    },
    async terminate() {
      reason ??= 'The templates render worker was stopped';
      failAll(reason);
      await worker.terminate();
    },
  };
  return self;
}

/**
 * Renders with the templates' source in a worker thread, and (unless `watch: false`) reloads them
 * after every edit under `root`, calling `onChange`. See the comment at the top of this file.
 */
export function createLiveTemplates(options: LiveTemplatesOptions = {}): LiveTemplates {
  const root = resolve(options.root ?? liveTemplatesDefaults.root);
  const entry = pathToFileURL(join(root, 'index.ts')).href;
  const tsconfig = resolve(options.tsconfig ?? liveTemplatesDefaults.tsconfig);
  const loadTimeoutMs = options.loadTimeoutMs ?? liveTemplatesDefaults.loadTimeoutMs;
  const renderTimeoutMs = options.renderTimeoutMs ?? liveTemplatesDefaults.renderTimeoutMs;
  const maxLoads = options.maxLoadsPerWorker ?? liveTemplatesDefaults.maxLoadsPerWorker;
  let version = 1;
  let current: RenderWorker | undefined;
  let closed = false;

  const load = (worker: RenderWorker) => {
    worker.loads += 1;
    worker.version = version;
    worker.loading = worker.call({ kind: 'load', version }, loadTimeoutMs);
    // Renders report a failed load themselves; this copy only must not be an unhandled rejection.
    worker.loading.catch(() => {});
    return worker.loading;
  };
  const workerNow = () => {
    if (!current || current.dead) {
      current = startWorker(entry, tsconfig);
      void load(current);
    }
    return current;
  };
  const render = (kind: TemplatesFunction, args: unknown[]): Promise<never> => {
    if (closed) return Promise.reject(new ApiError(500, 'template_error', 'The live templates are closed'));
    const worker = workerNow();
    return worker.call(
      { kind, args: args as [never, never, never] },
      renderTimeoutMs,
      worker.loading,
    ) as Promise<never>;
  };

  const reload = async (): Promise<TemplatesChange> => {
    const started = performance.now();
    version += 1;
    const mine = version;
    if (current && !current.dead && current.loads >= maxLoads && current.idle) {
      void current.terminate();
      current = undefined;
    }
    const worker = workerNow();
    try {
      // A worker started just now loads the newest version already.
      await (worker.version === mine ? worker.loading : load(worker));
      return { version: mine, ok: true, ms: Math.round(performance.now() - started) };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { version: mine, ok: false, error: message, ms: Math.round(performance.now() - started) };
    }
  };

  const watchOptions = options.watch ?? true;
  const stopWatching = watchOptions
    ? watchSources(
        root,
        () => {
          void reload().then((change) => {
            // An older reload that answers after a newer one has nothing new to say.
            if (!closed && change.version === version) options.onChange?.(change);
          });
        },
        watchOptions === true ? {} : watchOptions,
      )
    : undefined;

  return {
    templates: {
      renderEmailForTenant: (...args) => render('renderEmailForTenant', args),
      renderSlackForTenant: (...args) => render('renderSlackForTenant', args),
      renderEmailDigestForTenant: (...args) => render('renderEmailDigestForTenant', args),
      renderSlackDigestForTenant: (...args) => render('renderSlackDigestForTenant', args),
    },
    reload,
    warmUp: () => {
      if (!closed) workerNow();
    },
    async close() {
      closed = true;
      stopWatching?.();
      await current?.terminate();
    },
  };
}
