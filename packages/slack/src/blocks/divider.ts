import type { DividerBlock } from '@slack/types';
import { type BlockOptions, withBlockId } from './index.js';

/** A divider block: a thin line. */
export function divider(options: BlockOptions = {}): DividerBlock {
  return withBlockId({ type: 'divider' }, options.blockId);
}
