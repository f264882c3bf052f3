import { SLACK_LIMITS } from '@pytake/notify-slack';

/** One measured quantity against the Slack limit that applies to it. */
export interface SlackMeasure {
  /** What was measured, e.g. `text`, `field 2`, `fields`, `button "Resolve"`. */
  what: string;
  used: number;
  limit: number;
}

/** One block's size: its characters and the check closest to its limit. */
export interface SlackBlockSize {
  /** `message` for top-level blocks, `attachment` for the blocks under the color bar. */
  in: 'message' | 'attachment';
  index: number;
  type: string;
  /** Characters of all the text in the block. */
  chars: number;
  /** The check with the highest used/limit ratio; absent for blocks without text (a divider). */
  tightest?: SlackMeasure;
  /** True when every check of the block is within its limit. */
  ok: boolean;
}

/** A message's size against Slack's documented limits (`SLACK_LIMITS` of @pytake/notify-slack). */
export interface SlackSize {
  blocks: SlackMeasure;
  /** Buttons in the whole message; the limit is per actions block. */
  buttons: SlackMeasure;
  /** Characters of the top-level text and every block's text. */
  characters: SlackMeasure;
  /**
   * Characters of the text in all blocks together (the top-level text aside), against Slack's
   * undocumented total past which it answers `msg_blocks_too_long`.
   */
  blockText: SlackMeasure;
  perBlock: SlackBlockSize[];
  ok: boolean;
}

/** A Slack message as built or as received: blocks are read loosely, unknown ones only counted. */
export interface MeasuredMessage {
  text?: string;
  blocks?: readonly object[];
  attachments?: readonly { color?: string; blocks?: readonly object[] }[];
}

type Loose = Record<string, unknown>;
const textOf = (value: unknown): string =>
  typeof value === 'object' && value !== null && typeof (value as Loose).text === 'string'
    ? ((value as Loose).text as string)
    : '';
const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The checks Slack applies to one block, with the characters of its text. */
function measureBlock(block: Loose): { chars: number; checks: SlackMeasure[] } {
  const L = SLACK_LIMITS;
  const checks: SlackMeasure[] = [];
  let chars = 0;
  const text = (what: string, value: string, limit: number) => {
    chars += value.length;
    checks.push({ what, used: value.length, limit });
  };
  const elements = Array.isArray(block.elements) ? (block.elements as Loose[]) : [];
  switch (block.type) {
    case 'header':
      text('text', textOf(block.text), L.headerText);
      break;
    case 'section': {
      if (block.text) text('text', textOf(block.text), L.sectionText);
      const fields = Array.isArray(block.fields) ? block.fields : [];
      if (fields.length > 0) checks.push({ what: 'fields', used: fields.length, limit: L.sectionFields });
      fields.forEach((field, i) => {
        text(`field ${i + 1}`, textOf(field), L.fieldText);
      });
      const accessory = block.accessory as Loose | undefined;
      if (accessory?.type === 'button') text('button', textOf(accessory.text), L.buttonText);
      break;
    }
    case 'context':
      checks.push({ what: 'elements', used: elements.length, limit: L.contextElements });
      elements.forEach((element, i) => {
        if (element.type !== 'image') text(`element ${i + 1}`, textOf(element), L.text);
      });
      break;
    case 'actions':
      checks.push({ what: 'elements', used: elements.length, limit: L.actionsElements });
      for (const element of elements) {
        const label = textOf(element.text);
        text(`button "${label}"`, label, L.buttonText);
        if (element.value !== undefined)
          checks.push({ what: `value of "${label}"`, used: str(element.value).length, limit: L.buttonValue });
        if (element.url !== undefined)
          checks.push({ what: `url of "${label}"`, used: str(element.url).length, limit: L.url });
      }
      break;
    case 'image':
      text('alt_text', str(block.alt_text), L.altText);
      if (block.title) text('title', textOf(block.title), L.text);
      break;
  }
  return { chars, checks };
}

const countButtons = (block: Loose): number => {
  const elements = Array.isArray(block.elements) ? (block.elements as Loose[]) : [];
  const inActions = block.type === 'actions' ? elements.filter((e) => e.type === 'button').length : 0;
  return inActions + ((block.accessory as Loose | undefined)?.type === 'button' ? 1 : 0);
};

/**
 * Measures a Slack message against Slack's limits, block by block, so a designer sees how close a
 * fixture comes to them (a long description against a field's 2,000 characters, say).
 */
export function slackSize(message: MeasuredMessage): SlackSize {
  const groups: [SlackBlockSize['in'], Loose[]][] = [
    ['message', (message.blocks ?? []) as Loose[]],
    ['attachment', (message.attachments ?? []).flatMap((a) => (a.blocks ?? []) as Loose[])],
  ];
  const perBlock: SlackBlockSize[] = [];
  let chars = str(message.text).length;
  let buttons = 0;
  for (const [where, blocks] of groups) {
    blocks.forEach((block, index) => {
      const { chars: blockChars, checks } = measureBlock(block);
      chars += blockChars;
      buttons += countButtons(block);
      const tightest = checks.reduce<SlackMeasure | undefined>(
        (worst, c) => (!worst || c.used / c.limit > worst.used / worst.limit ? c : worst),
        undefined,
      );
      perBlock.push({
        in: where,
        index,
        type: String(block.type),
        chars: blockChars,
        ...(tightest ? { tightest } : {}),
        ok: checks.every((c) => c.used <= c.limit),
      });
    });
  }
  // Slack allows 50 blocks in the message and 50 in each attachment; counting them together is the
  // cautious reading, and the number a designer expects to see.
  const blocks = { what: 'blocks', used: perBlock.length, limit: SLACK_LIMITS.blocks };
  const characters = { what: 'characters', used: chars, limit: SLACK_LIMITS.messageText };
  const blockText = {
    what: 'block text',
    used: perBlock.reduce((sum, b) => sum + b.chars, 0),
    limit: SLACK_LIMITS.blockText,
  };
  return {
    blocks,
    buttons: { what: 'buttons', used: buttons, limit: SLACK_LIMITS.actionsElements },
    characters,
    blockText,
    perBlock,
    ok: [blocks, characters, blockText].every((m) => m.used <= m.limit) && perBlock.every((b) => b.ok),
  };
}
