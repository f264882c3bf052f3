import type { AlertStatus, Severity } from '@pytake/notify-core';

// The filter choices. Core's SEVERITIES and ALERT_STATUSES would bring zod into the page (a third
// of its size), so the page lists them itself, and the compiler checks that it lists every one.
export const SEVERITY_CHOICES = ['critical', 'high', 'medium', 'low'] as const satisfies readonly Severity[];
export const STATUS_CHOICES = [
  'open',
  'acknowledged',
  'escalated',
  'resolved',
] as const satisfies readonly AlertStatus[];

type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
export const everySeverityListed: Missing<Severity, (typeof SEVERITY_CHOICES)[number]> = true;
export const everyStatusListed: Missing<AlertStatus, (typeof STATUS_CHOICES)[number]> = true;
