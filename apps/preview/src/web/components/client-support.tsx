import type { CompatFeature, CompatResult } from '../api.js';

// `outlook.windows-mail` reads better as `windows-mail` under the Outlook heading.
const shortClient = (client: string) => client.slice(client.indexOf('.') + 1);

function FeatureList({ features }: { features: CompatFeature[] }) {
  return (
    <ul className="compat-features">
      {features.map((f) => (
        <li key={f.feature} title={f.notes.join('\n') || undefined}>
          <code>{f.feature}</code> <span className="muted">{f.clients.map(shortClient).join(', ')}</span>
          {f.notes.length > 0 ? <div className="compat-notes">{f.notes.join(' ')}</div> : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * What Gmail, Outlook, Apple Mail and Yahoo do not support in this email's HTML, from caniemail's
 * data (computed by the server), as React Email's preview lists it.
 */
export function ClientSupport({ compat }: { compat: CompatResult | undefined }) {
  return (
    <section className="client-support" aria-label="Client support" data-testid="client-support">
      <h3>
        Client support <span className="muted">from caniemail.com data</span>
      </h3>
      {compat ? (
        <div className="compat-families">
          {compat.families.map((family) => (
            <div key={family.family} className="compat-family" data-family={family.family}>
              <h4>
                {family.family}{' '}
                <span
                  className={`status ${family.unsupported.length ? 'status-failed' : 'status-delivered'}`}
                >
                  {family.unsupported.length ? `${family.unsupported.length} not supported` : 'all supported'}
                </span>
              </h4>
              {family.unsupported.length > 0 ? <FeatureList features={family.unsupported} /> : null}
              {family.partial.length > 0 ? (
                <details>
                  <summary className="muted">{family.partial.length} partly supported</summary>
                  <FeatureList features={family.partial} />
                </details>
              ) : null}
            </div>
          ))}
        </div>
      ) : (
        <p className="muted">Checking…</p>
      )}
    </section>
  );
}
