import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this package lives in. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface PublishablePackage {
  name: string;
  version: string;
  dir: string;
  /** Every key of the exports map but `./package.json`, as import specifiers: `@pytake/x`, `@pytake/x/react`. */
  specifiers: string[];
}

/**
 * Every package of `packages/*` that is not private and has a `build` script. One without a build
 * (a package still being written) has nothing to publish yet and is left out until it has one.
 */
export function publishablePackages(root = repoRoot): PublishablePackage[] {
  const found: PublishablePackage[] = [];
  const packagesDir = join(root, 'packages');
  for (const entry of readdirSync(packagesDir).sort()) {
    const dir = join(packagesDir, entry);
    const manifestPath = join(dir, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      name: string;
      version: string;
      private?: boolean;
      scripts?: Record<string, string>;
      exports?: Record<string, unknown>;
    };
    if (manifest.private === true || !manifest.scripts?.build) continue;
    const specifiers = Object.keys(manifest.exports ?? { '.': null })
      .filter((key) => key !== './package.json')
      .map((key) => (key === '.' ? manifest.name : `${manifest.name}/${key.slice(2)}`));
    found.push({ name: manifest.name, version: manifest.version, dir, specifiers });
  }
  return found;
}
