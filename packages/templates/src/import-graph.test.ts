import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** Every module reachable from `entry` through static imports, and through `import()` too if `dynamic`. */
function staticGraph(entry: string, dynamic = false): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    const code = readFileSync(file, 'utf8');
    // `import ... from 'x'` and `export ... from 'x'`, but not `import type` (erased at build time).
    const imports = [
      ...code.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?\sfrom\s+'([^']+)'/gms),
      ...(dynamic ? code.matchAll(/\bimport\((\s*)'([^']+)'\s*\)/g) : []),
    ];
    for (const [, typeOnly, specifier] of imports) {
      if (typeOnly || !specifier) continue;
      if (specifier.startsWith('.')) {
        const target = join(dirname(file), specifier.replace(/\.js$/, ''));
        const candidates = [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')];
        const found = candidates.find((c) => {
          try {
            readFileSync(c);
            return true;
          } catch {
            return false;
          }
        });
        if (found) visit(found);
      } else {
        packages.add(specifier);
      }
    }
  };
  visit(entry);
  return { files: files.map((f) => relative(src, f)), packages };
}

describe('the package root', () => {
  it('loads neither React nor React Email', () => {
    const { packages, files } = staticGraph(join(src, 'index.ts'));
    expect([...packages].filter((p) => /react/.test(p))).toEqual([]);
    expect(files.filter((f) => f.startsWith('react/'))).toEqual([]);
    expect(files).toContain('slack/render-alert-slack.ts');
  });

  it('renders emails without React at all: no React, React Email or compiler in any import, even import()', () => {
    const { packages, files } = staticGraph(join(src, 'index.ts'), true);
    expect([...packages].filter((p) => /react/.test(p))).toEqual([]);
    expect(files.filter((f) => f.startsWith('react/') || f.startsWith('compile/'))).toEqual([]);
    expect(files).toContain('email/compiled-emails.generated.ts');
    expect(files).toContain('email/fill-email-html.ts');
  });

  it('keeps the demo data off the send path: no fixtures in its imports, even import()', () => {
    const { files } = staticGraph(join(src, 'index.ts'), true);
    expect(files.filter((f) => f.startsWith('fixtures/'))).toEqual([]);
    // The template files import them for PreviewProps: that is the ./react subpath's business.
    expect(staticGraph(join(src, 'react', 'index.ts')).files).toContain('fixtures/alert-fixtures.ts');
  });

  it('is what the ./react subpath builds on, not the other way round', () => {
    const { packages } = staticGraph(join(src, 'react', 'index.ts'));
    expect(packages).toContain('@react-email/html');
  });

  it('takes each React Email component from its own package, not the @react-email/components barrel', () => {
    // The barrel also loads code-block (prism), tailwind and markdown: about a second on the first email.
    const { packages } = staticGraph(join(src, 'react', 'index.ts'));
    expect(packages).not.toContain('@react-email/components');
  });
});
