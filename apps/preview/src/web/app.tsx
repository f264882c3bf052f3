import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type CapturedSlack, type FixtureSummary, type PreviewConfig } from './api.js';
import { DeliveryLog } from './components/delivery-log.js';
import { EmailView } from './components/email-view.js';
import { FakeSlackMessages } from './components/fake-slack-messages.js';
import { Gallery } from './components/gallery.js';
import { OutboxView } from './components/outbox-view.js';
import { PropsEditor } from './components/props-editor.js';
import { QueuePanel } from './components/queue-panel.js';
import { SlackView } from './components/slack-view.js';
import { problemOf, subjectOf } from './request-body.js';
import { readUrlState } from './url-state.js';
import { useLiveState } from './use-live-state.js';
import { usePreviewRender } from './use-preview-render.js';
import { useSendTest } from './use-send-test.js';
import { useUrlView } from './use-url-view.js';

const TIME_ZONES = [
  'UTC',
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/Lisbon',
  'Europe/London',
  'Asia/Tokyo',
];

export function App() {
  const [config, setConfig] = useState<PreviewConfig>();
  const [fixtures, setFixtures] = useState<FixtureSummary[]>([]);
  const [original, setOriginal] = useState('');
  const [text, setText] = useState('');
  const { view, patchView } = useUrlView(TIME_ZONES);
  const { fixture: selected, tab, locale, timeZone } = view;
  const { outbox, records, stats, alerts, templatesVersion } = useLiveState();

  const parsed = useMemo((): { event?: unknown; syntax?: string } => {
    if (text === '') return {};
    try {
      return { event: JSON.parse(text) };
    } catch (error) {
      return { syntax: (error as Error).message };
    }
  }, [text]);
  const alertId = (parsed.event as { alert?: { id?: unknown } } | undefined)?.alert?.id;
  const isDigest = 'digest' in subjectOf(parsed.event);
  const alertState = alerts.find((a) => a.alertId === alertId);
  const { rendered, after, compat, problem, setProblem } = usePreviewRender({
    parsed,
    locale,
    timeZone,
    templatesVersion,
    alertState,
  });
  const {
    sending,
    sendTo,
    setSendTo,
    sendWebhook,
    setSendWebhook,
    sendIssues,
    notice,
    setNotice,
    send,
    clickButton,
  } = useSendTest({ event: parsed.event, locale, timeZone });

  const selectFixture = useCallback(
    async (name: string) => {
      patchView({ fixture: name });
      try {
        const event = await api<unknown>(`/api/fixtures/${encodeURIComponent(name)}`);
        const json = JSON.stringify(event, null, 2);
        setOriginal(json);
        setText(json);
      } catch (error) {
        setProblem(problemOf(error));
      }
    },
    [patchView, setProblem],
  );

  // First load: what the server knows, then the fixture of the URL (or the first one).
  useEffect(() => {
    void api<PreviewConfig>('/api/config').then(setConfig);
    const linked = readUrlState(window.location.search, TIME_ZONES).fixture;
    void api<FixtureSummary[]>('/api/fixtures').then((list) => {
      setFixtures(list);
      const first = list.find((f) => f.name === linked) ?? list[0];
      if (first) void selectFixture(first.name);
    });
  }, [selectFixture]);

  const canSend = parsed.event !== undefined && problem === undefined && !sending;

  return (
    <div className="layout">
      <header className="topbar">
        <div className="brand">
          <span className="logo">P</span> PyTake Notify <span className="muted">Preview</span>
        </div>
        <div className="controls">
          <fieldset className="segmented" aria-label="Locale">
            {(['en', 'pt-BR'] as const).map((l) => (
              <button
                key={l}
                type="button"
                aria-pressed={locale === l}
                onClick={() => patchView({ locale: l })}
              >
                {l}
              </button>
            ))}
          </fieldset>
          <label className="select">
            <span className="muted">Time zone</span>
            <select
              value={timeZone}
              onChange={(e) => patchView({ timeZone: e.target.value })}
              aria-label="Time zone"
            >
              {TIME_ZONES.map((tz) => (
                <option key={tz}>{tz}</option>
              ))}
            </select>
          </label>
          <details className="send-to" data-testid="send-to">
            <summary>Send to…</summary>
            <div className="send-to-panel">
              <label>
                <span className="muted">Email to (optional)</span>
                <input
                  type="email"
                  value={sendTo}
                  placeholder={config?.recipient ?? 'you@example.com'}
                  aria-label="Send test email to"
                  aria-invalid={sendIssues.includes('to')}
                  autoComplete="email"
                  onChange={(e) => setSendTo(e.target.value)}
                />
              </label>
              <label>
                <span className="muted">Slack webhook (optional)</span>
                <input
                  type="url"
                  value={sendWebhook}
                  placeholder="https://hooks.slack.com/services/T…/B…/…"
                  aria-label="Send test Slack message to webhook"
                  aria-invalid={sendIssues.includes('webhookUrl')}
                  autoComplete="off"
                  onChange={(e) => setSendWebhook(e.target.value)}
                />
              </label>
              <p className="muted">
                Empty fields send to the embedded capture servers. Only hooks.slack.com webhooks (or this
                preview's own receiver) are accepted.
              </p>
            </div>
          </details>
          <button
            type="button"
            className="primary"
            onClick={send}
            disabled={!canSend}
            data-testid="send-test"
          >
            {sending ? 'Sending…' : 'Send test'}
          </button>
        </div>
      </header>
      {notice ? (
        <div className={`notice notice-${notice.kind}`} data-testid="send-notice" role="status">
          {notice.text}
          {config ? (
            <span className="muted">
              {' '}
              · email →{' '}
              {sendTo.trim()
                ? `the address you typed via ${config.destinations.email}`
                : config.destinations.email}{' '}
              · Slack → {sendWebhook.trim() ? 'the webhook you typed' : config.destinations.slack}
            </span>
          ) : null}
          <button
            type="button"
            className="link-button"
            onClick={() => setNotice(undefined)}
            aria-label="Dismiss"
          >
            ×
          </button>
        </div>
      ) : null}
      <Gallery fixtures={fixtures} selected={selected} onSelect={(name) => void selectFixture(name)} />
      <main className="main">
        <div className="tabs" role="tablist" aria-label="Views">
          {(
            [
              ['email', 'Email'],
              ['slack', 'Slack'],
              ['outbox', `Outbox (${outbox.length})`],
              ['log', `Delivery log (${records.length})`],
            ] as const
          ).map(([id, label]) => (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={tab === id}
              onClick={() => patchView({ tab: id })}
            >
              {label}
            </button>
          ))}
          {/* @pytake/notify-console, mounted by the server: its own page, which refuses to be framed. */}
          <a className="tab-link" href="/console/" target="_blank" rel="noopener" data-testid="console-link">
            Console ↗
          </a>
        </div>
        <div className={`tab-body${problem && (tab === 'email' || tab === 'slack') ? ' stale' : ''}`}>
          {tab === 'email' && rendered ? (
            <EmailView
              email={rendered.email}
              compat={compat}
              part={view.part}
              width={view.width}
              onView={patchView}
            />
          ) : null}
          {tab === 'slack' && rendered ? (
            <SlackView
              message={rendered.slack}
              size={rendered.slackSize}
              after={after}
              alert={alertState}
              config={config}
              timeZone={timeZone}
              part={view.slack}
              theme={view.theme}
              onView={patchView}
              onClick={clickButton}
            />
          ) : null}
          {tab === 'slack' && rendered ? (
            <FakeSlackMessages
              alertId={typeof alertId === 'string' ? alertId : undefined}
              digest={isDigest}
              entries={outbox.filter((e): e is CapturedSlack => e.kind === 'slack')}
              timeZone={timeZone}
              onClick={clickButton}
            />
          ) : null}
          {tab === 'outbox' ? (
            <OutboxView entries={outbox} onClear={() => void api('/api/outbox', { method: 'DELETE' })} />
          ) : null}
          {tab === 'log' ? <QueuePanel refreshKey={records.length} /> : null}
          {tab === 'log' ? <DeliveryLog records={records} stats={stats} /> : null}
          {!rendered && (tab === 'email' || tab === 'slack') ? (
            <p className="empty">Pick a fixture.</p>
          ) : null}
        </div>
      </main>
      <PropsEditor
        value={text}
        onChange={setText}
        problem={problem}
        digest={isDigest}
        onReset={() => setText(original)}
        onFormat={() => parsed.event !== undefined && setText(JSON.stringify(parsed.event, null, 2))}
      />
    </div>
  );
}
