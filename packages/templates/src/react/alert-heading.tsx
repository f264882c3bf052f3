import { Heading } from '@react-email/heading';
import { Text } from '@react-email/text';
import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { muted } from './email-styles.js';
import { SeverityBadge } from './severity-badge.js';

/**
 * The severity badge, what happened (`New alert`), the alert's title, and whether a storm digest
 * reported it first.
 */
export function AlertHeading({ view }: { view: AlertView }) {
  return (
    <>
      <Text style={{ margin: '0 0 8px', fontSize: '13px', lineHeight: '20px', color: '#4b5563' }}>
        <SeverityBadge severity={view.severity} label={view.severityLabel} />
        {/* A space, then a no-break one: the same gap, and a line may still break after the badge. */}
        {' \u00a0'}
        {view.kind}
      </Text>
      <Heading as="h1" style={{ fontSize: '22px', lineHeight: '30px', color: '#111827', margin: '0 0 16px' }}>
        {breakLongWords(view.title)}
      </Heading>
      {view.firstReportedInDigest && (
        <Text style={{ ...muted, margin: '0 0 16px' }}>{breakLongWords(view.firstReportedInDigest)}</Text>
      )}
    </>
  );
}
