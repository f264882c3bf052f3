import type { Button } from '@slack/types';
import { plainText } from './index.js';

/** What `button()` builds a Block Kit button from. */
export interface ButtonInput {
  /** The label, plain text, at most 75 characters. */
  text: string;
  /** Identifies the action in the interaction payload, e.g. `alert.acknowledge`; at most 255. */
  actionId: string;
  /** Sent back with the click, e.g. the alert id; at most 2000 characters. */
  value?: string;
  /** Opens this URL in the browser; at most 3000 characters. */
  url?: string;
  style?: 'primary' | 'danger';
}

/** A button element, for `actions()` or a section accessory. */
export function button(input: ButtonInput): Button {
  const element: Button = { type: 'button', text: plainText(input.text), action_id: input.actionId };
  if (input.value !== undefined) element.value = input.value;
  if (input.url !== undefined) element.url = input.url;
  if (input.style !== undefined) element.style = input.style;
  return element;
}
