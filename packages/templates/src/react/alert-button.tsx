import { Button } from '@react-email/button';
import { Text } from '@react-email/text';
import { muted } from './email-styles.js';

/** Props of {@link AlertButton}. */
export interface AlertButtonProps {
  /** A safe http(s) URL, or undefined when the alert has no link. */
  href: string | undefined;
  label: string;
  /** Shown instead of the button when there is no link. */
  fallback: string;
  color: string;
}

/** The "View Alert" call to action: a bulletproof link button that Outlook renders too. */
export function AlertButton({ href, label, fallback, color }: AlertButtonProps) {
  if (!href) return <Text style={{ ...muted, margin: '0 0 16px' }}>{fallback}</Text>;
  return (
    <Button
      href={href}
      style={{
        display: 'inline-block',
        backgroundColor: color,
        color: '#ffffff',
        borderRadius: '6px',
        padding: '12px 22px',
        fontSize: '15px',
        fontWeight: 600,
        textDecoration: 'none',
        margin: '4px 0 16px',
      }}
    >
      {label}
    </Button>
  );
}
