import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  type AlertState,
  api,
  type CapturedSlack,
  type CompatResult,
  type DeliveryRecord,
  type FixtureSummary,
  type OutboxEntry,
  type PreviewConfig,
  type RenderResult,
  RequestError,
  type Stats,
} from './api.js';
import { DeliveryLog } from './components/delivery-log.js';
import { EmailView } from './components/email-view.js';
import { FakeSlackMessages } from './components/fake-slack-messages.js';
import { Gallery } from './components/gallery.js';
import { OutboxView } from './components/outbox-view.js';
import { type EditorProblem, PropsEditor } from './components/props-editor.js';
import { QueuePanel } from './components/queue-panel.js';
import type { ButtonClick } from './components/slack-message-view.js';
import { SlackView } from './components/slack-view.js';
import { connectLive } from './live-client.js';
import { readUrlState, type UrlState, urlStateQuery } from './url-state.js';

const TIME_ZONES = [
  'UTC',
  'America/Sao_Paulo',
  'America/New_York',
  'Europe/Lisbon',
  'Europe/London',
  'Asia/Tokyo',
];
/** Re-render this long after the last keystroke, so typing stays smooth. */
const RENDER_DELAY_MS = 200;

/**
 * The request body for what the editor holds: an event, or `{ digest: { count } }` for a storm
 * digest (the server builds it: 2,000 alerts would be about a megabyte of JSON).
 */
const subjectOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'digest' in value
    ? { digest: (value as { digest: unknown }).digest }
    : { event: value };

const problemOf = (error: unknown): EditorProblem =>
  error instanceof RequestError
    ? {
        kind: error.body.error.code === 'validation' ? 'validation' : 'error',
        message: error.body.error.message,
        issues: error.body.error.issues,
      }
    : { kind: 'error', message: error instanceof Error ? error.message : String(error) };

