import { ALERT_STATUSES, type AlertEvent, type AlertEventType, type AlertStatus } from '@pytake/notify-core';
import { ALERT_ACTION_IDS, type AlertActionKind, type SlackMessage } from '@pytake/notify-slack';
import { describe, expect, it } from 'vitest';
import { alertActions } from './alert-actions.js';
import { renderAlertEmail } from './email/render-alert-email.js';
import { type FixtureName, fixtures } from './fixtures/index.js';
import { renderAlertSlack } from './slack/render-alert-slack.js';

const fixtureOf: Record<AlertEventType, FixtureName> = {
  'alert.created': 'created-high',
  'alert.escalated': 'escalated-high',
  'alert.resolved': 'resolved-high',
  'alert.stale': 'stale-high',
};
const eventTypes = Object.keys(fixtureOf) as AlertEventType[];

/** The fixture of that event type, with the alert in `status` and with or without its link. */
function eventOf(type: AlertEventType, status: AlertStatus, withUrl = true): AlertEvent {
  const base = fixtures[fixtureOf[type]];
  const alert = { ...base.alert, status };
  if (!withUrl) delete alert.url;
  return { ...base, alert } as AlertEvent;
}

const slackActionIds = (message: SlackMessage) =>
  (message.attachments?.[0]?.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b as { elements: Array<{ action_id: string; style?: string }> }).elements);

/** What applies: View with a link; nothing else once resolved; Acknowledge only while nobody has. */
function expected(type: AlertEventType, status: AlertStatus, withUrl: boolean): AlertActionKind[] {
  const view: AlertActionKind[] = withUrl ? ['view'] : [];
  if (status === 'resolved' || type === 'alert.resolved') return view;
  if (status === 'acknowledged') return [...view, 'resolve', 'assign'];
  return [...view, 'acknowledge', 'resolve', 'assign'];
}

describe('alertActions()', () => {
  it('offers View, Acknowledge, Resolve and Assign on an open alert', () => {
    expect(alertActions({ status: 'open', url: 'https://x.test/a' })).toEqual([
      'view',
      'acknowledge',
      'resolve',
      'assign',
    ]);
  });

  it('offers no Acknowledge on an acknowledged alert, e.g. a stale one', () => {
    expect(
      alertActions({ status: 'acknowledged', eventType: 'alert.stale', url: 'https://x.test/a' }),
    ).toEqual(['view', 'resolve', 'assign']);
  });

  it('offers Acknowledge on an escalated alert: escalation means nobody has yet', () => {
    expect(alertActions({ status: 'escalated', eventType: 'alert.escalated' })).toEqual([
      'acknowledge',
      'resolve',
      'assign',
    ]);
  });

  it('offers only View on a resolved alert, or on a resolution whose alert status was not updated', () => {
    expect(alertActions({ status: 'resolved', url: 'https://x.test/a' })).toEqual(['view']);
    expect(alertActions({ status: 'open', eventType: 'alert.resolved', url: 'https://x.test/a' })).toEqual([
      'view',
    ]);
    expect(alertActions({ status: 'resolved' })).toEqual([]);
  });
});

describe('the buttons of every status and event type', () => {
  for (const type of eventTypes) {
    for (const status of ALERT_STATUSES) {
      for (const withUrl of [true, false]) {
        const actions = expected(type, status, withUrl);
        const label = `${type} of a ${status} alert ${withUrl ? 'with' : 'without'} a link`;

        it(`Slack: ${label} has exactly ${actions.join(', ') || 'no buttons'}`, () => {
          const message = renderAlertSlack(eventOf(type, status, withUrl));
          const buttons = slackActionIds(message);
          expect(buttons.map((b) => b.action_id)).toEqual(actions.map((kind) => ALERT_ACTION_IDS[kind]));
          // One primary button at most: the first that changes the alert.
          const primary = buttons.filter((b) => b.style === 'primary').map((b) => b.action_id);
          const firstChange = actions.find((kind) => kind !== 'view');
          expect(primary).toEqual(firstChange ? [ALERT_ACTION_IDS[firstChange]] : []);
        });

        it(`email: ${label} shows ${withUrl ? 'View Alert' : 'the no-link line'} and no other action`, async () => {
          const { html, text } = await renderAlertEmail(eventOf(type, status, withUrl));
          const link = fixtures[fixtureOf[type]].alert.url!;
          expect(html.includes('View Alert')).toBe(withUrl);
          expect(html.includes(`href="${link}"`)).toBe(withUrl);
          expect(html.includes('Open the dashboard to see this alert.')).toBe(!withUrl);
          for (const word of ['Acknowledge', 'Assign</', '>Resolve<']) expect(html).not.toContain(word);
          expect(text.includes(`View Alert: ${link}`)).toBe(withUrl);
        });
      }
    }
  }
});
