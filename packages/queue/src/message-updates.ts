import {
  NotifyError,
  parseAlertEvent,
  redactSecrets,
  secretsOf,
  type TenantConfig,
  toNotifyError,
} from '@pytake/notify-core';
import type { Job, Queue } from 'bullmq';
import type { Conversations } from './conversation.js';
import { queueDefaults } from './defaults.js';
import type { UpdateMessage } from './deliver-job.js';
import { RetryLater } from './delivery-errors.js';
import type { MessageUpdateJobData } from './job-data.js';
import type { WorkerSettings } from './worker-options.js';

/** Adds jobs to the message-updates queue: the producer's `updateAlertMessages()` and a worker's retried parent edits. */
export function createMessageUpdates(queue: Queue<MessageUpdateJobData>, attempts: number) {
  return {
    async add(data: MessageUpdateJobData): Promise<{ id: string }> {
      const job = await queue.add('update', data, {
        attempts,
        backoff: { type: 'notify' },
        removeOnComplete: { count: queueDefaults.keepCompleted },
        // A failed edit is reported through the worker's onError; its job is kept as long as a done one.
        removeOnFail: { count: queueDefaults.keepCompleted },
        stackTraceLimit: 1,
      });
      return { id: job.id! };
    },
  };
}
export type MessageUpdates = ReturnType<typeof createMessageUpdates>;

export interface MessageUpdateContext {
  settings: WorkerSettings;
  conversations: Conversations;
  lookUp(organizationId: string): Promise<TenantConfig | undefined>;
  onError?: (error: Error) => void;
}

/**
 * The processor of message-updates jobs: renders each Web API message of an alert again, for the
 * alert as it is now, with the Web API route's own renderer, and replaces it with `chat.update`. An
 * edit that may pass later (a 429, a 5xx) makes the job retry; one refused for good (the message was
 * deleted) is reported through `onError` and the others go on.
 */
export function messageUpdateProcessor(context: MessageUpdateContext) {
  const { settings } = context;
  return async function processMessageUpdate(job: Job<MessageUpdateJobData>): Promise<void> {
    const route = settings.routes.slackApi;
    const update = (route?.channel as { update?: UpdateMessage } | undefined)?.update;
    if (!route || typeof update !== 'function') return;
    const { organizationId, alertId } = job.data;
    const messages = job.data.messages ?? (await context.conversations.messages(organizationId, alertId));
    if (messages.length === 0) return;
    const tenant = await context.lookUp(organizationId);
    if (!tenant) return;
    const secrets = secretsOf(tenant);
    const report = (message: string) => {
      try {
        context.onError?.(new NotifyError(redactSecrets(message, secrets), { code: 'permanent' }));
      } catch {
        // A broken log hook must not stop the other edits.
      }
    };
    let later: NotifyError | undefined;
    for (const posted of messages) {
      try {
        const event = parseAlertEvent({ ...posted.event, alert: job.data.alert });
        const message = await route.render(event, tenant);
        await update.call(
          route.channel,
          { channel: posted.channel, ts: posted.ts, message },
          { retry: false, rateLimit: false },
        );
      } catch (caught) {
        const error = toNotifyError(caught);
        if (error.retryable) later ??= error;
        else
          report(
            `alert ${alertId}: the Slack message ${posted.ts} in ${posted.channel} was not edited: ${error.message}`,
          );
      }
    }
    if (later) {
      const message = `alert ${alertId}: a Slack message edit may pass later: ${redactSecrets(later.message, secrets)}`;
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) report(message);
      throw new RetryLater(message, later.code, later.retryAfterMs);
    }
  };
}
