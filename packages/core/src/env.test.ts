import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { envBoolean, parseEnvBoolean } from './env.js';
import { formatZodIssues } from './zod-issues.js';

describe('parseEnvBoolean()', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['Yes', true],
    [' yes ', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['NO', false],
  ])('reads %j as %s', (value, expected) => {
    expect(parseEnvBoolean(value)).toBe(expected);
  });

  it('gives undefined for unset and for what is not a flag', () => {
    expect(parseEnvBoolean(undefined)).toBeUndefined();
    expect(parseEnvBoolean('maybe')).toBeUndefined();
    expect(parseEnvBoolean('')).toBeUndefined();
  });
});

describe('envBoolean()', () => {
  const schema = z.object({ ON: envBoolean(true), OFF: envBoolean(false) });

  it('parses the flags and falls back to the default when unset or empty', () => {
    expect(schema.parse({ ON: 'no', OFF: 'YES' })).toEqual({ ON: false, OFF: true });
    expect(schema.parse({})).toEqual({ ON: true, OFF: false });
    expect(schema.parse({ ON: '', OFF: '  ' })).toEqual({ ON: true, OFF: false });
  });

  it('says what is expected for anything else', () => {
    const result = schema.safeParse({ ON: 'maybe', OFF: 'off' }, { reportInput: true });
    expect(result.success).toBe(false);
    expect(formatZodIssues(result.error!).map((i) => `${i.path}: ${i.message}`)).toEqual([
      'ON: expected true, false, 1, 0, yes or no (any case), got "maybe"',
      'OFF: expected true, false, 1, 0, yes or no (any case), got "off"',
    ]);
  });
});

describe('parseEnvBoolean() and inherited names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', ' __PROTO__ '])(
    'gives undefined for %j, never a prototype member',
    (value) => {
      expect(parseEnvBoolean(value)).toBeUndefined();
    },
  );

  it('gives undefined for what is not a string', () => {
    expect(parseEnvBoolean(null as never)).toBeUndefined();
    expect(parseEnvBoolean(1 as never)).toBeUndefined();
  });

  it('refuses them in envBoolean() with the usual issue', () => {
    expect(envBoolean(true).safeParse('constructor').success).toBe(false);
    expect(envBoolean(true).safeParse('__proto__').success).toBe(false);
  });
});
