import type { SectionBlock, SectionBlockAccessory } from '@slack/types';
import { type BlockOptions, mrkdwnText, withBlockId } from './index.js';

export interface SectionInput extends BlockOptions {
  /** mrkdwn, at most 3000 characters. */
  text?: string;
  /** mrkdwn, shown in two columns; at most 10, each at most 2000 characters. */
  fields?: string[];
  /** A button or image beside the text. */
  accessory?: SectionBlockAccessory;
}

/** A section block: mrkdwn text and/or fields, with an optional accessory. */
export function section(input: SectionInput): SectionBlock {
  const block: SectionBlock = { type: 'section' };
  if (input.text !== undefined) block.text = mrkdwnText(input.text);
  if (input.fields !== undefined) block.fields = input.fields.map(mrkdwnText);
  if (input.accessory !== undefined) block.accessory = input.accessory;
  return withBlockId(block, input.blockId);
}
