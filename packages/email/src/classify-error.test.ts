import { NotifyError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { classifySmtpError, credentialForms, smtpSecrets } from './classify-error.js';

// Shapes of the errors nodemailer 10 hands to callers (see nodemailer's NodemailerError).
const smtp = (responseCode: number, response: string, code = 'EENVELOPE') =>
  Object.assign(new Error(`Command failed: ${response}`), {
    code,
    responseCode,
    response,
    command: 'RCPT TO',
  });

describe('classifySmtpError', () => {
  it('shows the addresses a server quotes the way core redacts them', () => {
    const error = classifySmtpError(
      smtp(550, '550 5.1.1 <ops.team+eu@acme.com>: unknown; also bob@x.acme.io'),
    );
    expect(error.message).toContain('<o…@acme.com>: unknown; also b…@x.acme.io');
    expect(JSON.stringify(error)).not.toMatch(/ops\.team|bob@/);
  });

  it('removes the password however it is percent-encoded or cased', () => {
    const password = 'p@ss w/rd+ü!';
    const secrets = smtpSecrets('mailer', password);
    const echoes = [
      encodeURIComponent(password),
      encodeURIComponent(password).toLowerCase(),
      encodeURI(password),
      new URLSearchParams({ p: password }).toString().slice(2),
      'p%40ss w/rd+%C3%BC!',
      password.toUpperCase(),
    ];
    for (const echo of echoes) {
      const error = classifySmtpError(smtp(535, `535 bad login ${echo} end`, 'EAUTH'), secrets);
      expect(error.message).toContain('bad login [redacted] end');
    }
  });

  it.each([421, 450, 451, 452])('makes SMTP %i transient and retryable', (status) => {
    expect(classifySmtpError(smtp(status, `${status} try later`))).toMatchObject({
      code: 'transient',
      retryable: true,
      responseCode: status,
    });
  });

  it.each([550, 553, 554])('makes SMTP %i permanent', (status) => {
    expect(classifySmtpError(smtp(status, `${status} no`))).toMatchObject({
      code: 'permanent',
      retryable: false,
    });
  });

  it.each([
    [smtp(535, '535 5.7.8 Authentication credentials invalid', 'EAUTH'), 'auth'],
    [Object.assign(new Error('Missing credentials for "PLAIN"'), { code: 'ENOAUTH' }), 'auth'],
    [smtp(454, '454 4.7.0 Temporary authentication failure', 'EAUTH'), 'transient'],
    [
      Object.assign(new Error('Greeting never received'), {
        code: 'ETIMEDOUT',
        timeoutType: 'GREETING_TIMEOUT',
      }),
      'timeout',
    ],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET', originalCode: 'ECONNREFUSED' }),
      'transient',
    ],
    [Object.assign(new Error('Connection closed unexpectedly'), { code: 'ECONNECTION' }), 'transient'],
    [
      Object.assign(new Error('self-signed certificate'), {
        code: 'ESOCKET',
        originalCode: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
      'config',
    ],
    [smtp(500, '500 command not recognized', 'ETLS'), 'config'],
    [Object.assign(new Error('aborted'), { code: 'EABORT' }), 'aborted'],
    [new Error('something else'), 'permanent'],
  ])('classifies %s as %s', (error, code) => {
    expect(classifySmtpError(error).code).toBe(code);
  });

  it('keeps NotifyErrors as they are', () => {
    const error = new NotifyError('x', { code: 'rate_limited' });
    expect(classifySmtpError(error)).toBe(error);
  });

  it('keeps the reply code and text, minus every form of the password', () => {
    const secrets = credentialForms('mailer', 'pa55word');
    const plain = Buffer.from('\0mailer\0pa55word').toString('base64');
    const error = classifySmtpError(smtp(535, `535 bad credentials pa55word ${plain}`, 'EAUTH'), secrets);
    expect(error).toMatchObject({ responseCode: 535, smtpCode: 'EAUTH', command: 'RCPT TO' });
    expect(error.message).toContain('535 bad credentials [redacted] [redacted]');
    expect(JSON.stringify(error)).not.toMatch(/pa55word|AG1haWxlcgBwYTU1d29yZA/);
    expect(error.cause).toBeUndefined();
  });
});
