import type { SectionBlock, SectionBlockAccessory } from '@slack/types';
import { type BlockOptions, type MrkdwnOptions, mrkdwnText, withBlockId } from './index.js';

export interface SectionInput extends BlockOptions, MrkdwnOptions {
  /** mrkdwn, at most 3000 characters. */
  text?: string;
  /** mrkdwn, shown in two columns; at most 10, each at most 2000 characters. */
  fields?: string[];
  /** A button or image beside the text. */
  accessory?: SectionBlockAccessory;
}

/** A section block: mrkdwn text and/or fields (`verbatim: true` by default), with an optional accessory. */
export function section(input: SectionInput): SectionBlock {
  const block: SectionBlock = { type: 'section' };
  const verbatim = input.verbatim ?? true;
  if (input.text !== undefined) block.text = mrkdwnText(input.text, verbatim);
  if (input.fields !== undefined) block.fields = input.fields.map((f) => mrkdwnText(f, verbatim));
  if (input.accessory !== undefined) block.accessory = input.accessory;
  return withBlockId(block, input.blockId);
}
