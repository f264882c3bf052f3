import { Text } from '@react-email/text';
import type { ReactNode } from 'react';

/** Props of {@link Callout}. */
export interface CalloutProps {
  /** The color of the left edge, usually the severity color. */
  color: string;
  /** A light background: escalations are highlighted, other summaries stay quiet. */
  background?: string;
  children: ReactNode;
}

/** A highlighted sentence with a colored edge: what happened, in one line. */
export function Callout({ color, background = '#f9fafb', children }: CalloutProps) {
  return (
    <Text
      style={{
        backgroundColor: background,
        borderLeft: `4px solid ${color}`,
        padding: '12px 16px',
        margin: '0 0 20px',
        fontSize: '15px',
        lineHeight: '22px',
        color: '#111827',
      }}
    >
      {children}
    </Text>
  );
}
