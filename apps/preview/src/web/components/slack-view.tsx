import type { AlertState, PreviewConfig, SlackBlockMessage, SlackMeasure, SlackSize } from '../api.js';
import type { UrlState } from '../url-state.js';
import { type ButtonClick, blockKitBuilderUrl, SlackMessageView } from './slack-message-view.js';

const n = (value: number) => value.toLocaleString('en-US');
const over = (m: SlackMeasure) => m.used > m.limit;

/** The message's size against Slack's limits: totals, then each block's text and its tightest check. */
function SlackSizePanel({ size }: { size: SlackSize }) {
  const totals = [
    ['Blocks', size.blocks, ''],
    ['Buttons', size.buttons, ' per actions block'],
    ['Characters in all', size.characters, ' (top-level text limit)'],
    ['Block text', size.blockText, ' (all blocks together; msg_blocks_too_long past it)'],
  ] as const;
  return (
    <div className="slack-size" data-testid="slack-size">
      <h3>
        Size against Slack's limits{' '}
        <span className={`status ${size.ok ? 'status-delivered' : 'status-failed'}`}>
          {size.ok ? 'within limits' : 'over a limit'}
        </span>
      </h3>
      <ul className="slack-size-totals">
        {totals.map(([label, m, note]) => (
          <li key={label} className={over(m) ? 'over' : undefined} data-measure={m.what}>
            <strong>{label}</strong> {n(m.used)} / {n(m.limit)}
            <span className="muted">{note}</span>
          </li>
        ))}
      </ul>
      <table className="slack-size-blocks">
        <thead>
          <tr>
            <th>Block</th>
            <th>Characters</th>
            <th>Closest to its limit</th>
          </tr>
        </thead>
        <tbody>
          {size.perBlock.map((b) => (
            <tr key={`${b.in}-${b.index}`} className={b.ok ? undefined : 'over'}>
              <td>
                {b.in === 'attachment' ? 'attachment ' : ''}#{b.index + 1} {b.type}
              </td>
              <td>{n(b.chars)}</td>
              <td>
                {b.tightest ? `${b.tightest.what}: ${n(b.tightest.used)} / ${n(b.tightest.limit)}` : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The Slack message as Slack shows it, its JSON, and what its buttons did to the alert. */
export function SlackView({
  message,
  size,
  after,
  alert,
  config,
  timeZone,
  part,
  theme,
  onView,
  onClick,
}: {
  message: SlackBlockMessage;
  size: SlackSize | undefined;
  /** The message as the templates render it for the alert's state after a button press. */
  after: SlackBlockMessage | undefined;
  alert: AlertState | undefined;
  config: PreviewConfig | undefined;
  timeZone: string;
  part: UrlState['slack'];
  theme: UrlState['theme'];
  onView: (patch: Partial<UrlState>) => void;
  onClick: (click: ButtonClick) => void;
}) {
  const json = part === 'json';
  const last = alert?.activity[0];
  return (
    <section className="slack-view" aria-label="Slack preview">
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="Slack part">
          <button type="button" role="tab" aria-selected={!json} onClick={() => onView({ slack: 'message' })}>
            Message
          </button>
          <button type="button" role="tab" aria-selected={json} onClick={() => onView({ slack: 'json' })}>
            JSON payload
          </button>
        </div>
        <fieldset className="segmented" aria-label="Slack theme">
          {(['light', 'dark'] as const).map((t) => (
            <button key={t} type="button" aria-pressed={theme === t} onClick={() => onView({ theme: t })}>
              {t === 'light' ? 'Light' : 'Dark'}
            </button>
          ))}
        </fieldset>
        <a className="link-button" href={blockKitBuilderUrl(message)} target="_blank" rel="noreferrer">
          Open in Block Kit Builder ↗
        </a>
      </div>
      {json ? (
        <pre className="code" data-testid="slack-json">
          {JSON.stringify(message, null, 2)}
        </pre>
      ) : (
        <div className={`slack-canvas slack-theme-${theme}`} data-testid="slack-canvas" data-theme={theme}>
          <SlackMessageView message={message} onClick={onClick} timeZone={timeZone} />
          {after && last ? (
            <div className="slack-after" data-testid="slack-after">
              <p className="slack-after-label">
                After <strong>{last.action}</strong> by {last.user}: the message re-rendered for status{' '}
                <strong>{alert?.status}</strong>, as the app would update it through <code>response_url</code>
              </p>
              <SlackMessageView
                message={after}
                onClick={onClick}
                timeZone={timeZone}
                edited
                testId="slack-after-message"
              />
            </div>
          ) : null}
        </div>
      )}
      {size ? <SlackSizePanel size={size} /> : null}
      <div className="interactivity" data-testid="alert-state">
        <h3>Interactivity</h3>
        <p className="muted">
          Buttons post a signed <code>block_actions</code> request to <code>POST /slack/actions</code>, as
          Slack would.
        </p>
        {alert ? (
          <>
            <p>
              Alert <code>{alert.alertId}</code> is{' '}
              <span className={`status status-${alert.status}`}>{alert.status}</span>
              {alert.acknowledgedBy ? ` · acknowledged by ${alert.acknowledgedBy}` : ''}
              {alert.resolvedBy ? ` · resolved by ${alert.resolvedBy}` : ''}
              {alert.assignee ? ` · assigned to ${alert.assignee}` : ''}
            </p>
            <ul className="activity">
              {alert.activity.map((a) => (
                <li key={`${a.at}-${a.action}`}>
                  {new Date(a.at).toLocaleTimeString()} · {a.user} · {a.action}
                  {a.assignee ? ` → ${a.assignee}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p className="muted">No actions on this alert yet.</p>
        )}
        {config?.signingSecret ? (
          <p className="muted">
            Dev signing secret for your own requests:{' '}
            <code data-testid="signing-secret">{config.signingSecret}</code>
          </p>
        ) : null}
      </div>
    </section>
  );
}
