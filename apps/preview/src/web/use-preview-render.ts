import { useEffect, useRef, useState } from 'react';
import { type AlertState, api, type CompatResult, type RenderResult } from './api.js';
import type { EditorProblem } from './components/props-editor.js';
import { problemOf, subjectOf } from './request-body.js';

/** Re-render this long after the last keystroke, so typing stays smooth. */
const RENDER_DELAY_MS = 200;

export interface RenderInput {
  /** The editor's text, parsed: the event (or digest request), or the JSON syntax error. */
  parsed: { event?: unknown; syntax?: string };
  locale: string;
  timeZone: string;
  /** Bumped when the template sources change: the preview renders again at once. */
  templatesVersion: number;
  /** The app's state of the edited alert, after a Slack button press. */
  alertState: AlertState | undefined;
}

/**
 * What the editor's event renders to, again as the designer types or switches locale or time zone;
 * its client support; and, after a button press, the Slack message that would replace the original.
 */
export function usePreviewRender({ parsed, locale, timeZone, templatesVersion, alertState }: RenderInput) {
  const [rendered, setRendered] = useState<RenderResult>();
  const [after, setAfter] = useState<RenderResult['slack']>();
  const [compat, setCompat] = useState<CompatResult>();
  const [problem, setProblem] = useState<EditorProblem>();
  const renderSeq = useRef(0);
  const renderedTemplates = useRef(0);

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
    // templatesVersion: a template edit changes the message too.
  }, [parsed, alertState, locale, timeZone, templatesVersion]);

  return { rendered, after, compat, problem, setProblem };
}
