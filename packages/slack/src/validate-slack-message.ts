import type { ValidationIssue } from '@pytake/notify-core/model';

import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './slack-message.js';
import { truncateText } from './truncate-text.js';

/** What to do with text longer than Slack allows. Counts over a limit always fail. */
export type OverflowMode = 'truncate' | 'error';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `items.map(fn)`, but the same array when `fn` returned every item unchanged (nothing was cut). */
function mapSame(items: unknown[], fn: (item: unknown, i: number) => unknown): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const next = fn(item, i);
    if (next !== item && out === undefined) out = items.slice(0, i);
    out?.push(next);
  }
  return out ?? items;
}

/** Sets `key` on a copy of `source` when `value` differs; copies at most once (`out` starts as `source`). */
function put(source: Json, out: Json, key: string, value: unknown): Json {
  if (value === source[key]) return out;
  const copy = out === source ? { ...source } : out;
  copy[key] = value;
  return copy;
}

/**
 * Walks blocks, checking every documented limit. In `truncate` mode it returns copies with long
 * texts cut; ids, values and URLs are never cut (a cut URL or action id would silently break the
 * button), so those are always issues. Only objects on the way to a cut text are copied: a message
 * within every limit (the usual case) comes back as the same objects, which keeps building one cheap.
 */
export class LimitChecker {
  readonly issues: ValidationIssue[] = [];
  constructor(private readonly mode: OverflowMode) {}

  /** Text that may be truncated. Returns the (possibly cut) text. */
  text(value: unknown, path: string, max: number): unknown {
    if (typeof value !== 'string') {
      this.issues.push({ path, message: 'required (string)' });
      return value;
    }
    if (value.length === 0) {
      this.issues.push({ path, message: 'must not be empty' });
      return value;
    }
    if (value.length <= max) return value;
    if (this.mode === 'truncate') return truncateText(value, max);
    this.issues.push({ path, message: `at most ${max} characters, got ${value.length}` });
    return value;
  }

  /** A text object (`{ type, text }`): checks and cuts its `text`. */
  textObject(value: unknown, path: string, max: number): unknown {
    if (!isObject(value)) {
      this.issues.push({ path, message: 'expected a text object' });
      return value;
    }
    return put(value, value, 'text', this.text(value.text, `${path}.text`, max));
  }

  /** A string that must never be cut: ids, values, URLs. */
  exact(value: unknown, path: string, max: number, what: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.issues.push({ path, message: `expected a string ${what}` });
    else if (value.length > max)
      this.issues.push({ path, message: `${what} at most ${max} characters, got ${value.length}` });
  }

  count(items: unknown[], path: string, max: number, what: string): void {
    if (items.length > max) this.issues.push({ path: `${path}[${max}]`, message: `at most ${max} ${what}` });
  }

  blocks(blocks: unknown, path: string): unknown[] {
    if (!Array.isArray(blocks)) {
      this.issues.push({ path, message: 'expected an array of blocks' });
      return [];
    }
    this.count(blocks, path, SLACK_LIMITS.blocks, 'blocks');
    // A new array even when nothing was cut: the message must not share the caller's list.
    return blocks.map((b, i) => this.block(b, `${path}[${i}]`));
  }

