import { type FSWatcher, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';

export interface WatchSourcesOptions {
  /** Quiet time after the last change before `onChange` runs. @default watchSourcesDefaults.debounceMs */
  debounceMs?: number;
  /** Longest a stream of changes may delay `onChange`. @default watchSourcesDefaults.maxWaitMs */
  maxWaitMs?: number;
  /** Folders watched at most (the root and its subfolders). @default watchSourcesDefaults.maxFolders */
  maxFolders?: number;
  /** Which changed files count (a file name), or null when the OS did not say. */
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
  /** @default 500 — packages/templates/src has 8. */
  maxFolders: 500,
  /** Source files that can change a rendering; tests and editors' temporary files do not. */
  filter: (file: string | null) =>
    file === null || (/\.(tsx?|json|css)$/.test(file) && !/\.test\.tsx?$/.test(file)),
} as const;

/**
 * Calls `onChange` once per burst of changes to the source files under `root` and its subfolders.
 * Returns a function that stops watching.
 *
 * One non-recursive watch per folder rather than `fs.watch(root, { recursive: true })`: on Linux,
 * Node 20 emulates `recursive` with a watch per file, which stays on the old file when an editor
 * saves by writing a new file and renaming it over the old one (vim, JetBrains "safe write",
 * `sed -i`), so the edits after that one went unseen. A folder's watch sees every file in it,
 * whatever inode it has; a new or removed subfolder is picked up on the next change.
 */
export function watchSources(
  root: string,
  onChange: () => void,
  options: WatchSourcesOptions = {},
): () => void {
  const debounceMs = options.debounceMs ?? watchSourcesDefaults.debounceMs;
  const maxWaitMs = options.maxWaitMs ?? watchSourcesDefaults.maxWaitMs;
  const maxFolders = options.maxFolders ?? watchSourcesDefaults.maxFolders;
  const filter = options.filter ?? watchSourcesDefaults.filter;
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let firstAt: number | undefined;
  let stopped = false;

  const fire = () => {
    timer = undefined;
    firstAt = undefined;
    onChange();
  };
  const changed = () => {
    const now = performance.now();
    firstAt ??= now;
    clearTimeout(timer);
    timer = setTimeout(fire, Math.max(0, Math.min(debounceMs, firstAt + maxWaitMs - now)));
  };

  const folders = (): string[] => {
    const found = [root];
    try {
      for (const entry of readdirSync(root, { withFileTypes: true, recursive: true })) {
        if (found.length >= maxFolders) break;
        const path = join(entry.parentPath, entry.name);
        // node_modules and dot-folders (.git, editors' caches) hold no template sources.
        if (entry.isDirectory() && !/(^|\/)(node_modules|\.[^/]*)(\/|$)/.test(path.slice(root.length)))
          found.push(path);
      }
    } catch {
      // The root is gone (a branch switch in progress): keep what is watched; the next event retries.
    }
    return found;
  };
  /** Watches the folders there are now; true when that changed what is watched. */
  const sync = (): boolean => {
    if (stopped) return false;
    const now = new Set(folders());
    let moved = false;
    for (const [folder, watcher] of watchers) {
      if (!now.has(folder)) {
        watcher.close();
        watchers.delete(folder);
        moved = true;
      }
    }
    for (const folder of now) {
      if (watchers.has(folder)) continue;
      moved = true;
      try {
        const watcher = watch(folder, (event, file) => {
          const name = file === null ? null : String(file);
          // A rename may be a new or removed subfolder: watch the tree as it is now. A new folder
          // counts as a change, since files may have been written into it before its watch began.
          const moved = event === 'rename' && sync();
          if (moved || filter(name)) changed();
        });
        watcher.on('error', () => {
          watcher.close();
          watchers.delete(folder);
        });
        watchers.set(folder, watcher);
      } catch {
        // Removed between the listing and the watch.
      }
    }
    return moved;
  };
  sync();

  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
