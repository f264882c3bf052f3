import type { AlertEvent } from '@pytake/notify-core';

/**
 * A marker for each field that would do harm if it reached the output unescaped: an HTML tag with an
 * event handler, a Slack broadcast, a Slack link. `hostile(field)` names the field so a test can tell
 * which field leaked.
 */
export const hostile = (field: string) =>
  `<img src=x onerror=alert('${field}')> <!channel> <https://evil.example|${field}> &amp;`;

/** Every free-text field of the event replaced by a hostile marker. */
export function withHostileText(event: AlertEvent): AlertEvent {
  const alert = {
    ...event.alert,
    title: hostile('title'),
    description: hostile('description'),
    organizationName: hostile('organizationName'),
    category: hostile('category'),
  };
  switch (event.type) {
    case 'alert.created':
      return { ...event, alert };
    case 'alert.escalated':
      return { ...event, alert, reason: hostile('reason'), assignedTo: hostile('assignedTo') };
    case 'alert.resolved':
      return {
        ...event,
        alert,
        resolvedBy: hostile('resolvedBy'),
        resolutionNotes: hostile('resolutionNotes'),
      };
    case 'alert.stale':
      return { ...event, alert, currentOwner: hostile('currentOwner') };
  }
}

/** The fields `withHostileText` replaced in this event, that the output must show. */
export function hostileFields(event: AlertEvent): string[] {
  const shown = ['title', 'description', 'organizationName', 'category'];
  switch (event.type) {
    case 'alert.created':
      return shown;
    case 'alert.escalated':
      return [...shown, 'reason', 'assignedTo'];
    case 'alert.resolved':
      return [...shown, 'resolvedBy', 'resolutionNotes'];
    case 'alert.stale':
      return [...shown, 'currentOwner'];
  }
}

/**
 * Every free-text field of the event set to `text(field)`: the same fields as `withHostileText`,
 * for tests that need their own text in each (Slack formatting, lengths).
 */
export function withEveryText(event: AlertEvent, text: (field: string) => string): AlertEvent {
  const alert = {
    ...event.alert,
    title: text('title').slice(0, 255),
    description: text('description'),
    organizationName: text('organizationName'),
    category: text('category'),
  };
  switch (event.type) {
    case 'alert.created':
      return { ...event, alert };
    case 'alert.escalated':
      return { ...event, alert, reason: text('reason'), assignedTo: text('assignedTo') };
    case 'alert.resolved':
      return { ...event, alert, resolvedBy: text('resolvedBy'), resolutionNotes: text('resolutionNotes') };
    case 'alert.stale':
      return { ...event, alert, currentOwner: text('currentOwner') };
  }
}
