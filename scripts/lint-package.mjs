#!/usr/bin/env node
// Checks the package in the current directory the way npm users will get it: publint on the
// folder, then attw on the tarball that `pnpm pack` makes (pnpm rewrites `workspace:` ranges,
// which `attw --pack` would leave in place).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const dir = mkdtempSync(join(tmpdir(), 'pack-'));
try {
  run('pnpm', ['pack', '--pack-destination', dir]);
  const tarball = join(
    dir,
    readdirSync(dir).find((f) => f.endsWith('.tgz')),
  );
  run('publint', ['--strict', tarball]);
  run('attw', [tarball, '--profile', 'node16']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
