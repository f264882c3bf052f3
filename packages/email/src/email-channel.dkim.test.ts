import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@pytake/notify-core';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { loadSmtpConfig } from './config.js';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';

// One key pair for the file: RSA 2048, what DNS providers and mailbox providers expect.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'der' },
});
const record = `v=DKIM1; k=rsa; p=${publicKey.toString('base64')}`;

/** Answers like DNS would for the selector's TXT record: strings of at most 255 characters. */
const lookups: string[] = [];
async function resolver(name: string, rrtype: string): Promise<string[][]> {
  lookups.push(`${rrtype} ${name}`);
  if (rrtype === 'TXT' && name === 'alerts2026._domainkey.pytake.test') {
    return [record.match(/.{1,255}/g) ?? []];
  }
  throw Object.assign(new Error(`no ${rrtype} record for ${name}`), { code: 'ENOTFOUND' });
}

const dir = mkdtempSync(join(tmpdir(), 'notify-email-dkim-'));
let server: TestServer | undefined;
let channel: EmailChannel | undefined;
afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What `run` throws, or `undefined` when it returns. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const message = {
  to: 'ops@acme.test',
  subject: 'Disk almost full on db-1 — São Paulo',
  html: '<p>Disk <b>97%</b> full</p>',
  text: 'Disk 97% full',
  listUnsubscribe: 'https://app.pytake.test/unsubscribe?org=org_acme',
  threadKey: 'alrt_1',
};

