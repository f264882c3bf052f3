import { Text } from '@react-email/text';
import { breakLongWords } from '../break-long-words.js';
import { muted, text } from './email-styles.js';

/** Props of {@link LongText}. */
export interface LongTextProps {
  label: string;
  children: string;
}

/** Free text from the alert (description, resolution notes), keeping its line breaks. */
export function LongText({ label, children }: LongTextProps) {
  return (
    <>
      <Text style={{ ...muted, fontWeight: 600, margin: '0 0 4px' }}>{breakLongWords(label)}</Text>
      <Text style={{ ...text, whiteSpace: 'pre-wrap' }}>{breakLongWords(children)}</Text>
    </>
  );
}
