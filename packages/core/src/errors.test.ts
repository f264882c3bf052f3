import { describe, expect, it } from 'vitest';
import { ConfigError, isNotifyError, NotifyError, toNotifyError, ValidationError } from './errors.js';

describe('NotifyError', () => {
  it('carries code, retryable, retryAfterMs and cause', () => {
    const cause = new Error('ECONNRESET');
    const error = new NotifyError('Slack did not answer', {
      code: 'transient',
      retryable: true,
      retryAfterMs: 3000,
      cause,
    });
    expect(error).toMatchObject({
      name: 'NotifyError',
      code: 'transient',
      retryable: true,
      retryAfterMs: 3000,
      cause,
    });
    expect(error.message).toBe('Slack did not answer');
  });

  it('is not retryable unless said so', () => {
    expect(new NotifyError('x', { code: 'permanent' }).retryable).toBe(false);
  });
});

describe('isNotifyError()', () => {
  it('recognises NotifyError and its subclasses', () => {
    expect(isNotifyError(new NotifyError('x', { code: 'auth' }))).toBe(true);
    expect(isNotifyError(new ValidationError('Invalid', [{ path: 'a', message: 'b' }]))).toBe(true);
    expect(isNotifyError(new ConfigError('Invalid'))).toBe(true);
  });

  it('recognises an error from another copy of the package by its Symbol.for marker', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@pytake/notify-core/NotifyError')]: true });
    expect(isNotifyError(foreign)).toBe(true);
  });

  it('rejects anything else', () => {
    expect([new Error('x'), null, undefined, 'x', { code: 'auth' }].some(isNotifyError)).toBe(false);
  });
});

describe('ValidationError', () => {
  it('puts a single issue on one line and several on their own lines', () => {
    expect(new ValidationError('Invalid', [{ path: 'a', message: 'bad' }]).message).toBe('Invalid: a: bad');
    expect(
      new ValidationError('Invalid', [
        { path: 'a', message: 'bad' },
        { path: '', message: 'worse' },
      ]).message,
    ).toBe('Invalid:\n- a: bad\n- worse');
  });
});

describe('toNotifyError()', () => {
  it('keeps a NotifyError as it is', () => {
    const error = new NotifyError('x', { code: 'auth' });
    expect(toNotifyError(error)).toBe(error);
  });

  it('wraps anything else with the fallback code and the original as cause', () => {
    const cause = new TypeError('boom');
    expect(toNotifyError(cause)).toMatchObject({ code: 'permanent', message: 'boom', cause });
    expect(toNotifyError('plain', 'transient')).toMatchObject({ code: 'transient', message: 'plain' });
  });
});
