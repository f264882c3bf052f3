import type { FixtureSummary } from '../api.js';

const typeLabel: Record<string, string> = {
  'alert.created': 'Created',
  'alert.escalated': 'Escalated',
  'alert.resolved': 'Resolved',
  'alert.stale': 'Stale',
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
  return (
    <nav className="gallery" aria-label="Fixtures">
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
