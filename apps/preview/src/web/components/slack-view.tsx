import { useState } from 'react';
import type { AlertState, PreviewConfig, SlackBlockMessage } from '../api.js';
import { type ButtonClick, blockKitBuilderUrl, SlackMessageView } from './slack-message-view.js';

/** The Slack message as Slack shows it, its JSON, and what its buttons did to the alert. */
export function SlackView({
  message,
  alert,
  config,
  onClick,
}: {
  message: SlackBlockMessage;
  alert: AlertState | undefined;
  config: PreviewConfig | undefined;
  onClick: (click: ButtonClick) => void;
}) {
  const [json, setJson] = useState(false);
  return (
    <section className="slack-view" aria-label="Slack preview">
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="Slack part">
          <button type="button" role="tab" aria-selected={!json} onClick={() => setJson(false)}>
            Message
          </button>
          <button type="button" role="tab" aria-selected={json} onClick={() => setJson(true)}>
            JSON payload
          </button>
        </div>
        <a className="link-button" href={blockKitBuilderUrl(message)} target="_blank" rel="noreferrer">
          Open in Block Kit Builder ↗
        </a>
      </div>
      {json ? (
        <pre className="code" data-testid="slack-json">
          {JSON.stringify(message, null, 2)}
        </pre>
      ) : (
        <div className="slack-canvas">
          <SlackMessageView message={message} onClick={onClick} />
        </div>
      )}
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
