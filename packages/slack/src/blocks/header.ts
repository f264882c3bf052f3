import type { HeaderBlock } from '@slack/types';
import { type BlockOptions, plainText, withBlockId } from './index.js';

/** A header block: large bold plain text, at most 150 characters. */
export function header(text: string, options: BlockOptions = {}): HeaderBlock {
  return withBlockId({ type: 'header', text: plainText(text) }, options.blockId);
}
