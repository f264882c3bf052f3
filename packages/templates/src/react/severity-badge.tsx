import type { Severity } from '@pytake/notify-core';
import { SEVERITY_COLORS, SEVERITY_TEXT_COLORS } from '../severity.js';

/** Props of {@link SeverityBadge}. */
export interface SeverityBadgeProps {
  severity: Severity;
  /** The localized severity name shown in the badge. */
  label: string;
}

/** The severity as a colored pill, in the same color as the Slack bar. */
export function SeverityBadge({ severity, label }: SeverityBadgeProps) {
  return (
    <span
      style={{
        display: 'inline-block',
        backgroundColor: SEVERITY_COLORS[severity],
        color: SEVERITY_TEXT_COLORS[severity],
        borderRadius: '12px',
        padding: '2px 10px',
        fontSize: '12px',
        lineHeight: '20px',
        fontWeight: 700,
        letterSpacing: '0.04em',
        textTransform: 'uppercase',
      }}
    >
      {label}
    </span>
  );
}
