// A Node module resolve hook (module.register), loaded only inside the live-templates worker.
//
// Node keeps every ES module it has loaded, keyed by URL, for the life of the thread: importing
// the templates again after an edit returns the old code, and a cache-busting `?v=2` on the entry
// alone would still get the old copy of every file it imports. This hook gives each load of the
// templates its own URLs: a file under the templates' root imported by a module whose URL carries
// `?live=N` gets `?live=N` too, so every file of the templates is evaluated afresh. Everything
// else (core and slack, React, react-dom/server, React Email, zod: most of the load time) keeps
// one copy per worker and stays warm between edits; only the templates' folder is watched anyway.

let root = '';

/** Receives the `data` of module.register: the file URL of the templates' folder. */
export function initialize(data: { root: string }) {
  root = data.root.endsWith('/') ? data.root : `${data.root}/`;
}

const versionOf = (url: string | undefined) => (url ? /[?&]live=(\d+)/.exec(url)?.[1] : undefined);

interface ResolveContext {
  parentURL?: string;
}
interface ResolveResult {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  const version = versionOf(context.parentURL) ?? versionOf(specifier);
  if (!version || !result.url.startsWith(root) || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  if (url.searchParams.has('live')) return result;
  url.searchParams.set('live', version);
  return { ...result, url: url.href };
}
