import { describe, expect, it } from 'vitest';
import { alertHref, digestHref, parseHash, queueHref } from './hash-route.js';

describe('parseHash', () => {
  it('reads back the alert an alertHref names, whatever its characters', () => {
    const href = alertHref('org/ä b', 'alr#1?x');
    expect(parseHash(href)).toEqual({ view: 'alert', organizationId: 'org/ä b', alertId: 'alr#1?x' });
  });

  it('reads back the digest a digestHref names, and the queue', () => {
    expect(parseHash(digestHref('acme', 'dg/1'))).toEqual({
      view: 'digest',
      organizationId: 'acme',
      digestId: 'dg/1',
    });
    expect(parseHash(queueHref)).toEqual({ view: 'queue' });
  });

  it('shows the list for anything else', () => {
    for (const hash of ['', '#/', '#/alerts/only-org', '#/alerts/%E0%A4%A/x', '#/queue/x', '#/digests/a'])
      expect(parseHash(hash)).toEqual({ view: 'list' });
  });
});
