import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PublishablePackage } from './publishable-packages.js';
import { cleanEnv, runOk } from './run.js';

export interface PackedPackage extends PublishablePackage {
  tarball: string;
}

/**
 * `pnpm pack`s each package into `destination`, as `pnpm publish` would pack it: `workspace:` and
 * `catalog:` ranges are replaced by versions. The packages must have been built (turbo runs their
 * `build` before this package's `test`).
 */
export async function packPackages(
  packages: PublishablePackage[],
  destination: string,
): Promise<PackedPackage[]> {
  const packed: PackedPackage[] = [];
  for (const pkg of packages) {
    if (!existsSync(join(pkg.dir, 'dist'))) {
      throw new Error(
        `${pkg.name} has no dist/: build it first (pnpm build), or add it to the devDependencies of @pytake/test-install so that turbo builds it before this test`,
      );
    }
    const before = new Set(readdirSync(destination));
    await runOk('pnpm', ['pack', '--pack-destination', destination], { cwd: pkg.dir, env: cleanEnv() });
    const added = readdirSync(destination).filter((file) => !before.has(file) && file.endsWith('.tgz'));
    if (added.length !== 1)
      throw new Error(`pnpm pack of ${pkg.name} made ${added.length} tarballs: ${added.join(', ')}`);
    packed.push({ ...pkg, tarball: join(destination, added[0] as string) });
  }
  return packed;
}
