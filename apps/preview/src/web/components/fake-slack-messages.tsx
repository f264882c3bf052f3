import type { CapturedSlack } from '../api.js';
import { type ButtonClick, SlackMessageView } from './slack-message-view.js';

/**
 * The messages the app's fake Slack holds for one alert, as they are now: replaced through a
 * button's response_url or changed with chat.update after someone acted on the alert. For a digest,
 * the storm digests it holds: the messages with no alert's buttons.
 */
export function FakeSlackMessages({
  alertId,
  digest = false,
  entries,
  timeZone,
  onClick,
}: {
  alertId: string | undefined;
  digest?: boolean;
  entries: CapturedSlack[];
  timeZone: string;
  onClick: (click: ButtonClick & { messageId: string }) => void;
}) {
  if (!alertId && !digest) return null;
  const mine = entries.filter((e) => e.alertId === alertId).slice(0, 6);
  return (
    <section className="fake-slack" aria-label="In the fake Slack" data-testid="fake-slack">
      <h3>In the fake Slack</h3>
      {alertId ? (
        <p className="muted">
          What the app's fake Slack holds for alert <code>{alertId}</code>, newest first. A button press
          replaces its message through the <code>response_url</code>; acting from the console changes the Web
          API messages with <code>chat.update</code>.
        </p>
      ) : (
        <p className="muted">
          The storm digests the app's fake Slack holds, newest first. Send test sends this digest's alerts as
          a burst: past the storm threshold the notifier folds them into a digest it sends when the storm's
          interval ends.
        </p>
      )}
      {mine.length === 0 ? (
        <p className="empty">Nothing sent for this {alertId ? 'alert' : 'storm'} yet.</p>
      ) : null}
      {mine.map((e) => (
        <div
          key={e.id}
          className="fake-slack-entry"
          data-testid="fake-slack-message"
          data-via={e.via ?? 'webhook'}
          data-edited={e.editedBy ?? ''}
        >
          <p className="muted">
            {e.via === 'api' ? `chat.postMessage to ${e.channel} · ts ${e.ts}` : 'incoming webhook'}
            {e.editedBy ? ` · changed through ${e.editedBy}` : ''}
          </p>
          <SlackMessageView
            message={e.payload}
            timeZone={timeZone}
            edited={Boolean(e.editedBy)}
            testId="fake-slack-message-body"
            onClick={(click) => onClick({ ...click, messageId: e.id })}
          />
        </div>
      ))}
    </section>
  );
}
