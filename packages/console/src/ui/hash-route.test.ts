import { describe, expect, it } from 'vitest';
import { alertHref, parseHash } from './hash-route.js';

describe('parseHash', () => {
  it('reads back the alert an alertHref names, whatever its characters', () => {
    const href = alertHref('org/ä b', 'alr#1?x');
    expect(parseHash(href)).toEqual({ view: 'alert', organizationId: 'org/ä b', alertId: 'alr#1?x' });
  });

  it('shows the list for anything else', () => {
    for (const hash of ['', '#/', '#/alerts/only-org', '#/alerts/%E0%A4%A/x'])
      expect(parseHash(hash)).toEqual({ view: 'list' });
  });
});
