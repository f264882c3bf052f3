/** The SMTP settings the channel runs with, after defaults. */
export interface SmtpConfig {
  /** Unset means "not configured": the channel reports `isConfigured() === false`. */
  host?: string;
  port: number;
  user?: string;
  password?: string;
  fromEmail: string;
  fromName: string;
  /** STARTTLS required (nodemailer `requireTLS`). */
  useTls: boolean;
  /** Implicit TLS (nodemailer `secure`). */
  useSsl: boolean;
  timeoutSeconds: number;
  enabled: boolean;
  tlsRejectUnauthorized: boolean;
  /** DKIM signing (nodemailer's `dkim` transport option); unset means messages go out unsigned. */
  dkim?: SmtpDkimConfig;
}

/** What nodemailer needs to sign with DKIM; the public key goes in DNS at `{keySelector}._domainkey.{domainName}`. */
export interface SmtpDkimConfig {
  /** The signing domain (`d=`), e.g. `pytake.com`; align it with the From domain for DMARC. */
  domainName: string;
  /** The selector (`s=`), e.g. `alerts2026`. */
  keySelector: string;
  /** A PEM private key (RSA, 1024 bits or more; 2048 is what DNS providers expect). Never shown. */
  privateKey: string;
}

/** `SmtpConfig` with every field that has a default made optional. */
export type SmtpConfigInput = Partial<SmtpConfig>;
