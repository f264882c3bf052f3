import { ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import type { EmailMessage } from './email-message.js';
import { validateEmailMessage } from './validate-message.js';

const ok: EmailMessage = { to: 'ops@acme.test', subject: 'Disk full', html: '<p>x</p>' };

function issues(message: EmailMessage) {
  try {
    validateEmailMessage(message);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  return [];
}

describe('validateEmailMessage', () => {
  it('accepts a minimal message and recipients in either shape', () => {
    expect(issues(ok)).toEqual([]);
    expect(issues({ ...ok, to: [{ email: 'a@acme.test', name: 'A' }], cc: 'b@acme.test', bcc: [] })).toEqual(
      [],
    );
    expect(issues({ ...ok, to: [], bcc: 'audit@acme.test' })).toEqual([]);
  });

  it('refuses something that is not a message with a ValidationError, not a TypeError', () => {
    for (const notAMessage of [null, undefined, 'ops@acme.test']) {
      expect(issues(notAMessage as unknown as EmailMessage).length).toBeGreaterThan(0);
    }
  });

  it('names a bad address by path and echoes it', () => {
    expect(issues({ ...ok, cc: ['b@acme.test', 'not an address'] })).toEqual([
      { path: 'cc[1]', message: 'expected an email address, got "not an address"' },
    ]);
    expect(issues({ ...ok, replyTo: { email: 'x' } })[0]?.path).toBe('replyTo.email');
  });

  it('wants at least one recipient', () => {
    expect(issues({ ...ok, to: [] })).toEqual([
      { path: 'to', message: 'expected at least one recipient in to, cc or bcc' },
    ]);
  });

  it.each(['a\rb', 'a\nb', 'a\r\nBcc: x@evil.test'])('refuses CR or LF in the subject (%j)', (subject) => {
    expect(issues({ ...ok, subject })[0]).toMatchObject({
      path: 'subject',
      message: expect.stringContaining('CR or LF'),
    });
  });

  it('refuses CR or LF in a display name', () => {
    expect(issues({ ...ok, to: { email: 'a@acme.test', name: 'A\r\nBcc: x@evil.test' } })).not.toEqual([]);
  });

  it('refuses bad header names, CR or LF in header values, and reserved headers', () => {
    expect(issues({ ...ok, headers: { 'X-A\nB': 'v' } })[0]?.path).toBe('headers');
    expect(issues({ ...ok, headers: { 'X-A B': 'v' } })[0]?.path).toBe('headers');
    expect(issues({ ...ok, headers: { 'X-A': 'v\r\nBcc: x' } })[0]?.path).toBe('headers.X-A');
    for (const name of [
      'From',
      'to',
      'CC',
      'Bcc',
      'Subject',
      'message-id',
      'Reply-To',
      'In-Reply-To',
      'References',
    ]) {
      expect(issues({ ...ok, headers: { [name]: 'v' } })[0]?.message).toContain('cannot be overridden');
    }
    expect(
      issues({ ...ok, headers: { 'X-PyTake-Alert': 'alrt_1', 'List-Unsubscribe': '<mailto:u@acme.test>' } }),
    ).toEqual([]);
  });

  it('refuses Content-*, MIME-Version, Date, Return-Path and Resent-* as reserved, naming the header', () => {
    for (const name of [
      'Content-Type',
      'content-transfer-encoding',
      'Content-Disposition',
      'MIME-Version',
      'Date',
      'Return-Path',
      'Resent-From',
      'resent-to',
      'Resent-Message-ID',
    ]) {
      const [issue] = issues({ ...ok, headers: { [name]: 'v' } });
      expect(issue).toEqual({
        path: `headers.${name}`,
        message: `${name} is set by the channel and cannot be overridden; use the message fields instead, got "v"`,
      });
    }
    expect(issues({ ...ok, headers: { 'X-Content-Id': 'v', 'X-Resent': 'v' } })).toEqual([]);
  });

  it('refuses a header name or an address too long for one line', () => {
    expect(issues({ ...ok, headers: { [`X-${'a'.repeat(80)}`]: 'v' } })[0]?.path).toBe('headers');
    const long = `${'a'.repeat(250)}@acme.test`;
    expect(issues({ ...ok, to: long })[0]?.message).toMatch(/at most 254 characters/);
    expect(issues({ ...ok, cc: [{ email: long, name: 'X' }] })[0]?.path).toBe('cc[0].email');
  });

  it('echoes the offending header value', () => {
    expect(issues({ ...ok, headers: { 'X-A': 'v\nBcc: x' } })[0]?.message).toBe(
      'must not contain CR or LF, got "v\\nBcc: x"',
    );
  });

  it('lists every problem at once', () => {
    expect(
      issues({ to: 'nope', subject: 'a\nb', html: '', headers: { From: 'x' } })
        .map((i) => i.path)
        .sort(),
    ).toEqual(['headers.From', 'subject', 'to'].sort());
  });
});
