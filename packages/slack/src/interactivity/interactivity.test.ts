import { ConfigError, ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { parseAlertAction } from './parse-alert-action.js';
import { signSlackRequest } from './sign-slack-request.js';
import { verifySlackRequest } from './verify-slack-request.js';

// The example from Slack's "Verifying requests from Slack" documentation.
const doc = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  rawBody:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  nowSeconds: 1531420618 + 10,
};

describe('verifySlackRequest', () => {
  it("accepts Slack's documented example", () => {
    expect(verifySlackRequest(doc)).toEqual({ ok: true });
    expect(verifySlackRequest({ ...doc, rawBody: Buffer.from(doc.rawBody) })).toEqual({ ok: true });
  });
  it('rejects a wrong secret', () => {
    expect(verifySlackRequest({ ...doc, signingSecret: '8f742231b10e8888abcd99yyyzzz85a6' })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
  it('rejects a tampered body', () => {
    expect(verifySlackRequest({ ...doc, rawBody: doc.rawBody.replace('roadrunner', 'coyote') })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
  it('rejects a timestamp more than 5 minutes old or ahead', () => {
    expect(verifySlackRequest({ ...doc, nowSeconds: 1531420618 + 301 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifySlackRequest({ ...doc, nowSeconds: 1531420618 - 301 })).toEqual({
      ok: false,
      reason: 'stale_timestamp',
    });
    expect(verifySlackRequest({ ...doc, nowSeconds: 1531420618 + 300 })).toEqual({ ok: true });
  });
  it('rejects missing headers and a truncated signature', () => {
    expect(verifySlackRequest({ ...doc, signature: undefined })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verifySlackRequest({ ...doc, timestamp: 'abc' })).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
    expect(verifySlackRequest({ ...doc, signature: doc.signature.slice(0, -1) })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });
  it('checks the bytes Slack signed, even when they are not valid UTF-8', () => {
    const rawBody = Buffer.concat([Buffer.from('payload='), Buffer.from([0xff, 0xfe]), Buffer.from('x')]);
    const headers = signSlackRequest(doc.signingSecret, rawBody, doc.timestamp);
    const input = { ...doc, rawBody, signature: headers['x-slack-signature'] };
    expect(verifySlackRequest(input)).toEqual({ ok: true });
    // Same text after a lossy decode, different bytes: must not verify.
    const decoded = Buffer.from(rawBody.toString('utf8'));
    expect(verifySlackRequest({ ...input, rawBody: decoded })).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it.each([
    ['toleranceSeconds', NaN],
    ['toleranceSeconds', Number.POSITIVE_INFINITY],
    ['toleranceSeconds', -1],
    ['nowSeconds', NaN],
    ['nowSeconds', Number.NEGATIVE_INFINITY],
  ])('throws a ConfigError for %s %s instead of turning replay protection off', (option, value) => {
    // A 2018 timestamp: with NaN every comparison is false, so an unchecked NaN would let it pass.
    const input = { ...doc, nowSeconds: undefined, [option]: value };
    expect(() => verifySlackRequest(input)).toThrow(ConfigError);
    expect(() => verifySlackRequest(input)).toThrow(`${option}: expected a finite number`);
    expect(() => verifySlackRequest(input)).toThrow(String(value));
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an already-parsed object', { payload: '{}' }],
    ['a number', 42],
  ])('answers invalid_body for a body that is %s, never a TypeError', (_, rawBody) => {
    expect(verifySlackRequest({ ...doc, rawBody: rawBody as unknown as string })).toEqual({
      ok: false,
      reason: 'invalid_body',
    });
  });

  it('answers missing_headers for headers that are not strings (a repeated header is an array)', () => {
    const signature = [doc.signature, doc.signature] as unknown as string;
    expect(verifySlackRequest({ ...doc, signature })).toEqual({ ok: false, reason: 'missing_headers' });
    const timestamp = { t: 1 } as unknown as string;
    expect(verifySlackRequest({ ...doc, timestamp })).toEqual({ ok: false, reason: 'missing_headers' });
  });

  it('throws a ConfigError without the value for a signing secret that is not a string', () => {
    const signingSecret = 12345678901234 as unknown as string;
    expect(() => verifySlackRequest({ ...doc, signingSecret })).toThrow('signingSecret: expected a string');
    expect(() => verifySlackRequest({ ...doc, signingSecret })).not.toThrow('12345678901234');
  });

  it('never returns the secret', () => {
    expect(
      JSON.stringify(verifySlackRequest({ ...doc, signingSecret: 'another-secret-value' })),
    ).not.toContain('another-secret');
  });
});

const click = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  `payload=${encodeURIComponent(
    JSON.stringify({
      type: 'block_actions',
      user: { id: 'U024BE7LH', username: 'ana' },
      response_url: 'https://hooks.slack.com/actions/T1/1/abc',
      actions: [action],
      ...extra,
    }),
  )}`;

describe('signSlackRequest', () => {
  it("produces the signature in Slack's documented example", () => {
    expect(signSlackRequest(doc.signingSecret, doc.rawBody, doc.timestamp)).toEqual({
      'x-slack-request-timestamp': doc.timestamp,
      'x-slack-signature': doc.signature,
    });
  });
});

describe('parseAlertAction', () => {
  it.each([
    ['alert.acknowledge', 'acknowledge'],
    ['alert.resolve', 'resolve'],
    ['alert.view', 'view'],
  ])('decodes a %s click', (actionId, action) => {
    expect(parseAlertAction(click({ action_id: actionId, value: 'alert-1', type: 'button' }))).toEqual({
      action,
      alertId: 'alert-1',
      user: { id: 'U024BE7LH', name: 'ana' },
      responseUrl: 'https://hooks.slack.com/actions/T1/1/abc',
    });
  });

  it('decodes an assign with the chosen user', () => {
    const parsed = parseAlertAction(
      click({
        action_id: 'alert.assign',
        block_id: 'alert-2',
        selected_user: 'U0G9QF9C6',
        type: 'users_select',
      }),
    );
    expect(parsed).toMatchObject({ action: 'assign', alertId: 'alert-2', assignee: 'U0G9QF9C6' });
  });

  it.each([
    ['not a form body', 'hello'],
    ['bad JSON', 'payload=%7Bnope'],
    ['another payload type', click({ action_id: 'alert.view', value: 'a' }, { type: 'view_submission' })],
    ['an unknown action id', click({ action_id: 'other.thing', value: 'a' })],
    ['no alert id', click({ action_id: 'alert.resolve' })],
    ['no user', click({ action_id: 'alert.resolve', value: 'a' }, { user: undefined })],
    ['no body at all', undefined],
    ['a body a framework already parsed', { payload: '{}' }],
  ])('rejects %s with a ValidationError', (_, body) => {
    expect(() => parseAlertAction(body as string)).toThrow(ValidationError);
  });

  it('names the field in the error', () => {
    expect(() => parseAlertAction(click({ action_id: 'other.thing', value: 'a' }))).toThrow(
      'payload.actions[0].action_id: expected one of alert.acknowledge',
    );
  });
});
