import type { ValidationIssue } from '@pytake/notify-core/model';

import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './slack-message-type.js';
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
 * The largest cap such that the lengths, each cut to it, add up to at most `budget` (at least 1: a
 * text cannot be empty). Cutting every text to one cap trims only the longest texts, those that made
 * the total too long, and keeps the short ones (a header, a button label) whole.
 */
function capFor(lengths: number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let left = budget;
  for (let i = 0; i < sorted.length; i++) {
    const length = sorted[i] as number;
    const rest = sorted.length - i;
    if (length * rest > left) return Math.max(1, Math.floor(left / rest));
    left -= length;
  }
  return Number.POSITIVE_INFINITY;
}

/** A step on the way to a value: a property name, or an index (shown as `[3]`). */
type Key = string | number;

/**
 * Walks blocks, checking every limit in `SLACK_LIMITS`. In `truncate` mode it returns copies with
 * long texts cut (and, when the blocks hold too much text in total, the longest texts cut further);
 * ids, values and URLs are never cut (a cut URL or action id would silently break the button), so
 * those are always issues. Only objects on the way to a cut text are copied: a message
 * within every limit (the usual case) comes back as the same objects, which keeps building one cheap.
 * The path of each value (`blocks[3].fields[1].text`) is written only for an issue: the walk keeps
 * the keys on a stack, since writing some forty paths per message cost more than the checks.
 */
export class LimitChecker {
  readonly issues: ValidationIssue[] = [];
  /** The keys from the root to the value being checked (the first one is written as it is). */
  private readonly at: Key[] = [];
  /** Whether the walk is inside blocks, where each text also counts towards `blockText`. */
  private inBlocks = false;
  /** The length of each text seen inside blocks (after truncation), for `blockText`. */
  private readonly blockTexts: number[] = [];
  private blockTextTotal = 0;
  /** In `truncate` mode, the length every text inside blocks is cut to, to keep within `blockText`. */
  private cap = Number.POSITIVE_INFINITY;
  constructor(private readonly mode: OverflowMode) {}

  /** Records an issue at the current place, plus up to two more keys. */
  private issue(message: string, key?: Key, index?: number): void {
    const keys: Key[] = [...this.at];
    if (key !== undefined) keys.push(key);
    if (index !== undefined) keys.push(index);
    let path = '';
    for (const k of keys) path += typeof k === 'number' ? `[${k}]` : path === '' ? k : `.${k}`;
    this.issues.push({ path, message });
  }

  /** Text that may be truncated. Returns the (possibly cut) text. */
  text(value: unknown, key: Key, max: number): unknown {
    if (typeof value !== 'string') {
      this.issue('required (string)', key);
      return value;
    }
    if (value.length === 0) {
      this.issue('must not be empty', key);
      return value;
    }
    const out = this.fit(value, key, this.inBlocks ? Math.min(max, this.cap) : max);
    if (this.inBlocks) {
      this.blockTexts.push(out.length);
      this.blockTextTotal += out.length;
    }
    return out;
  }

  private fit(value: string, key: Key, max: number): string {
    if (value.length <= max) return value;
    if (this.mode === 'truncate') return truncateText(value, max);
    this.issue(`at most ${max} characters, got ${value.length}`, key);
    return value;
  }

  /** A text object (`{ type, text }`): checks and cuts its `text`. */
  textObject(value: unknown, key: Key, max: number): unknown {
    if (!isObject(value)) {
      this.issue('expected a text object', key);
      return value;
    }
    this.at.push(key);
    const text = this.text(value.text, 'text', max);
    this.at.pop();
    return put(value, value, 'text', text);
  }

  /** A string that must never be cut: ids, values, URLs. */
  exact(value: unknown, key: Key, max: number, what: string): void {
    if (value === undefined) return;
    if (typeof value !== 'string') this.issue(`expected a string ${what}`, key);
    else if (value.length > max) this.issue(`${what} at most ${max} characters, got ${value.length}`, key);
  }

  count(items: unknown[], key: Key, max: number, what: string): void {
    if (items.length > max) this.issue(`at most ${max} ${what}`, key, max);
  }

