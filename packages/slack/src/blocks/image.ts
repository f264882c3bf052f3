import type { ImageBlock } from '@slack/types';
import { type BlockOptions, plainText } from './index.js';

export interface ImageInput extends BlockOptions {
  /** A public image URL, at most 3000 characters. */
  url: string;
  /** Plain-text description for screen readers, at most 2000 characters. */
  alt: string;
  title?: string;
}

/** An image block. */
export function image(input: ImageInput): ImageBlock {
  const block: ImageBlock = { type: 'image', image_url: input.url, alt_text: input.alt };
  if (input.title !== undefined) block.title = plainText(input.title);
  if (input.blockId !== undefined) block.block_id = input.blockId;
  return block;
}
