import { type FSWatcher, watch } from 'node:fs';

export interface WatchSourcesOptions {
  /** Quiet time after the last change before `onChange` runs. @default watchSourcesDefaults.debounceMs */
  debounceMs?: number;
  /** Longest a stream of changes may delay `onChange`. @default watchSourcesDefaults.maxWaitMs */
  maxWaitMs?: number;
  /** Which changed files count (a path relative to the root, or null when the OS did not say). */
  filter?: (file: string | null) => boolean;
}

export const watchSourcesDefaults = {
  /**
   * An editor's save is several events (write, rename, chmod) within a few milliseconds, and a
   * "save all" or a `git checkout` touches many files: one reload for all of them.
   * @default 60
   */
  debounceMs: 60,
  /** @default 500 — so that a tool rewriting files in a loop still shows its results twice a second. */
  maxWaitMs: 500,
  /** Source files that can change a rendering; tests and editor swap files do not. */
  filter: (file: string | null) =>
    file === null || (/\.(tsx?|json|css)$/.test(file) && !/\.test\.tsx?$/.test(file)),
} as const;

/**
 * Calls `onChange` once per burst of changes to the source files under `root` (recursively; Node 20
 * watches subfolders itself on Linux, macOS and Windows). Returns a function that stops watching.
 */
export function watchSources(
  root: string,
  onChange: () => void,
  options: WatchSourcesOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? watchSourcesDefaults.debounceMs;
  const maxWaitMs = options.maxWaitMs ?? watchSourcesDefaults.maxWaitMs;
  const filter = options.filter ?? watchSourcesDefaults.filter;
  let timer: NodeJS.Timeout | undefined;
  let firstAt: number | undefined;

  const fire = () => {
    timer = undefined;
    firstAt = undefined;
    onChange();
  };
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, file) => {
    if (!filter(file === null ? null : String(file))) return;
    const now = performance.now();
    firstAt ??= now;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - now)));
  });
  // A deleted or unmounted root ends the watch; the app keeps serving the last good templates.
  watcher.on('error', () => watcher.close());
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
