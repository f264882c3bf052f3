import { Heading } from '@react-email/heading';
import { Text } from '@react-email/text';
import type { ReactNode } from 'react';
import { breakLongWords } from '../break-long-words.js';
import type { DigestEmailPage } from '../email/digest-email-content.js';
import { SEVERITY_COLORS } from '../severity.js';
import { AlertButton } from './alert-button.js';
import { Callout } from './callout.js';
import { EmailLayout } from './email-layout.js';
import { muted } from './email-styles.js';

/**
 * A storm digest's email around its rows: the heading (`37 alerts in Acme`), the counts by severity
 * and event kind, the rows, "…and N more" and the link to the alert list. The rows come as
 * `children`: React elements when React renders it, their filled HTML when it is compiled.
 */
export function DigestEmailPageView({ page, children }: { page: DigestEmailPage; children: ReactNode }) {
  return (
    <EmailLayout view={page}>
      <Heading as="h1" style={{ fontSize: '22px', lineHeight: '30px', color: '#111827', margin: '0 0 16px' }}>
        {breakLongWords(page.heading)}
      </Heading>
      <Callout color={SEVERITY_COLORS[page.severity]}>{breakLongWords(page.counts)}</Callout>
      <table
        width="100%"
        cellPadding={0}
        cellSpacing={0}
        role="presentation"
        style={{ borderCollapse: 'collapse', width: '100%', margin: '0 0 16px' }}
      >
        <tbody>{children}</tbody>
      </table>
      {page.more !== undefined && <Text style={{ ...muted, margin: '0 0 16px' }}>{page.more}</Text>}
      {page.listUrl && (
        <AlertButton
          href={page.listUrl}
          label={page.messages.digest.viewAll}
          fallback=""
          color={page.brand.color}
        />
      )}
    </EmailLayout>
  );
}
