import type { DigestEmailContent } from '../email/digest-email-content.js';
import { DigestEmailPageView } from './digest-email-page.js';
import { DigestEmailRow } from './digest-email-row.js';

/** A storm digest's whole email, rendered by React: the page with a row per listed alert. */
export function DigestEmailView({ content }: { content: DigestEmailContent }) {
  return (
    <DigestEmailPageView page={content.page}>
      {content.items.map((item, i) => (
        // An alert appears once in a digest, but its id is not unique across organizations' data.
        // biome-ignore lint/suspicious/noArrayIndexKey: the list is rendered once, never reordered
        <DigestEmailRow key={i} item={item} />
      ))}
    </DigestEmailPageView>
  );
}
