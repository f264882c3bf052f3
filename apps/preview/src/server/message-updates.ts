import { type AlertInput, isNotifyError, redactUrl } from '@pytake/notify-core';
import { respondToInteraction, type SlackApiChannel, type SlackMessage } from '@pytake/notify-slack';
import type { AlertStore, ConsoleAlert, EventContext, TargetEntry } from './alert-store.js';
import { alertAfterActions } from './updated-message.js';

/** What an action leaves to do besides changing the alert: the Slack messages that show it. */
export interface ActionTaken {
  alertId: string;
  /** The action's timeline entry: the message updates are recorded as its targets. */
  entryId: string;
  /** Set for a press on a message (the payload had a message container): that message is replaced. */
  responseUrl?: string;
  /** The pressed message's ts, so that it is not also updated with chat.update. */
  pressedTs?: string;
}

export interface MessageUpdaterOptions {
  alerts: AlertStore;
  render(context: EventContext, alert: ConsoleAlert): Promise<SlackMessage>;
  /** The Web API channel the alert's messages were posted with, if any. */
  apiChannel(): SlackApiChannel | undefined;
  /** Hosts a response_url may name besides hooks.slack.com: the app's own fake Slack. */
  allowedHosts(): string[];
  /** With `REDIS_URL`: the queue, whose workers posted the Web API messages and edit them. */
  queue(): { updateAlertMessages(alert: AlertInput): Promise<{ id: string }> } | undefined;
}

/**
 * After an action, changes the alert's Slack messages the ways Slack allows: the pressed message
 * through the interaction's `response_url` (`replace_original`, which works for webhook messages),
 * and every message the bot posted with `chat.update`. Each outcome is a target of the action's
 * timeline entry, so the console shows whether the message changed. With the queue, the Web API
 * messages are its workers': the app asks it to edit them (`updateAlertMessages`) and records that
 * request, since the edits happen in a worker that may be in another process.
 */
export function createMessageUpdater(options: MessageUpdaterOptions) {
  const { alerts } = options;
  const outcome = async (
    entryId: string,
    base: Pick<TargetEntry, 'channel' | 'target'>,
    work: () => Promise<{ attempts: number }>,
  ) => {
    const at = () => new Date().toISOString();
    try {
      const { attempts } = await work();
      alerts.setTarget(entryId, { ...base, state: 'delivered', attempts, at: at() });
    } catch (error) {
      const code = isNotifyError(error) ? error.code : 'internal';
      const attempts = isNotifyError(error) ? (error.attempts ?? 1) : 1;
      alerts.setTarget(entryId, { ...base, state: 'failed', errorCode: code, attempts, at: at() });
    }
  };

  // `queued`, not `delivered`: Redis has the request, and what became of each edit is the worker's
  // to know (the queue does not report message edits back to the producer).
  const requestEdits = async (
    queue: NonNullable<ReturnType<MessageUpdaterOptions['queue']>>,
    entryId: string,
    alert: AlertInput,
  ) => {
    const base = { channel: 'slack-api', attempts: 0 };
    try {
      const { id } = await queue.updateAlertMessages(alert);
      alerts.setTarget(entryId, {
        ...base,
        target: `updateAlertMessages (job ${id})`,
        state: 'queued',
        at: new Date().toISOString(),
      });
    } catch (error) {
      alerts.setTarget(entryId, {
        ...base,
        target: 'updateAlertMessages',
        state: 'failed',
        errorCode: isNotifyError(error) ? error.code : 'internal',
        at: new Date().toISOString(),
      });
    }
  };

  return {
    async afterAction(taken: ActionTaken): Promise<void> {
      const alert = alerts.get(taken.alertId);
      const last = alerts.lastEvent(taken.alertId);
      // An alert the app never sent (a press on the preview's own drawing) has no message to change.
      if (!alert || !last) return;
      const jobs: Promise<void>[] = [];
      if (taken.responseUrl) {
        const url = taken.responseUrl;
        jobs.push(
          outcome(taken.entryId, { channel: 'slack', target: `${redactUrl(url)} (response_url)` }, async () =>
            respondToInteraction(url, await options.render(last, alert), {
              allowedHosts: options.allowedHosts(),
              retry: { maxAttempts: 2 },
            }),
          ),
        );
      }
      const api = options.apiChannel();
      const queue = options.queue();
      if (api && queue) {
        // The queue edits every Web API message it posted, the pressed one too: rendered alike, that
        // edit changes nothing the response_url did not.
        jobs.push(requestEdits(queue, taken.entryId, alertAfterActions(last.event.alert, alert)));
      } else if (api) {
        for (const posted of alerts.messages(taken.alertId)) {
          if (posted.ts === taken.pressedTs) continue;
          const context = alerts.eventOf(posted.entryId) ?? last;
          jobs.push(
            outcome(
              taken.entryId,
              { channel: 'slack-api', target: `chat.update ${posted.channel} ${posted.ts}` },
              async () =>
                api.update({
                  channel: posted.channel,
                  ts: posted.ts,
                  message: await options.render(context, alert),
                }),
            ),
          );
        }
      }
      await Promise.all(jobs);
    },
  };
}
