import type { SlackMessage } from './slack-message-type.js';
import { SlackValidationError } from './slack-validation-error.js';
import { validateSlackMessage } from './validate-slack-message.js';

// The messages slackMessage() built: it checked every limit as it built them, so a send need not walk
// them again. Kept by identity rather than as a mark on the object, which a spread would copy: a
// copy such as `{ ...message, blocks }` is not one of them and is checked.
const built = new WeakSet<object>();

/** Remembers `message` as checked by `slackMessage()`. */
export function markChecked(message: SlackMessage): SlackMessage {
  built.add(message);
  return message;
}

/**
 * Throws `SlackValidationError` when `message` breaks Slack's limits. A message `slackMessage()`
 * built is not checked again; any other object is.
 */
export function checkSlackMessage(message: SlackMessage): void {
  if (built.has(message)) return;
  const issues = validateSlackMessage(message);
  if (issues.length > 0) throw new SlackValidationError(issues);
}
