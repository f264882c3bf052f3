import { isNotifyError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { resolveOptions, templateDefaults } from './options.js';

describe('resolveOptions', () => {
  it('answers no options with the defaults, the same (frozen) answer every time', () => {
    const none = resolveOptions({});
    expect(none).toEqual({
      locale: templateDefaults.locale,
      timeZone: templateDefaults.timeZone,
      dashboardUrl: undefined,
      organizationName: undefined,
      brand: { ...templateDefaults.brand, logoUrl: undefined },
      mentionOnEscalation: templateDefaults.mentionOnEscalation,
    });
    expect(resolveOptions()).toBe(none);
    // Shared by every message without options: no caller can change it for the next one.
    expect(Object.isFrozen(none) && Object.isFrozen(none.brand)).toBe(true);
    expect(resolveOptions({ locale: undefined, brand: undefined })).toEqual(none);
  });

  it('still validates options given after a call without any', () => {
    resolveOptions({});
    expect(resolveOptions({ locale: 'pt-BR', timeZone: 'America/Sao_Paulo' })).toMatchObject({
      locale: 'pt-BR',
      timeZone: 'America/Sao_Paulo',
    });
    let caught: unknown;
    try {
      resolveOptions({ timeZone: 'Mars/Olympus' });
    } catch (error) {
      caught = error;
    }
    expect(isNotifyError(caught) && caught.code).toBe('config');
  });
});
