import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url.js';

/** What safeUrl means, without its shortcut: the URL parser's own text, for http(s) only. */
function parsed(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

describe('safeUrl', () => {
  it('keeps http(s) URLs as the URL parser writes them and drops everything else', () => {
    expect(safeUrl('https://app.pytake.net/alerts/alrt_1?x=1#top')).toBe(
      'https://app.pytake.net/alerts/alrt_1?x=1#top',
    );
    expect(safeUrl('HTTPS://App.PyTake.net')).toBe('https://app.pytake.net/');
    expect(safeUrl('https://app.pytake.net:443/a/./b/../c')).toBe('https://app.pytake.net/a/c');
    expect(safeUrl("https://a.example/x?q='1'")).toBe('https://a.example/x?q=%271%27');
    expect(safeUrl('http://0x7f.1/')).toBe('http://127.0.0.1/');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('/relative')).toBeUndefined();
    expect(safeUrl('')).toBeUndefined();
    expect(safeUrl(42)).toBeUndefined();
  });

  it('gives what the URL parser gives, for URLs near every case its shortcut leaves out', () => {
    const piece = fc.constantFrom(
      ...'aZ09-._~!$&()*+,;=:@%/?#\'"<> \\|^`{}[]\t'.split(''),
      '%2e',
      '%2E',
      '.',
      '..',
      '/./',
      '/../',
      'xn--',
      ':443',
      ':80',
      ':08',
      'é',
      '\u0000',
    );
    const host = fc.constantFrom(
      'a',
      'app.pytake.net',
      'a-b.c',
      '-a.b',
      'a-.b',
      'a--b.c',
      'xn--a.b',
      'xn--nxasmq6b.com',
      'a.1',
      '1.2.3.4',
      '0x7f.1',
      '1a.b',
      'A.b',
      'a..b',
      'a.b.',
      'user@a.b',
    );
    const url = fc
      .tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', 'http:/', ''), host, fc.array(piece))
      .map(([scheme, h, rest]) => `${scheme}${h}${rest.join('')}`);
    fc.assert(
      fc.property(fc.oneof(url, fc.webUrl({ withQueryParameters: true, withFragments: true })), (value) => {
        expect(safeUrl(value)).toBe(parsed(value));
      }),
      { numRuns: 20_000 },
    );
  });
});
