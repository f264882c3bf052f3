import { breakLongWords } from '../break-long-words.js';
import type { DigestItem } from '../digest-view.js';
import { SeverityBadge } from './severity-badge.js';

// Plain elements with few styles, not React Email's <Text>: a digest lists 50 of these, and every
// byte of a row counts fifty times against Gmail's clipping at about 102 KB.
const cell = { padding: '10px 0', borderBottom: '1px solid #e5e7eb', verticalAlign: 'top' };
const meta = { margin: '0 0 4px', fontSize: '13px', lineHeight: '20px', color: '#4b5563' };
const title = { margin: '0', fontSize: '15px', lineHeight: '22px', fontWeight: 600, color: '#111827' };

/**
 * One alert of a digest: its severity badge, what happened and how long ago, then its title, linked
 * to the alert. One cell stacked on two lines rather than five columns, which would not fit 320 px.
 */
export function DigestEmailRow({ item }: { item: DigestItem }) {
  return (
    <tr>
      <td style={cell}>
        <p style={meta}>
          <SeverityBadge severity={item.severity} label={item.severityLabel} />
          {/* A space, then a no-break one: the same gap, and a line may still break after the badge. */}
          {' \u00a0'}
          <span>{item.kind}</span> · <span>{item.age}</span>
        </p>
        <p style={title}>
          {item.url ? (
            <a href={item.url} style={{ color: '#111827' }} target="_blank" rel="noopener">
              {breakLongWords(item.title)}
            </a>
          ) : (
            breakLongWords(item.title)
          )}
        </p>
      </td>
    </tr>
  );
}
