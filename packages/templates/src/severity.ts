import type { Severity } from '@pytake/notify-core';

/** One color per severity, used for the email badge and the Slack color bar alike. */
export const SEVERITY_COLORS: Readonly<Record<Severity, string>> = Object.freeze({
  critical: '#d32f2f',
  high: '#ff9800',
  medium: '#fbc02d',
  low: '#388e3c',
});

/** The emoji that leads a Slack header, as in the seed's example (`🔴 ALERT: ...`). */
export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = Object.freeze({
  critical: '🔴',
  high: '🟠',
  medium: '🟡',
  low: '🟢',
});

/**
 * Text color that stays readable on each badge color. Medium (#fbc02d) is a light yellow on which
 * white text fails WCAG contrast, so it gets dark text.
 */
export const SEVERITY_TEXT_COLORS: Readonly<Record<Severity, string>> = Object.freeze({
  critical: '#ffffff',
  high: '#1f1f1f',
  medium: '#1f1f1f',
  low: '#ffffff',
});
