import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { cleanEnv, runOk } from './run.js';

export const gitIdentity = {
  GIT_AUTHOR_NAME: 'release-test',
  GIT_AUTHOR_EMAIL: 'release-test@pytake.test',
  GIT_COMMITTER_NAME: 'release-test',
  GIT_COMMITTER_EMAIL: 'release-test@pytake.test',
};

/**
 * Copies the repository as it is now (tracked and untracked files, not the ignored ones: no
 * node_modules, dist or reports) into `dest`, as one commit on `main`, which `changeset status`
 * and `version` expect. The working tree, not HEAD, so that a change is tested before it is committed.
 */
export async function copyRepo(root: string, dest: string): Promise<void> {
  const list = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  })
    .toString('utf8')
    .split('\0')
    .filter(Boolean);
  for (const file of list) {
    const target = join(dest, file);
    mkdirSync(dirname(target), { recursive: true });
    try {
      cpSync(join(root, file), target, { verbatimSymlinks: true });
    } catch (error) {
      // A file deleted in the working tree but not yet in the index is simply not there.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const env = cleanEnv(gitIdentity);
  await runOk('git', ['init', '-q', '-b', 'main'], { cwd: dest, env });
  await runOk('git', ['add', '-A'], { cwd: dest, env });
  await runOk('git', ['commit', '-q', '--no-verify', '-m', 'copy for the release test'], { cwd: dest, env });
}

/** Marks a package private in the copy, so that changesets leaves it out of the release. */
export function makePrivate(packageDir: string): void {
  const file = join(packageDir, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, `${JSON.stringify({ ...manifest, private: true }, null, 2)}\n`);
}

/**
 * The turbo cache of the repository at `root` (turbo keeps one per clone, shared by its worktrees),
 * when it has one. The copy has the same files, so its build replays what `pnpm test`'s own build
 * just made instead of spending minutes of a loaded machine on it again; a miss still builds.
 */
export function turboCacheOf(root: string): string | undefined {
  const common = execFileSync('git', ['rev-parse', '--git-common-dir'], { cwd: root })
    .toString('utf8')
    .trim();
  const dir = join(dirname(resolve(root, common)), '.turbo', 'cache');
  return existsSync(dir) ? dir : undefined;
}
