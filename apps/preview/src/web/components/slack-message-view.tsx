import type { SlackBlock, SlackBlockMessage } from '../api.js';
import { Mrkdwn } from '../mrkdwn.js';
import { slackTime } from '../slack-time.js';

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };

function Text({ value }: { value: unknown }) {
  const text = value as TextObject | undefined;
  if (!text || typeof text.text !== 'string') return null;
  return text.type === 'mrkdwn' ? <Mrkdwn text={text.text} /> : text.text;
}

export interface ButtonClick {
  actionId: string;
  value?: string;
}

function Button({
  element,
  onClick,
}: {
  element: Record<string, unknown>;
  onClick?: (click: ButtonClick) => void;
}) {
  const style = element.style as string | undefined;
  const className = `slack-button${style ? ` ${style}` : ''}`;
  if (typeof element.url === 'string') {
    return (
      <a className={className} href={element.url} target="_blank" rel="noreferrer">
        <Text value={element.text} />
      </a>
    );
  }
  return (
    <button
      type="button"
      className={className}
      disabled={!onClick}
      onClick={() =>
        onClick?.({ actionId: String(element.action_id ?? ''), value: element.value as string | undefined })
      }
    >
      <Text value={element.text} />
    </button>
  );
}

function Block({ block, onClick }: { block: SlackBlock; onClick?: (click: ButtonClick) => void }) {
  switch (block.type) {
    case 'header':
      return (
        <div className="slack-header">
          <Text value={block.text} />
        </div>
      );
    case 'section': {
      const fields = (block.fields as unknown[] | undefined) ?? [];
      const accessory = block.accessory as Record<string, unknown> | undefined;
      return (
        <div className="slack-section">
          <div className="slack-section-body">
            {block.text ? (
              <div className="slack-text">
                <Text value={block.text} />
              </div>
            ) : null}
            {fields.length > 0 ? (
              <div className="slack-fields">
                {fields.map((field, i) => (
                  <div key={i} className="slack-text">
                    <Text value={field} />
                  </div>
                ))}
              </div>
            ) : null}
          </div>
          {accessory?.type === 'button' ? <Button element={accessory} onClick={onClick} /> : null}
          {accessory?.type === 'image' ? (
            <img
              className="slack-accessory-image"
              src={String(accessory.image_url)}
              alt={String(accessory.alt_text ?? '')}
            />
          ) : null}
        </div>
      );
    }
    case 'context':
      return (
        <div className="slack-context">
          {((block.elements as Record<string, unknown>[]) ?? []).map((element, i) =>
            element.type === 'image' ? (
              <img key={i} src={String(element.image_url)} alt={String(element.alt_text ?? '')} />
            ) : (
              <span key={i}>
                <Text value={element} />
              </span>
            ),
          )}
        </div>
      );
    case 'divider':
      return <hr className="slack-divider" />;
    case 'actions':
      return (
        <div className="slack-actions">
          {((block.elements as Record<string, unknown>[]) ?? []).map((element, i) =>
            element.type === 'button' ? <Button key={i} element={element} onClick={onClick} /> : null,
          )}
        </div>
      );
    case 'image':
      return <img className="slack-image" src={String(block.image_url)} alt={String(block.alt_text ?? '')} />;
    default:
      return <div className="slack-unknown">[{block.type} block]</div>;
  }
}

/** A Slack message drawn the way the Slack client shows it: app name, color bar, blocks, buttons. */
export function SlackMessageView({
  message,
  onClick,
  timeZone,
  edited = false,
  testId = 'slack-message',
}: {
  message: SlackBlockMessage;
  onClick?: (click: ButtonClick) => void;
  /** The time zone of the message's time. @default the browser's */
  timeZone?: string;
  /** Marks a message updated after it was posted, as Slack does with "(edited)". */
  edited?: boolean;
  testId?: string;
}) {
  const attachment = message.attachments?.[0];
  const topBlocks = message.blocks ?? [];
  return (
    <div className="slack-message" data-testid={testId}>
      <div className="slack-avatar">P</div>
      <div className="slack-body">
        <div className="slack-meta">
          <strong>PyTake Alerts</strong> <span className="slack-app">APP</span>{' '}
          <span className="slack-time" data-testid="slack-time">
            {slackTime(new Date(), timeZone)}
          </span>
          {edited ? <span className="slack-edited"> (edited)</span> : null}
        </div>
        {/* Slack shows the top-level text above the attachment; with top-level blocks it is only the
            notification fallback. */}
        {topBlocks.length === 0 && message.text ? (
          <div className="slack-text slack-top-text" data-testid="slack-top-text">
            <Mrkdwn text={message.text} />
          </div>
        ) : null}
        {topBlocks.map((block, i) => (
          <Block key={i} block={block} onClick={onClick} />
        ))}
        {attachment ? (
          <div className="slack-attachment" style={{ borderLeftColor: attachment.color ?? '#ddd' }}>
            {(attachment.blocks ?? []).map((block, i) => (
              <Block key={i} block={block} onClick={onClick} />
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
}

/** Opens the message in Slack's Block Kit Builder, which reads the payload from the URL fragment. */
export function blockKitBuilderUrl(message: SlackBlockMessage): string {
  const payload = message.attachments
    ? { attachments: message.attachments }
    : { blocks: message.blocks ?? [] };
  return `https://app.slack.com/block-kit-builder#${encodeURIComponent(JSON.stringify(payload))}`;
}
