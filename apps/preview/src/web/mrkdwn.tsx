import { Fragment, type ReactNode } from 'react';

const decodeEntities = (text: string) =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// *bold*, _italic_, ~strike~ and `code`, the subset of mrkdwn the templates use. Slack formats a
// marker pair only at word boundaries: `order_update_v3` or `2*3*4` stay as typed, while `_late_,`
// or `(*bold*)` are formatted. So the opening marker must not follow a letter or digit, the closing one
// must not precede one, and the text between them must not start or end with a space.
const bold = /(?<![\p{L}\p{N}])\*[^\s*](?:[^*\n]*[^\s*])?\*(?![\p{L}\p{N}])/u.source;
const italic = /(?<![\p{L}\p{N}])_[^\s_](?:[^_\n]*[^\s_])?_(?![\p{L}\p{N}])/u.source;
const strike = /(?<![\p{L}\p{N}])~[^\s~](?:[^~\n]*[^\s~])?~(?![\p{L}\p{N}])/u.source;
const code = /`[^`\n]+`/u.source;
const inline = new RegExp(`(${bold}|${italic}|${strike}|${code})`, 'gu');

const tags = { '*': 'strong', _: 'em', '~': 's', '`': 'code' } as const;

function formatText(text: string, key: string): ReactNode[] {
  // split() with one capturing group puts the matches at the odd indexes: only those are formatted,
  // so plain text that merely starts and ends with a marker (`*x*y*`) stays plain.
  return text.split(inline).map((part, i) => {
    const k = `${key}-${i}`;
    const Tag = i % 2 === 1 ? tags[part[0] as keyof typeof tags] : undefined;
    if (Tag) return <Tag key={k}>{decodeEntities(part.slice(1, -1))}</Tag>;
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
