import type { ContextBlock, ContextBlockElement } from '@slack/types';
import { type BlockOptions, mrkdwnText, withBlockId } from './index.js';

/** A context block: small grey text. Strings become mrkdwn elements; at most 10 elements. */
export function context(
  elements: readonly (string | ContextBlockElement)[],
  options: BlockOptions = {},
): ContextBlock {
  return withBlockId(
    { type: 'context', elements: elements.map((e) => (typeof e === 'string' ? mrkdwnText(e) : e)) },
    options.blockId,
  );
}
