import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as model from './model.js';

const src = dirname(fileURLToPath(import.meta.url));

/** The files and packages that `entry` loads at run time: its static imports, type-only ones left out. */
function runtimeGraph(entry: string): { files: string[]; packages: string[] } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(join(src, file), 'utf8');
    for (const [, typeOnly, specifier] of code.matchAll(
      /^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms,
    )) {
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith('./')) visit(specifier.slice(2).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages: [...packages].sort() };
}

describe('@pytake/notify-core/model', () => {
  it('loads zod and the model, not @opentelemetry/api, the notifier or retry', () => {
    const { files, packages } = runtimeGraph('model.ts');
    expect(packages).toEqual(['zod']);
    expect(files).toContain('events.ts');
    for (const heavy of ['tracing.ts', 'notifier.ts', 'retry.ts', 'idempotency.ts', 'batch.ts']) {
      expect(files).not.toContain(heavy);
    }
    // The check itself must see what the root loads, or the test above could never fail.
    expect(runtimeGraph('index.ts').packages).toContain('@opentelemetry/api');
  });

  it('exports the same objects as the package root, so errors and schemas are one and the same', () => {
    const rootExports: Record<string, unknown> = { ...root };
    const modelExports = Object.entries(model);
    expect(modelExports.map(([name]) => name)).toEqual(
      expect.arrayContaining(['parseAlertEvent', 'ValidationError']),
    );
    for (const [name, value] of modelExports) expect(rootExports[name], name).toBe(value);
  });

  it('throws the ValidationError that the root exports', () => {
    expect(() => model.parseAlertEvent({ type: 'alert.created' })).toThrow(root.ValidationError);
  });
});
