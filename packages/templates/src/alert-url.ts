import type { Alert } from '@pytake/notify-core/model';
import { safeUrl } from './safe-url.js';

/**
 * Where "View Alert" goes: the alert's own link when it is http(s), else the dashboard. Every message
 * about an alert, single or in a digest, links the same place.
 */
export function alertUrl(alert: Pick<Alert, 'url'>, dashboardUrl: string | undefined): string | undefined {
  return safeUrl(alert.url) ?? dashboardUrl;
}
