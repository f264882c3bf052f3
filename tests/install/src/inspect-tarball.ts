import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface TarballReport {
  /** Every file in the tarball, relative to its `package/` folder. */
  files: string[];
  unpackedBytes: number;
  /** Each a sentence naming the file and what is wrong with it. */
  problems: string[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const testFile = /(^|\/)(__tests__|test|tests)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)vitest\.config\./;

/**
 * What a registry user gets, checked: a manifest with no `workspace:` or `catalog:` range, a
 * `dist/` and a README, no test files, and source maps that carry their sources (the `src/` they
 * point at is not published).
 */
export function inspectUnpacked(packageDir: string): TarballReport {
  const paths = walk(packageDir);
  const files = paths.map((p) => relative(packageDir, p)).sort();
  const problems: string[] = [];
  const manifest = readFileSync(join(packageDir, 'package.json'), 'utf8');
  for (const protocol of ['workspace:', 'catalog:']) {
    if (manifest.includes(protocol)) problems.push(`package.json still holds a "${protocol}" range`);
  }
  if (!files.some((f) => f.startsWith('dist/'))) problems.push('no dist/');
  if (!files.some((f) => /^readme(\.md)?$/i.test(f))) problems.push('no README');
  for (const file of files.filter((f) => testFile.test(f))) problems.push(`${file} is a test file`);
  for (const file of files.filter((f) => f.endsWith('.map'))) {
    const map = JSON.parse(readFileSync(join(packageDir, file), 'utf8')) as {
      sources?: string[];
      sourcesContent?: (string | null)[];
    };
    const sources = map.sources ?? [];
    const contents = map.sourcesContent ?? [];
    const missing = sources.filter((_, i) => typeof contents[i] !== 'string');
    if (missing.length)
      problems.push(`${file} points to sources it does not carry: ${missing.slice(0, 3).join(', ')}`);
  }
  const unpackedBytes = paths.reduce((sum, p) => sum + statSync(p).size, 0);
  return { files, unpackedBytes, problems };
}
