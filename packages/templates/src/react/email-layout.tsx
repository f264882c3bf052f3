// One package per component rather than the @react-email/components barrel: the barrel also loads
// code-block (prism), tailwind and markdown, which these emails never use, on the first email.
import { Body } from '@react-email/body';
import { Container } from '@react-email/container';
import { Head } from '@react-email/head';
import { Hr } from '@react-email/hr';
import { Html } from '@react-email/html';
import { Img } from '@react-email/img';
import { Preview } from '@react-email/preview';
import { Section } from '@react-email/section';
import { Text } from '@react-email/text';
import type { ReactNode } from 'react';
import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { fontFamily, muted, wrap } from './email-styles.js';

/** What the frame shows: the parts of an alert's view (or a digest's page) around the content. */
export type EmailLayoutView = Pick<AlertView, 'messages' | 'subject' | 'summary' | 'footer' | 'brand'>;

/** Props of {@link EmailLayout}. */
export interface EmailLayoutProps {
  view: EmailLayoutView;
  children: ReactNode;
}

/**
 * The frame every alert email (and a storm's digest) shares: brand header, a 600 px column that shrinks on phones, and the
 * footer. Works without images: the brand name is text, the logo (if any) only adds to it.
 */
export function EmailLayout({ view, children }: EmailLayoutProps) {
  const { brand } = view;
  return (
    <Html lang={view.messages.locale} dir="ltr">
      <Head>
        <title>{view.subject}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
      </Head>
      <Preview>{view.summary}</Preview>
      <Body style={{ backgroundColor: '#f3f4f6', margin: '0', padding: '24px 8px', fontFamily }}>
        <Container
          style={{
            maxWidth: '600px',
            width: '100%',
            backgroundColor: '#ffffff',
            borderRadius: '8px',
            borderTop: `4px solid ${brand.color}`,
          }}
        >
          <Section style={{ padding: '20px 24px 0' }}>
            {brand.logoUrl ? (
              <Img
                src={brand.logoUrl}
                alt={brand.name}
                height="28"
                style={{ height: '28px', width: 'auto' }}
              />
            ) : (
              <Text style={{ fontSize: '18px', fontWeight: 700, color: brand.color, margin: '0' }}>
                {breakLongWords(brand.name)}
              </Text>
            )}
          </Section>
          <Section style={{ padding: '16px 24px 8px', ...wrap }}>{children}</Section>
          <Section style={{ padding: '0 24px 24px' }}>
            <Hr style={{ borderColor: '#e5e7eb', margin: '8px 0 16px' }} />
            <Text style={muted}>{breakLongWords(view.footer)}</Text>
          </Section>
        </Container>
      </Body>
    </Html>
  );
}
