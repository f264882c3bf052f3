import type { ContextBlock, ContextBlockElement } from '@slack/types';
import { type BlockOptions, type MrkdwnOptions, mrkdwnText, withBlockId } from './index.js';

/**
 * A context block: small grey text. Strings become mrkdwn elements (`verbatim: true` by default);
 * at most 10 elements.
 */
export function context(
  elements: readonly (string | ContextBlockElement)[],
  options: BlockOptions & MrkdwnOptions = {},
): ContextBlock {
  const verbatim = options.verbatim ?? true;
  return withBlockId(
    {
      type: 'context',
      elements: elements.map((e) => (typeof e === 'string' ? mrkdwnText(e, verbatim) : e)),
    },
    options.blockId,
  );
}
