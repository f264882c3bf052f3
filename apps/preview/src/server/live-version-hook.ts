// A Node module resolve hook (module.register), loaded only inside the live-templates worker.
//
// Node keeps every ES module it has loaded, keyed by URL, for the life of the thread: importing
// the templates again after an edit returns the old code, and a cache-busting `?v=2` on the entry
// alone would still get the old copy of every file it imports. This hook gives each load of the
// templates its own URLs: a local file imported by a module whose URL carries `?live=N` gets
// `?live=N` too, so the whole graph of our sources (templates, and core and slack from source) is
// evaluated afresh, while node_modules (React, react-dom/server, React Email, zod: most of the load
// time) keep one copy per worker and stay warm between edits.

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
  if (!version || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  if (url.searchParams.has('live')) return result;
  url.searchParams.set('live', version);
  return { ...result, url: url.href };
}