  block(block: unknown, path: string): unknown {
    if (!isObject(block)) {
      this.issues.push({ path, message: 'expected a block object' });
      return block;
    }
    let out: Json = block;
    this.exact(block.block_id, `${path}.block_id`, SLACK_LIMITS.blockId, 'block_id');
    switch (block.type) {
      case 'header':
        out = put(block, out, 'text', this.textObject(block.text, `${path}.text`, SLACK_LIMITS.headerText));
        break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) {
          this.issues.push({ path, message: 'a section needs text or fields' });
        }
        if (block.text !== undefined)
          out = put(
            block,
            out,
            'text',
            this.textObject(block.text, `${path}.text`, SLACK_LIMITS.sectionText),
          );
        if (Array.isArray(block.fields)) {
          this.count(block.fields, `${path}.fields`, SLACK_LIMITS.sectionFields, 'fields');
          const fields = mapSame(block.fields, (f, i) =>
            this.textObject(f, `${path}.fields[${i}]`, SLACK_LIMITS.fieldText),
          );
          out = put(block, out, 'fields', fields);
        } else if (block.fields !== undefined)
          this.issues.push({ path: `${path}.fields`, message: 'expected an array' });
        if (block.accessory !== undefined)
          out = put(block, out, 'accessory', this.element(block.accessory, `${path}.accessory`));
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0)
          this.issues.push({ path: `${path}.elements`, message: 'at least 1 element' });
        this.count(elements, `${path}.elements`, SLACK_LIMITS.contextElements, 'elements');
        out = put(block, out, 'elements', this.elements(elements, `${path}.elements`));
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0)
          this.issues.push({ path: `${path}.elements`, message: 'at least 1 element' });
        this.count(elements, `${path}.elements`, SLACK_LIMITS.actionsElements, 'elements');
        out = put(block, out, 'elements', this.elements(elements, `${path}.elements`));
        break;
      }
      case 'image':
        out = this.image(block, out, path);
        if (block.title !== undefined)
          out = put(block, out, 'title', this.textObject(block.title, `${path}.title`, SLACK_LIMITS.text));
        break;
      default:
      // divider and block types this builder does not make: only block_id is checked.
    }
    return out;
  }

  element(element: unknown, path: string): unknown {
    if (!isObject(element)) {
      this.issues.push({ path, message: 'expected an element object' });
      return element;
    }
    let out: Json = element;
    switch (element.type) {
      case 'mrkdwn':
      case 'plain_text':
        return this.textObject(element, path, SLACK_LIMITS.text);
      case 'image':
        return this.image(element, out, path);
      case 'button':
        out = put(
          element,
          out,
          'text',
          this.textObject(element.text, `${path}.text`, SLACK_LIMITS.buttonText),
        );
        this.exact(element.value, `${path}.value`, SLACK_LIMITS.buttonValue, 'value');
        this.exact(element.url, `${path}.url`, SLACK_LIMITS.url, 'url');
        break;
    }
    this.exact(element.action_id, `${path}.action_id`, SLACK_LIMITS.actionId, 'action_id');
    return out;
  }

  elements(elements: unknown[], path: string): unknown[] {
    return mapSame(elements, (e, i) => this.element(e, `${path}[${i}]`));
  }

  private image(source: Json, out: Json, path: string): Json {
    if (source.image_url !== undefined || source.slack_file === undefined) {
      if (typeof source.image_url !== 'string' || source.image_url === '') {
        this.issues.push({ path: `${path}.image_url`, message: 'required (URL string)' });
      } else this.exact(source.image_url, `${path}.image_url`, SLACK_LIMITS.url, 'image_url');
    }
    return put(source, out, 'alt_text', this.text(source.alt_text, `${path}.alt_text`, SLACK_LIMITS.altText));
  }
}

/**
 * Checks a postable message against Slack's documented limits and returns every issue by path
 * (empty when it is fine). Never throws; `slackMessage()` uses the same checks.
 */
export function validateSlackMessage(message: SlackMessage): ValidationIssue[] {
  const checker = new LimitChecker('error');
  const m = message as unknown as Json;
  if (!isObject(m)) return [{ path: '', message: 'expected a message object' }];
  checker.text(m.text, 'text', SLACK_LIMITS.messageText);
  if (m.blocks !== undefined) checker.blocks(m.blocks, 'blocks');
  if (m.attachments !== undefined) {
    if (!Array.isArray(m.attachments))
      checker.issues.push({ path: 'attachments', message: 'expected an array' });
    else {
      m.attachments.forEach((a: unknown, i) => {
        if (isObject(a) && a.blocks !== undefined) checker.blocks(a.blocks, `attachments[${i}].blocks`);
      });
    }
  }
  return checker.issues;
}
