import { ConfigError, LOCALES, type Locale, type ValidationIssue } from '@pytake/notify-core/model';
import { isTimeZone } from './format-date.js';
import { safeUrl } from './safe-url.js';

/** Who the email says it comes from. */
export interface Brand {
  name: string;
  /** Shown above the message when images load; the brand name stands in when they do not. */
  logoUrl?: string;
  /** Accent color for the header rule and links, as a CSS hex color. */
  color?: string;
}

/** Options that every channel understands. */
export interface AlertTemplateOptions {
  /** @default 'en' */
  locale?: Locale;
  /** IANA time zone in which dates are shown, e.g. `America/Sao_Paulo`. @default 'UTC' */
  timeZone?: string;
  /** Linked from "View Alert" when the alert has no `url` of its own. Only http(s). */
  dashboardUrl?: string;
  /** Shown when the alert carries no `organizationName` (the notifier passes the tenant's name). */
  organizationName?: string;
  /**
   * The id of the storm digest that first reported the alert (core's `RenderContext`): the message
   * then says so in one line. Core passes it as the third argument of a route's `render`.
   */
  firstReportedInDigest?: string;
}

export interface AlertEmailOptions extends AlertTemplateOptions {
  /** @default templateDefaults.brand (PyTake) */
  brand?: Brand;
}

/** Who to mention when an alert is escalated: nobody, `@channel`, or these user (`U…`) or group (`S…`) ids. */
export type MentionOnEscalation = boolean | readonly string[];

export interface AlertSlackOptions extends AlertTemplateOptions {
  /** @default false */
  mentionOnEscalation?: MentionOnEscalation;
}

/** The defaults of the template options. */
export const templateDefaults = {
  /** @default 'en' */
  locale: 'en',
  /** @default 'UTC' */
  timeZone: 'UTC',
  /** @default `{ name: 'PyTake', color: '#1e40af' }` */
  brand: { name: 'PyTake', color: '#1e40af' },
  /** @default false */
  mentionOnEscalation: false,
} as const satisfies {
  locale: Locale;
  timeZone: string;
  brand: Brand;
  mentionOnEscalation: MentionOnEscalation;
};

/** Options after validation, with defaults applied. */
export interface ResolvedOptions {
  locale: Locale;
  timeZone: string;
  dashboardUrl: string | undefined;
  organizationName: string | undefined;
  firstReportedInDigest: string | undefined;
  brand: Required<Pick<Brand, 'name' | 'color'>> & { logoUrl: string | undefined };
  mentionOnEscalation: MentionOnEscalation;
}

const hexColor = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
// Slack ids: users U…/W…, user groups S…. Anything else would be sent as a broken mention.
const mentionId = /^[UWS][A-Z0-9]{2,}$/;

/**
 * Validates the options and applies the defaults.
 * @throws ConfigError naming every bad option and what is expected.
 */
export function resolveOptions(options: AlertEmailOptions & AlertSlackOptions = {}): ResolvedOptions {
  // No options at all (a service with one brand that keeps the defaults): the same answer for every
  // message, validated once, instead of a few checks and objects per message.
  if (typeof options === 'object' && options !== null && hasNoKeys(options)) {
    noOptions ??= freeze(resolveGiven({}));
    return noOptions;
  }
  return resolveGiven(options);
}

let noOptions: ResolvedOptions | undefined;

function hasNoKeys(options: object): boolean {
  for (const _ in options) return false;
  return true;
}

const freeze = (resolved: ResolvedOptions): ResolvedOptions =>
  Object.freeze({ ...resolved, brand: Object.freeze(resolved.brand) });

function resolveGiven(options: AlertEmailOptions & AlertSlackOptions): ResolvedOptions {
  const issues: ValidationIssue[] = [];
  const got = (value: unknown) => `got ${JSON.stringify(value) ?? String(value)}`;

  const locale = options.locale ?? templateDefaults.locale;
  if (!LOCALES.includes(locale))
    issues.push({ path: 'locale', message: `expected one of ${LOCALES.join(', ')}, ${got(locale)}` });

  const timeZone = options.timeZone ?? templateDefaults.timeZone;
  if (typeof timeZone !== 'string' || !isTimeZone(timeZone)) {
    issues.push({
      path: 'timeZone',
      message: `expected an IANA time zone such as America/Sao_Paulo, ${got(timeZone)}`,
    });
  }

  const dashboardUrl = options.dashboardUrl === undefined ? undefined : safeUrl(options.dashboardUrl);
  if (options.dashboardUrl !== undefined && !dashboardUrl) {
    issues.push({
      path: 'dashboardUrl',
      message: `expected an absolute http or https URL, ${got(options.dashboardUrl)}`,
    });
  }

  const brand: Brand = options.brand ?? templateDefaults.brand;
  if (typeof brand.name !== 'string' || brand.name.trim() === '') {
    issues.push({ path: 'brand.name', message: `expected a non-empty string, ${got(brand.name)}` });
  }
  if (brand.color !== undefined && !hexColor.test(brand.color)) {
    issues.push({
      path: 'brand.color',
      message: `expected a hex color such as #1e40af, ${got(brand.color)}`,
    });
  }
  const logoUrl = brand.logoUrl === undefined ? undefined : safeUrl(brand.logoUrl);
  if (brand.logoUrl !== undefined && !logoUrl) {
    issues.push({
      path: 'brand.logoUrl',
      message: `expected an absolute http or https URL, ${got(brand.logoUrl)}`,
    });
  }

  const mention = options.mentionOnEscalation ?? templateDefaults.mentionOnEscalation;
  if (Array.isArray(mention)) {
    mention.forEach((id, i) => {
      if (typeof id !== 'string' || !mentionId.test(id)) {
        issues.push({
          path: `mentionOnEscalation[${i}]`,
          message: `expected a Slack user id (U…, W…) or user group id (S…), ${got(id)}`,
        });
      }
    });
  } else if (typeof mention !== 'boolean') {
    issues.push({
      path: 'mentionOnEscalation',
      message: `expected true, false or a list of Slack ids, ${got(mention)}`,
    });
  }

  if (issues.length > 0) throw new ConfigError('Invalid template options', issues);
  const resolved: ResolvedOptions = {
    locale,
    timeZone,
    dashboardUrl,
    organizationName: options.organizationName,
    firstReportedInDigest: options.firstReportedInDigest,
    brand: { name: brand.name, color: brand.color ?? templateDefaults.brand.color, logoUrl },
    mentionOnEscalation: mention,
  };
  return resolved;
}
