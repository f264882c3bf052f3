import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
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

/**
 * Runs `code` in a fresh node (with tsx, for src) and returns every bare specifier that any module
 * it loads resolves, third-party packages' own imports included, as a resolve hook sees them.
 */
async function specifiersLoadedBy(code: string): Promise<string[]> {
  const hooks = `let port;
export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  port.postMessage(specifier);
  return result;
}`;
  const script = `import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const seen = new Set();
// The hook posts in order, so once the last import's specifier arrives, every earlier one has.
const last = new Promise((resolve) => port1.on('message', (s) => { seen.add(s); if (s === 'node:os') resolve(); }));
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: { port: port2 }, transferList: [port2] });
${code}
await import('node:os');
await last;
port1.close();
console.log(JSON.stringify([...seen].filter((s) => !s.startsWith('.') && !s.startsWith('file:'))));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: join(src, '..'),
      timeout: 240_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

describe('the send path', () => {
  const event = `{ type: 'alert.created', occurredAt: '2025-12-14T14:30:00Z', alert: { id: 'a1', organizationId: 'o1', title: 'Disk full', severity: 'critical', category: 'system', createdAt: '2025-12-14T14:30:00Z' } }`;

  it('imports core and Slack only through their light subpaths, even through import()', () => {
    // The roots load @opentelemetry/api, the notifier, ky and the channels: about two thirds of the
    // first email's CPU in a fresh process, for nothing a render uses.
    const { packages } = staticGraph(join(src, 'index.ts'), true);
    expect([...packages].filter((p) => p.startsWith('@pytake/')).sort()).toEqual([
      '@pytake/notify-core/model',
      '@pytake/notify-slack/blocks',
    ]);
  });

  it('loads neither @opentelemetry/api nor ky when it renders the first email and Slack message', async () => {
    const index = pathToFileURL(join(src, 'index.ts')).href;
    const loaded = await specifiersLoadedBy(
      `const { renderAlertEmail, renderAlertSlack } = await import(${JSON.stringify(index)});
await renderAlertEmail(${event});
renderAlertSlack(${event});`,
    );
    expect(loaded).toContain('@pytake/notify-core/model'); // the hook sees the graph
    expect(loaded).toContain('zod'); // and the packages' own imports
    expect(loaded.filter((s) => /^(@opentelemetry\/|ky$|@pytake\/notify-(core|slack)$)/.test(s))).toEqual([]);
  });
});
