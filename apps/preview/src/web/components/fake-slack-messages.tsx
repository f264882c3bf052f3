import type { CapturedSlack } from '../api.js';
import { type ButtonClick, SlackMessageView } from './slack-message-view.js';

/**
 * The messages the app's fake Slack holds for one alert, as they are now: replaced through a
 * button's response_url or changed with chat.update after someone acted on the alert.
 */
export function FakeSlackMessages({
  alertId,
  entries,
  timeZone,
  onClick,
}: {
  alertId: string | undefined;
  entries: CapturedSlack[];
  timeZone: string;
  onClick: (click: ButtonClick & { messageId: string }) => void;
}) {
  if (!alertId) return null;
  const mine = entries.filter((e) => e.alertId === alertId).slice(0, 6);
  return (
    <section className="fake-slack" aria-label="In the fake Slack" data-testid="fake-slack">
      <h3>In the fake Slack</h3>
      <p className="muted">
        What the app's fake Slack holds for alert <code>{alertId}</code>, newest first. A button press
        replaces its message through the <code>response_url</code>; acting from the console changes the Web
        API messages with <code>chat.update</code>.
      </p>
      {mine.length === 0 ? <p className="empty">Nothing sent for this alert yet.</p> : null}
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
