import { isNotifyError, parseAlertEvent, type TenantConfig, type ValidationError } from '@pytake/notify-core';
import { ApiError } from './api-error.js';
import { previewDefaults } from './defaults.js';
import { digestOf } from './digest-fixtures.js';
import { previewTenant } from './preview-tenant.js';
import type { PreviewSubject } from './render-preview.js';

/** What a render or send request holds: an `event` or a `digest`, with the locale and time zone picked in the UI. */
export type RequestShape = ({ event: unknown } | { digest: unknown }) & {
  locale?: unknown;
  timeZone?: unknown;
};

/**
 * The request body as a render or send reads it; `to` and `webhookUrl` (POST /api/send) are read by
 * parseSendTargets.
 * @throws ApiError 400 `validation` when the body names neither an event nor a digest.
 */
export function requestShape(body: unknown): RequestShape {
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !('event' in body || 'digest' in body)
  ) {
    throw new ApiError(400, 'validation', 'Expected a JSON object { event, locale?, timeZone? }', [
      {
        path: 'event',
        message: 'required (an alert event object), or `digest`: { count } for a storm digest',
      },
    ]);
  }
  return body as RequestShape;
}

/** The request's alert event, validated. @throws ApiError 400 `validation` with the event's issues. */
export function parseEvent(input: unknown) {
  try {
    return parseAlertEvent(input);
  } catch (error) {
    if (isNotifyError(error) && error.code === 'validation') {
      // Paths stay relative to the event (`alert.severity`): that is what the props editor holds.
      throw new ApiError(400, 'validation', 'Invalid alert event', (error as ValidationError).issues);
    }
    throw error;
  }
}

/**
 * What a request renders or sends: its `event`, or the digest its `digest` names (a send takes
 * fewer alerts than a render: each one goes through the notifier).
 */
export function subjectOf(body: unknown, maxDigestAlerts?: number): PreviewSubject {
  const shape = requestShape(body);
  return 'digest' in shape
    ? { digest: digestOf(shape.digest, maxDigestAlerts) }
    : { event: parseEvent(shape.event) };
}

/** Where a send goes besides the preview's own targets: typed in the UI. */
export interface TypedTargets {
  to?: string;
  webhookUrl?: string;
}

/** The tenant a request renders or sends for, with the preview's webhook (`webhookUrl`, known after listen). */
export function requestTenants(webhookUrl: () => string) {
  const tenantOf = (
    organizationId: string,
    body: unknown,
    targets: TypedTargets = {},
    channels: readonly { id: string; name?: string }[] = [],
  ): TenantConfig => {
    const { locale, timeZone } = requestShape(body);
    return previewTenant({
      organizationId,
      locale,
      timeZone,
      recipient: targets.to ?? previewDefaults.previewRecipient,
      webhookUrl: targets.webhookUrl ?? webhookUrl(),
      channels,
    });
  };
  const tenantFor = (body: unknown, maxDigestAlerts?: number) => {
    const subject = subjectOf(body, maxDigestAlerts);
    const organizationId =
      'digest' in subject ? subject.digest.organizationId : subject.event.alert.organizationId;
    return { subject, tenant: tenantOf(organizationId, body) };
  };
  return { tenantOf, tenantFor };
}
