import { Fragment, type ReactNode } from 'react';

const decodeEntities = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// *bold*, _italic_, ~strike~ and `code`, the subset of mrkdwn the templates use.
const inline = /(\*[^*\n]+\*|_[^_\n]+_|~[^~\n]+~|`[^`\n]+`)/g;

function formatText(text: string, key: string): ReactNode[] {
  return text.split(inline).map((part, i) => {
    const k = `${key}-${i}`;
    const inner = part.slice(1, -1);
    if (part.length > 2 && part.startsWith('*') && part.endsWith('*'))
      return <strong key={k}>{decodeEntities(inner)}</strong>;
    if (part.length > 2 && part.startsWith('_') && part.endsWith('_'))
      return <em key={k}>{decodeEntities(inner)}</em>;
    if (part.length > 2 && part.startsWith('~') && part.endsWith('~'))
      return <s key={k}>{decodeEntities(inner)}</s>;
    if (part.length > 2 && part.startsWith('`') && part.endsWith('`'))
      return <code key={k}>{decodeEntities(inner)}</code>;
    return <Fragment key={k}>{decodeEntities(part)}</Fragment>;
  });
}

function special(token: string, key: string): ReactNode {
  const body = token.slice(1, -1);
  const [target = '', label] = body.split('|', 2);
  if (target.startsWith('!date^')) return <Fragment key={key}>{decodeEntities(label ?? target)}</Fragment>;
  if (target.startsWith('!subteam^'))
    return (
      <span key={key} className="mention">
        @{label ?? target.slice(9)}
      </span>
    );
  if (target.startsWith('!'))
    return (
      <span key={key} className="mention">
        @{target.slice(1)}
      </span>
    );
  if (target.startsWith('@') || target.startsWith('#')) {
    return (
      <span key={key} className="mention">
        {target[0]}
        {label ?? target.slice(1)}
      </span>
    );
  }
  // Only http(s) links become anchors; anything else is shown as text, as Slack would refuse it.
  if (/^https?:\/\//.test(target)) {
    return (
      <a key={key} href={decodeEntities(target)} target="_blank" rel="noreferrer">
        {decodeEntities(label ?? target)}
      </a>
    );
  }
  return <Fragment key={key}>{decodeEntities(token)}</Fragment>;
}

/** Draws Slack mrkdwn as React elements (never as HTML), the way Slack shows it. */
export function Mrkdwn({ text }: { text: string }) {
  const parts = text.split(/(<[^<>\s][^<>]*>)/g);
  return (
    <>
      {parts.map((part, i) =>
        part.startsWith('<') && part.endsWith('>') ? special(part, `s${i}`) : formatText(part, `t${i}`),
      )}
    </>
  );
}
