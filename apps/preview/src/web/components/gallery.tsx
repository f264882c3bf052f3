import { useEffect, useRef } from 'react';
import type { FixtureSummary } from '../api.js';

const typeLabel: Record<string, string> = {
  'alert.created': 'Created',
  'alert.escalated': 'Escalated',
  'alert.resolved': 'Resolved',
  'alert.stale': 'Stale',
  digest: 'Digest',
};

/** Every fixture as a card; the selected one is highlighted. */
export function Gallery({
  fixtures,
  selected,
  onSelect,
}: {
  fixtures: FixtureSummary[];
  selected: string | undefined;
  onSelect: (name: string) => void;
}) {
  const nav = useRef<HTMLElement>(null);
  // A link can open any fixture: bring its card into view, as a click would have it.
  useEffect(() => {
    if (!selected) return;
    nav.current
      ?.querySelector(`[data-fixture="${CSS.escape(selected)}"]`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [selected, fixtures]);
  return (
    <nav className="gallery" aria-label="Fixtures" ref={nav}>
      <h2>Fixtures</h2>
      <ul>
        {fixtures.map((fixture) => (
          <li key={fixture.name}>
            <button
              type="button"
              className={`card${fixture.name === selected ? ' selected' : ''}`}
              data-fixture={fixture.name}
              onClick={() => onSelect(fixture.name)}
            >
              <span className="card-top">
                <span className={`sev sev-${fixture.severity}`}>{fixture.severity}</span>
                <span className="card-type">{typeLabel[fixture.type] ?? fixture.type}</span>
              </span>
              <span className="card-name">{fixture.name}</span>
              <span className="card-title">{fixture.title}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
