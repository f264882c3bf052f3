import type { ActionsBlock, ActionsBlockElement } from '@slack/types';
import { type BlockOptions, withBlockId } from './index.js';

/** An actions block: a row of buttons (or other interactive elements); at most 25. */
export function actions(elements: readonly ActionsBlockElement[], options: BlockOptions = {}): ActionsBlock {
  return withBlockId({ type: 'actions', elements: [...elements] }, options.blockId);
}
