import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as blocks from './block-kit.js';
import * as root from './index.js';

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
      if (specifier.startsWith('.'))
        visit(relative(src, join(src, dirname(file), specifier.replace(/\.js$/, '.ts'))));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return { files, packages: [...packages].sort() };
}

describe('@pytake/notify-slack/blocks', () => {
  it('loads the model subpath of core and nothing else: no ky, no node:http(s), no channels', () => {
    const { files, packages } = runtimeGraph('block-kit.ts');
    expect(packages).toEqual(['@pytake/notify-core/model']);
    expect(files).toContain('slack-message.ts');
    expect(files.filter((f) => f.startsWith('delivery/') || f.endsWith('-channel.ts'))).toEqual([]);
    // The walk must see what the root loads, or the test above could never fail.
    expect(runtimeGraph('index.ts').packages).toEqual(expect.arrayContaining(['ky', 'node:https']));
  });

  it('exports the same objects as the package root', () => {
    const rootExports: Record<string, unknown> = { ...root };
    const blockExports = Object.entries(blocks);
    expect(blockExports.map(([name]) => name)).toEqual(expect.arrayContaining(['slackMessage', 'section']));
    for (const [name, value] of blockExports) expect(rootExports[name], name).toBe(value);
  });
});