describe('DKIM signing', () => {
  it('signs what arrives at a real SMTP server, and the signature verifies with the published key', async () => {
    server = await startTestServer();
    channel = createEmailChannel({
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      dkim: { domainName: 'pytake.test', keySelector: 'alerts2026', privateKey },
    });
    await channel.send(message, { idempotencyKey: 'org_acme:alrt_1:alert.created' });
    const { raw } = server.received[0]!;
    expect(raw).toMatch(/^DKIM-Signature: /);

    const { results } = await dkimVerify(raw, { resolver });
    expect(results).toHaveLength(1);
    const [result] = results;
    expect(result!.status.result).toBe('pass');
    expect(result!.signingDomain).toBe('pytake.test');
    expect(result!.selector).toBe('alerts2026');
    expect(result!.status.aligned).toBe('pytake.test');
    // RFC 8058 asks for both unsubscribe headers to be signed.
    const signed = (result!.signingHeaders?.keys ?? '').toLowerCase().split(': ').join(':').split(':');
    expect(signed).toEqual(
      expect.arrayContaining(['from', 'subject', 'list-unsubscribe', 'list-unsubscribe-post']),
    );
    expect(lookups).toContain('TXT alerts2026._domainkey.pytake.test');

    // The check can fail: a changed body, or another key, does not verify.
    const tampered = raw.replace('97%', '12%');
    expect((await dkimVerify(tampered, { resolver })).results[0]!.status.result).not.toBe('pass');
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    }).publicKey.toString('base64');
    const wrongKey = async () => [[`v=DKIM1; k=rsa; p=${other}`]];
    expect((await dkimVerify(raw, { resolver: wrongKey })).results[0]!.status.result).toBe('fail');
  });

  it('signs with a key read from SMTP_DKIM_PRIVATE_KEY_FILE, and never shows the key in config', async () => {
    server = await startTestServer();
    const keyFile = join(dir, 'dkim.pem');
    writeFileSync(keyFile, `${privateKey.trim()}\n`);
    const config = loadSmtpConfig({
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(server.port),
      SMTP_USE_TLS: 'false',
      SMTP_FROM_EMAIL: 'alerts@pytake.test',
      SMTP_DKIM_DOMAIN: 'PyTake.test',
      SMTP_DKIM_SELECTOR: 'alerts2026',
      SMTP_DKIM_PRIVATE_KEY_FILE: keyFile,
    });
    channel = createEmailChannel(config);
    expect(channel.config.dkim).toEqual({ domainName: 'pytake.test', keySelector: 'alerts2026' });
    expect(JSON.stringify(channel.config)).not.toContain('PRIVATE KEY');
    await channel.send(message);
    const { results } = await dkimVerify(server.received[0]!.raw, { resolver });
    expect(results[0]!.status.result).toBe('pass');
  });

  it('sends unsigned when DKIM is not configured', async () => {
    server = await startTestServer();
    channel = createEmailChannel({ host: '127.0.0.1', port: server.port, useTls: false });
    await channel.send(message);
    expect(server.received[0]!.raw).not.toMatch(/^DKIM-Signature:/im);
  });

  it('refuses a bad DKIM setting at startup, naming the variable and never echoing the key', () => {
    const env = {
      SMTP_DKIM_DOMAIN: 'pytake.test',
      SMTP_DKIM_SELECTOR: 'alerts2026',
      SMTP_DKIM_PRIVATE_KEY: privateKey,
    };
    const body = privateKey.split('\n')[1]!;
    const errorOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as Error).message).not.toContain(body);
        return error as ConfigError;
      }
      throw new Error('expected a ConfigError');
    };
    // Not a key, a truncated key, an encrypted key, and a public key instead of a private one.
    const encrypted = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pass-phrase' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    for (const key of ['not-a-key', privateKey.slice(0, 400), encrypted.privateKey, encrypted.publicKey]) {
      const error = errorOf(() => loadSmtpConfig({ ...env, SMTP_DKIM_PRIVATE_KEY: key }));
      expect(error.issues.map((i) => i.path)).toEqual(['SMTP_DKIM_PRIVATE_KEY']);
      expect(error.message).toContain('expected an unencrypted PEM private key');
      if (key.length > 80) expect(error.message).not.toContain(key.slice(40, 80));
    }
    expect(errorOf(() => loadSmtpConfig({ ...env, SMTP_DKIM_DOMAIN: 'not a domain' })).issues[0]?.path).toBe(
      'SMTP_DKIM_DOMAIN',
    );
    expect(errorOf(() => loadSmtpConfig({ ...env, SMTP_DKIM_SELECTOR: 'a/b' })).issues[0]?.path).toBe(
      'SMTP_DKIM_SELECTOR',
    );
    // The three go together.
    const partial = errorOf(() => loadSmtpConfig({ SMTP_DKIM_PRIVATE_KEY: privateKey }));
    expect(partial.issues.map((i) => i.path).sort()).toEqual(['SMTP_DKIM_DOMAIN', 'SMTP_DKIM_SELECTOR']);
    // Both the key and its file, or a missing file: named, never shown.
    const both = errorOf(() => loadSmtpConfig({ ...env, SMTP_DKIM_PRIVATE_KEY_FILE: join(dir, 'x.pem') }));
    expect(both.message).toContain('SMTP_DKIM_PRIVATE_KEY_FILE');
    const { SMTP_DKIM_PRIVATE_KEY: _key, ...withoutKey } = env;
    const missing = errorOf(() =>
      loadSmtpConfig({ ...withoutKey, SMTP_DKIM_PRIVATE_KEY_FILE: join(dir, 'nope.pem') }),
    );
    expect(missing.issues).toEqual([
      { path: 'SMTP_DKIM_PRIVATE_KEY_FILE', message: expect.stringContaining('ENOENT') },
    ]);
    // In code too.
    const inCode = errorOf(() =>
      createEmailChannel({
        dkim: { domainName: 'pytake.test', keySelector: 'a', privateKey: 'secret-not-a-key' },
      }),
    );
    expect(inCode.issues.map((i) => i.path)).toEqual(['dkim.privateKey']);
    expect(inCode.message).not.toContain('secret-not-a-key');
  });

  it('refuses a key nodemailer cannot sign with (not RSA, or under 1024 bits), naming the setting and never the key', () => {
    const pem = { format: 'pem', type: 'pkcs8' } as const;
    const spki = { format: 'pem', type: 'spki' } as const;
    const keys = {
      ed25519: generateKeyPairSync('ed25519', { privateKeyEncoding: pem, publicKeyEncoding: spki })
        .privateKey,
      ed448: generateKeyPairSync('ed448', { privateKeyEncoding: pem, publicKeyEncoding: spki }).privateKey,
      x25519: generateKeyPairSync('x25519', { privateKeyEncoding: pem, publicKeyEncoding: spki }).privateKey,
      'EC P-256 (PKCS#8)': generateKeyPairSync('ec', {
        namedCurve: 'prime256v1',
        privateKeyEncoding: pem,
        publicKeyEncoding: spki,
      }).privateKey,
      'EC P-256 (SEC1)': generateKeyPairSync('ec', {
        namedCurve: 'prime256v1',
        privateKeyEncoding: { format: 'pem', type: 'sec1' },
        publicKeyEncoding: spki,
      }).privateKey,
      // RSA-PSS is not the PKCS#1 v1.5 signature that rsa-sha256 means.
      'RSA-PSS': generateKeyPairSync('rsa-pss', {
        modulusLength: 2048,
        privateKeyEncoding: pem,
        publicKeyEncoding: spki,
      }).privateKey,
      // RFC 8301: signers must use keys of at least 1024 bits, and verifiers may refuse smaller ones.
      'RSA 512-bit': generateKeyPairSync('rsa', {
        modulusLength: 512,
        privateKeyEncoding: pem,
        publicKeyEncoding: spki,
      }).privateKey,
    };
    const expected = 'expected an RSA private key of 1024 bits or more';
    for (const [kind, key] of Object.entries(keys)) {
      const body = key.split('\n')[1]!;
      const fromEnv = thrownBy(() =>
        loadSmtpConfig({
          SMTP_DKIM_DOMAIN: 'pytake.test',
          SMTP_DKIM_SELECTOR: 'alerts2026',
          SMTP_DKIM_PRIVATE_KEY: key,
        }),
      );
      expect(fromEnv, kind).toBeInstanceOf(ConfigError);
      expect((fromEnv as ConfigError).issues, kind).toEqual([
        { path: 'SMTP_DKIM_PRIVATE_KEY', message: expect.stringContaining(expected) },
      ]);
      expect((fromEnv as ConfigError).message).not.toContain(body);

      const inCode = thrownBy(() =>
        createEmailChannel({
          dkim: { domainName: 'pytake.test', keySelector: 'alerts2026', privateKey: key },
        }),
      );
      expect(inCode, kind).toBeInstanceOf(ConfigError);
      expect((inCode as ConfigError).issues, kind).toEqual([
        { path: 'dkim.privateKey', message: expect.stringContaining(expected) },
      ]);
      expect((inCode as ConfigError).message).not.toContain(body);
    }
    // The smallest key RFC 8301 allows, in the older PKCS#1 form, is accepted.
    const pkcs1 = generateKeyPairSync('rsa', {
      modulusLength: 1024,
      privateKeyEncoding: { format: 'pem', type: 'pkcs1' },
      publicKeyEncoding: spki,
    }).privateKey;
    expect(
      createEmailChannel({
        dkim: { domainName: 'pytake.test', keySelector: 'alerts2026', privateKey: pkcs1 },
      }).config.dkim,
    ).toEqual({ domainName: 'pytake.test', keySelector: 'alerts2026' });
  });

  it('accepts a key whose newlines were written as \\n in one environment variable', () => {
    const oneLine = privateKey.trim().replace(/\n/g, '\\n');
    const config = loadSmtpConfig({
      SMTP_DKIM_DOMAIN: 'pytake.test',
      SMTP_DKIM_SELECTOR: 'alerts2026',
      SMTP_DKIM_PRIVATE_KEY: oneLine,
    });
    expect(config.dkim?.privateKey).toBe(privateKey.trim());
  });
});
