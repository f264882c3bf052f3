import type { DetailRow } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { wrap } from './email-styles.js';

/** Props of {@link DetailsTable}. */
export interface DetailsTableProps {
  rows: readonly DetailRow[];
}

const cell = {
  padding: '8px 0',
  borderBottom: '1px solid #e5e7eb',
  fontSize: '14px',
  lineHeight: '20px',
  verticalAlign: 'top',
};

/** Label/value rows. A real data table (with `th`), which screen readers announce as such. */
export function DetailsTable({ rows }: DetailsTableProps) {
  if (rows.length === 0) return null;
  return (
    <table
      width="100%"
      cellPadding={0}
      cellSpacing={0}
      style={{ borderCollapse: 'collapse', width: '100%', margin: '0 0 20px' }}
    >
      <tbody>
        {rows.map((row) => (
          <tr key={row.label}>
            <th
              scope="row"
              align="left"
              style={{ ...cell, width: '38%', paddingRight: '12px', color: '#6b7280', fontWeight: 400 }}
            >
              {breakLongWords(row.label)}
            </th>
            <td style={{ ...cell, color: '#111827', fontWeight: 600, ...wrap }}>
              {breakLongWords(row.value)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