export function App() {
  const [config, setConfig] = useState<PreviewConfig>();
  const [fixtures, setFixtures] = useState<FixtureSummary[]>([]);
  const [original, setOriginal] = useState('');
  const [text, setText] = useState('');
  // Fixture, tab, locale, time zone and view: read from the URL once, written back on every change,
  // so a copied link opens the same view.
  const [view, setView] = useState<UrlState>(() => readUrlState(window.location.search, TIME_ZONES));
  const patchView = useCallback((patch: Partial<UrlState>) => setView((v) => ({ ...v, ...patch })), []);
  const { fixture: selected, tab, locale, timeZone } = view;
  const [rendered, setRendered] = useState<RenderResult>();
  const [after, setAfter] = useState<RenderResult['slack']>();
  const [compat, setCompat] = useState<CompatResult>();
  const [problem, setProblem] = useState<EditorProblem>();
  const [outbox, setOutbox] = useState<OutboxEntry[]>([]);
  const [records, setRecords] = useState<DeliveryRecord[]>([]);
  const [stats, setStats] = useState<Stats>();
  // The app's alert state, which the Slack view shows under a message after a button press.
  const [alerts, setAlerts] = useState<AlertState[]>([]);
  const [sending, setSending] = useState(false);
  // Typed targets for "Send test"; kept in memory only, never in the URL (an address, a credential).
  const [sendTo, setSendTo] = useState('');
  const [sendWebhook, setSendWebhook] = useState('');
  const [sendIssues, setSendIssues] = useState<string[]>([]);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const renderSeq = useRef(0);
  // Bumped when `pnpm demo` reloads the template sources after an edit: the preview renders again.
  const [templatesVersion, setTemplatesVersion] = useState(0);
  const renderedTemplates = useRef(0);

  const parsed = useMemo((): { event?: unknown; syntax?: string } => {
    if (text === '') return {};
    try {
      return { event: JSON.parse(text) };
    } catch (error) {
      return { syntax: (error as Error).message };
    }
  }, [text]);

  useEffect(() => {
    const query = urlStateQuery(view);
    if (query !== window.location.search) {
      window.history.replaceState(null, '', `${window.location.pathname}${query}`);
    }
  }, [view]);

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
    [patchView],
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

  // Live updates from the server as sends complete and Slack buttons are pressed: one channel for the
  // whole app, each event applied once even across reconnects (see live-client.ts).
  useEffect(() => {
    const loadState = () => {
      void api<OutboxEntry[]>('/api/outbox').then(setOutbox);
      void api<DeliveryRecord[]>('/api/deliveries').then(setRecords);
      void api<Stats>('/api/stats').then(setStats);
      void api<AlertState[]>('/api/alerts').then(setAlerts);
    };
    loadState();
    const source = connectLive('/api/live', { onReload: loadState });
    source.addEventListener('delivery', (e) => {
      setRecords((list) => [JSON.parse(e.data) as DeliveryRecord, ...list].slice(0, 500));
      void api<Stats>('/api/stats').then(setStats);
    });
    source.addEventListener('outbox', (e) => {
      const entry = JSON.parse(e.data) as OutboxEntry;
      // A replaced or updated Slack message keeps its place.
      setOutbox((list) =>
        list.some((x) => x.id === entry.id)
          ? list.map((x) => (x.id === entry.id ? entry : x))
          : [entry, ...list].slice(0, 200),
      );
    });
    source.addEventListener('outbox-cleared', () => setOutbox([]));
    source.addEventListener('templates-changed', () => setTemplatesVersion((v) => v + 1));
    source.addEventListener('alert', (e) => {
      const state = JSON.parse(e.data) as AlertState;
      setAlerts((list) => [state, ...list.filter((a) => a.alertId !== state.alertId)].slice(0, 100));
    });
    return () => source.close();
  }, []);

  // Re-render as the designer types, switches locale or time zone.
  useEffect(() => {
    if (parsed.syntax !== undefined) {
      setProblem({ kind: 'syntax', message: parsed.syntax });
      return;
    }
    if (parsed.event === undefined) return;
    const seq = ++renderSeq.current;
    // No typing to wait for after a template edit: render at once.
    const delay = templatesVersion === renderedTemplates.current ? RENDER_DELAY_MS : 0;
    renderedTemplates.current = templatesVersion;
    const timer = setTimeout(() => {
      const body = { ...subjectOf(parsed.event), locale, timeZone };
      api<RenderResult>('/api/render', { body })
        .then((result) => {
          if (seq !== renderSeq.current) return;
          setRendered(result);
          setProblem(undefined);
          // Client support follows the render: it takes longer, and only a valid event has one.
          api<CompatResult>('/api/compat', { body })
            .then((c) => seq === renderSeq.current && setCompat(c))
            .catch(() => seq === renderSeq.current && setCompat(undefined));
        })
        .catch((error: unknown) => {
          if (seq === renderSeq.current) setProblem(problemOf(error));
        });
    }, delay);
    return () => clearTimeout(timer);
  }, [parsed, locale, timeZone, templatesVersion]);

  const alertId = (parsed.event as { alert?: { id?: unknown } } | undefined)?.alert?.id;
  const isDigest = 'digest' in subjectOf(parsed.event);
  const alertState = alerts.find((a) => a.alertId === alertId);

  // After a button press: the same event with the alert's new status, rendered by the real templates,
  // is the message the app would put in place of the original through the response_url.
  useEffect(() => {
    const event = parsed.event as { alert?: Record<string, unknown> } | undefined;
    if (!alertState || alertState.activity.length === 0 || !event?.alert) {
      setAfter(undefined);
      return;
    }
    const pressedAt = alertState.activity.find((a) => a.action === 'acknowledge')?.at;
    const updated = {
      ...event,
      alert: {
        ...event.alert,
        status: alertState.status,
        ...(alertState.status !== 'open' && pressedAt ? { acknowledgedAt: pressedAt } : {}),
      },
    };
    let current = true;
    api<RenderResult>('/api/render', { body: { event: updated, locale, timeZone } })
      .then((result) => current && setAfter(result.slack))
      .catch(() => current && setAfter(undefined));
    return () => {
      current = false;
    };
  }, [parsed, alertState, locale, timeZone, templatesVersion]);

  const send = async () => {
    setSending(true);
    setNotice(undefined);
    try {
      setSendIssues([]);
      const report = await api<{ summary: Record<string, number> }>('/api/send', {
        body: {
          ...subjectOf(parsed.event),
          locale,
          timeZone,
          ...(sendTo.trim() ? { to: sendTo } : {}),
          ...(sendWebhook.trim() ? { webhookUrl: sendWebhook } : {}),
        },
      });
      const parts = Object.entries(report.summary)
        .filter(([, n]) => n > 0)
        .map(([status, n]) => `${n} ${status}`);
      setNotice({
        kind: report.summary.failed ? 'error' : 'ok',
        text: `Sent: ${parts.join(', ') || 'nothing to do'}`,
      });
    } catch (error) {
      const problem = problemOf(error);
      setSendIssues((problem.issues ?? []).map((i) => i.path));
      const detail = (problem.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ');
      setNotice({ kind: 'error', text: detail ? `${problem.message}: ${detail}` : problem.message });
    } finally {
      setSending(false);
    }
  };

  const clickButton = async (click: ButtonClick & { messageId?: string }) => {
    try {
      await api('/api/slack/click', { body: click });
    } catch (error) {
      setNotice({ kind: 'error', text: problemOf(error).message });
    }
  };

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
