// The live-templates worker (see live-templates.ts): loads the templates from source, one fresh
// copy per `load`, and renders with the newest copy. It imports nothing of ours statically: every
// file of the templates (and of core and slack, from source) comes through the versioned import.
import { parentPort, workerData } from 'node:worker_threads';
import type {
  LiveTemplatesRequest,
  LiveTemplatesResponse,
  SerializedError,
} from './live-templates-protocol.js';
import type { PreviewTemplates } from './preview-templates.js';

const { entry } = workerData as { entry: string };
let templates: Promise<PreviewTemplates> | undefined;
let firstLoad = true;

// A URL's `?live=N` is ours, not the designer's: it would only clutter a stack or an esbuild message.
const clean = (text: string | undefined) => text?.replace(/\?live=\d+/g, '');

function serialize(error: unknown, prefix = ''): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: `${prefix}${String(error)}` };
  const { code, issues } = error as { code?: unknown; issues?: unknown };
  return {
    name: error.name,
    message: `${prefix}${clean(error.message)}`,
    stack: clean(error.stack),
    ...(typeof code === 'string' ? { code } : {}),
    ...(Array.isArray(issues) ? { issues: issues as SerializedError['issues'] } : {}),
  };
}

// One render of a fixture after a worker's first load: React, react-dom/server and the email
// components load now (the email path imports them on first use), not in the designer's first
// render. Best effort: a template broken for this fixture answers the real render with its error.
async function warmUp(loaded: PreviewTemplates, version: number) {
  try {
    const fixtures = (await import(`${new URL('./fixtures/index.ts', entry).href}?live=${version}`)) as {
      fixtureEntries: { event: Parameters<PreviewTemplates['renderEmailForTenant']>[0] }[];
      fixtureTenant: Parameters<PreviewTemplates['renderEmailForTenant']>[1];
    };
    const first = fixtures.fixtureEntries[0];
    if (!first) return;
    await Promise.all([
      loaded.renderEmailForTenant(first.event, fixtures.fixtureTenant),
      loaded.renderSlackForTenant(first.event, fixtures.fixtureTenant),
    ]);
  } catch {
    // The render the designer asked for reports it.
  }
}

type Tenant = Parameters<PreviewTemplates['renderEmailForTenant']>[1];
type TemplatesIndex = PreviewTemplates & { templateOptionsForTenant(tenant: Tenant): object };
type TemplatesReact = {
  renderAlertEmailWithReact(
    event: Parameters<PreviewTemplates['renderEmailForTenant']>[0],
    options: object,
  ): ReturnType<PreviewTemplates['renderEmailForTenant']>;
  renderDigestEmailWithReact(
    digest: Parameters<PreviewTemplates['renderEmailDigestForTenant']>[0],
    options: object,
  ): ReturnType<PreviewTemplates['renderEmailDigestForTenant']>;
};

// The package renders emails from templates compiled at build time, which an edit does not change;
// here the email is React's render of the edited source (byte for byte what the compiled templates
// give once compiled again), with the tenant's options as the *ForTenant functions take them.
async function loadTemplates(version: number): Promise<PreviewTemplates> {
  const [index, react] = (await Promise.all([
    import(`${entry}?live=${version}`),
    import(`${new URL('./react/index.ts', entry).href}?live=${version}`),
  ])) as [TemplatesIndex, TemplatesReact];
  const emailOptions = (tenant: Tenant, overrides: object = {}) => {
    const { mentionOnEscalation: _slackOnly, ...options } = index.templateOptionsForTenant(tenant) as {
      mentionOnEscalation?: boolean;
    };
    return { ...options, ...overrides };
  };
  return {
    renderEmailForTenant: (event, tenant, overrides) =>
      react.renderAlertEmailWithReact(event, emailOptions(tenant, overrides)),
    renderSlackForTenant: (event, tenant, overrides) => index.renderSlackForTenant(event, tenant, overrides),
    renderEmailDigestForTenant: (digest, tenant, overrides) =>
      react.renderDigestEmailWithReact(digest, emailOptions(tenant, overrides)),
    renderSlackDigestForTenant: (digest, tenant, overrides) =>
      index.renderSlackDigestForTenant(digest, tenant, overrides),
  };
}

async function handle(request: LiveTemplatesRequest): Promise<unknown> {
  if (request.kind === 'load') {
    templates = loadTemplates(request.version).catch((error: unknown) => {
      // Every render until the next edit answers with this, so the UI keeps showing what to fix.
      throw Object.assign(new Error(), serialize(error, 'The templates failed to load: '));
    });
    const loaded = await templates;
    // A fresh worker answers its first load once React is loaded too, so that no render's ceiling
    // counts a cold start. Later loads answer at once: React is loaded, and the browsers' renders
    // (which come right after) load the rest; a warm-up would only compete with them for the CPU.
    if (firstLoad) await warmUp(loaded, request.version);
    firstLoad = false;
    return undefined;
  }
  if (!templates) throw new Error('The templates were not loaded yet');
  const loaded = await templates;
  const [input, tenant, overrides] = request.args;
  // Each function checks its own input (core's schemas), as it does outside the worker.
  const render = loaded[request.kind] as (input: unknown, tenant: Tenant, overrides?: object) => unknown;
  return await render(input, tenant, overrides);
}

parentPort!.on('message', (request: LiveTemplatesRequest) => {
  handle(request).then(
    (value) => parentPort!.postMessage({ id: request.id, ok: true, value } satisfies LiveTemplatesResponse),
    (error: unknown) =>
      parentPort!.postMessage({
        id: request.id,
        ok: false,
        error: serialize(error),
      } satisfies LiveTemplatesResponse),
  );
});
