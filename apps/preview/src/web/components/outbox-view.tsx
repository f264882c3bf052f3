import { useState } from 'react';
import type { OutboxEntry } from '../api.js';
import { SlackMessageView } from './slack-message-view.js';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

function EmailEntry({ entry }: { entry: Extract<OutboxEntry, { kind: 'email' }> }) {
  const [open, setOpen] = useState(false);
  return (
    <article className="outbox-entry" data-testid="outbox-email">
      <header>
        <span className="kind kind-email">Email</span>
        <strong>{entry.subject}</strong>
        <span className="muted">{time(entry.receivedAt)}</span>
      </header>
      <dl className="headers">
        <dt>From</dt>
        <dd>{entry.from}</dd>
        <dt>To</dt>
        <dd>{entry.to}</dd>
        {entry.cc ? (
          <>
            <dt>Cc</dt>
            <dd>{entry.cc}</dd>
          </>
        ) : null}
        <dt>Envelope</dt>
        <dd>{entry.envelope.to.join(', ')}</dd>
        {entry.messageId ? (
          <>
            <dt>Message-ID</dt>
            <dd>
              <code>{entry.messageId}</code>
            </dd>
          </>
        ) : null}
        {entry.inReplyTo ? (
          <>
            <dt>In-Reply-To</dt>
            <dd>
              <code>{entry.inReplyTo}</code>
            </dd>
          </>
        ) : null}
      </dl>
      <button type="button" className="link-button" onClick={() => setOpen(!open)}>
        {open ? 'Hide message' : 'Show message'}
      </button>
      {open ? (
        <div className="outbox-body">
          {entry.html ? <iframe title={`Email ${entry.id}`} sandbox="" srcDoc={entry.html} /> : null}
          <pre className="code">{entry.text ?? '(no plain-text part)'}</pre>
        </div>
      ) : null}
    </article>
  );
}

function SlackEntry({ entry }: { entry: Extract<OutboxEntry, { kind: 'slack' }> }) {
  const [json, setJson] = useState(false);
  return (
    <article className="outbox-entry" data-testid="outbox-slack">
      <header>
        <span className="kind kind-slack">Slack</span>
        <strong>{entry.payload.text}</strong>
        <span className="muted">{time(entry.receivedAt)}</span>
      </header>
      <p className="muted">Webhook {entry.webhook}</p>
      <button type="button" className="link-button" onClick={() => setJson(!json)}>
        {json ? 'Show message' : 'Show JSON'}
      </button>
      {json ? (
        <pre className="code">{JSON.stringify(entry.payload, null, 2)}</pre>
      ) : (
        <SlackMessageView message={entry.payload} />
      )}
    </article>
  );
}

/** What the embedded SMTP server and Slack webhook received, newest first. */
export function OutboxView({ entries, onClear }: { entries: OutboxEntry[]; onClear: () => void }) {
  return (
    <section className="outbox" aria-label="Outbox">
      <div className="section-head">
        <h2>Outbox</h2>
        <button type="button" className="link-button" onClick={onClear} disabled={entries.length === 0}>
          Clear
        </button>
      </div>
      {entries.length === 0 ? (
        <p className="empty">Nothing captured yet. Press “Send test” to deliver the current event.</p>
      ) : (
        entries.map((entry) =>
          entry.kind === 'email' ? (
            <EmailEntry key={entry.id} entry={entry} />
          ) : (
            <SlackEntry key={entry.id} entry={entry} />
          ),
        )
      )}
    </section>
  );
}
