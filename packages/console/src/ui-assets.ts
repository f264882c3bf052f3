import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built UI, read once: a few small files. */
export interface UiAssets {
  /** The page, with the console's base path written in. */
  indexHtml: string;
  /** `assets/<name>` → its bytes and content type. Only these files are ever served. */
  files: ReadonlyMap<string, { body: Uint8Array; contentType: string }>;
}

const contentTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** Where `vite build` put the UI: `dist/ui`, beside the built module and one level up from `src`. */
const uiDir = () => fileURLToPath(new URL('../dist/ui/', import.meta.url));

const escapeAttribute = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** The page's placeholder that the base path replaces, so that the UI calls the API where it is mounted. */
export const basePathMeta = '<meta name="pytake-console-base" content="" />';

/** Reads the built UI; undefined when it was not built (a checkout without `pnpm build`). */
export function loadUiAssets(basePath: string): UiAssets | undefined {
  const dir = uiDir();
  let html: string;
  try {
    html = readFileSync(`${dir}index.html`, 'utf8');
  } catch {
    return undefined;
  }
  const files = new Map<string, { body: Uint8Array; contentType: string }>();
  for (const name of readdirSync(`${dir}assets`)) {
    files.set(`assets/${name}`, {
      body: readFileSync(`${dir}assets/${name}`),
      contentType: contentTypes[extname(name)] ?? 'application/octet-stream',
    });
  }
  const indexHtml = html.replace(
    basePathMeta,
    `<meta name="pytake-console-base" content="${escapeAttribute(basePath)}" />`,
  );
  return { indexHtml, files };
}
