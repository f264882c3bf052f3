import { useState } from 'react';
import { api } from './api.js';
import type { ButtonClick } from './components/slack-message-view.js';
import { problemOf, subjectOf } from './request-body.js';

export type Notice = { kind: 'ok' | 'error'; text: string };

/**
 * "Send test" and the Slack buttons of the views: the typed targets (kept in memory only, never in
 * the URL: an address, a credential), the fields the server refused, and the notice of the outcome.
 */
export function useSendTest({
  event,
  locale,
  timeZone,
}: {
  event: unknown;
  locale: string;
  timeZone: string;
}) {
  const [sending, setSending] = useState(false);
  const [sendTo, setSendTo] = useState('');
  const [sendWebhook, setSendWebhook] = useState('');
  const [sendIssues, setSendIssues] = useState<string[]>([]);
  const [notice, setNotice] = useState<Notice>();

  const send = async () => {
    setSending(true);
    setNotice(undefined);
    try {
      setSendIssues([]);
      const report = await api<{ summary: Record<string, number> }>('/api/send', {
        body: {
          ...subjectOf(event),
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

  return {
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
  };
}