  blocks(blocks: unknown, key: Key): unknown[] {
    if (!Array.isArray(blocks)) {
      this.issue('expected an array of blocks', key);
      return [];
    }
    this.count(blocks, key, SLACK_LIMITS.blocks, 'blocks');
    const issues = this.issues.length;
    const texts = this.blockTexts.length;
    const total = this.blockTextTotal;
    let out = this.walkBlocks(blocks, key);
    if (
      this.blockTextTotal > SLACK_LIMITS.blockText &&
      this.mode === 'truncate' &&
      this.cap === Number.POSITIVE_INFINITY
    ) {
      // Too much text in total, although each text is within its own limit: walk again with every
      // text cut to one cap, forgetting what the first walk found and counted.
      this.cap = capFor(this.blockTexts, SLACK_LIMITS.blockText);
      this.issues.length = issues;
      this.blockTexts.length = texts;
      this.blockTextTotal = total;
      out = this.walkBlocks(blocks, key);
    }
    // Reported once, at the blocks that went over: with attachments, theirs add to the message's.
    if (this.blockTextTotal > SLACK_LIMITS.blockText && total <= SLACK_LIMITS.blockText) {
      this.issue(
        `at most ${SLACK_LIMITS.blockText} characters of text in all blocks together, got ${this.blockTextTotal}`,
        key,
      );
    }
    return out;
  }

  private walkBlocks(blocks: unknown[], key: Key): unknown[] {
    this.at.push(key);
    this.inBlocks = true;
    // A new array even when nothing was cut: the message must not share the caller's list.
    const out = blocks.map((b, i) => this.block(b, i));
    this.inBlocks = false;
    this.at.pop();
    return out;
  }

  block(block: unknown, key: Key): unknown {
    if (!isObject(block)) {
      this.issue('expected a block object', key);
      return block;
    }
    this.at.push(key);
    let out: Json = block;
    this.exact(block.block_id, 'block_id', SLACK_LIMITS.blockId, 'block_id');
    switch (block.type) {
      case 'header':
        out = put(block, out, 'text', this.textObject(block.text, 'text', SLACK_LIMITS.headerText));
        break;
      case 'section': {
        if (block.text === undefined && block.fields === undefined) {
          this.issue('a section needs text or fields');
        }
        if (block.text !== undefined)
          out = put(block, out, 'text', this.textObject(block.text, 'text', SLACK_LIMITS.sectionText));
        if (Array.isArray(block.fields)) {
          this.count(block.fields, 'fields', SLACK_LIMITS.sectionFields, 'fields');
          this.at.push('fields');
          const fields = mapSame(block.fields, (f, i) => this.textObject(f, i, SLACK_LIMITS.fieldText));
          this.at.pop();
          out = put(block, out, 'fields', fields);
        } else if (block.fields !== undefined) this.issue('expected an array', 'fields');
        if (block.accessory !== undefined)
          out = put(block, out, 'accessory', this.element(block.accessory, 'accessory'));
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.issue('at least 1 element', 'elements');
        this.count(elements, 'elements', SLACK_LIMITS.contextElements, 'elements');
        out = put(block, out, 'elements', this.elements(elements, 'elements'));
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) this.issue('at least 1 element', 'elements');
        this.count(elements, 'elements', SLACK_LIMITS.actionsElements, 'elements');
        out = put(block, out, 'elements', this.elements(elements, 'elements'));
        break;
      }
      case 'image':
        out = this.image(block, out);
        if (block.title !== undefined)
          out = put(block, out, 'title', this.textObject(block.title, 'title', SLACK_LIMITS.text));
        break;
      default:
      // divider and block types this builder does not make: only block_id is checked.
    }
    this.at.pop();
    return out;
  }

  element(element: unknown, key: Key): unknown {
    if (!isObject(element)) {
      this.issue('expected an element object', key);
      return element;
    }
    this.at.push(key);
    let out: Json = element;
    switch (element.type) {
      case 'mrkdwn':
      case 'plain_text':
        // A text object itself (it is an object: textObject's own check would pass).
        out = put(element, out, 'text', this.text(element.text, 'text', SLACK_LIMITS.text));
        this.at.pop();
        return out;
      case 'image':
        out = this.image(element, out);
        this.at.pop();
        return out;
      case 'button':
        out = put(element, out, 'text', this.textObject(element.text, 'text', SLACK_LIMITS.buttonText));
        this.exact(element.value, 'value', SLACK_LIMITS.buttonValue, 'value');
        this.exact(element.url, 'url', SLACK_LIMITS.url, 'url');
        break;
    }
    this.exact(element.action_id, 'action_id', SLACK_LIMITS.actionId, 'action_id');
    this.at.pop();
    return out;
  }

  elements(elements: unknown[], key: Key): unknown[] {
    this.at.push(key);
    const out = mapSame(elements, (e, i) => this.element(e, i));
    this.at.pop();
    return out;
  }

  /** An image block or element, at the current place. */
  private image(source: Json, out: Json): Json {
    if (source.image_url !== undefined || source.slack_file === undefined) {
      if (typeof source.image_url !== 'string' || source.image_url === '') {
        this.issue('required (URL string)', 'image_url');
      } else this.exact(source.image_url, 'image_url', SLACK_LIMITS.url, 'image_url');
    }
    return put(source, out, 'alt_text', this.text(source.alt_text, 'alt_text', SLACK_LIMITS.altText));
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
