import type { TargetDelivery } from '../api-types.js';

/** Each target's state as a short colored tag: channel, redacted target, state, attempts, error code. */
export function TargetStates({ targets }: { targets: readonly TargetDelivery[] }) {
  return (
    <ul className="targets">
      {targets.map((t) => (
        <li key={`${t.channel}\n${t.target}`} className={`state-${t.state}`}>
          <span className="channel">{t.channel}</span> {t.target}: <strong>{t.state}</strong>
          {t.attempts > 1 && ` (${t.attempts} attempts)`}
          {t.reason && ` · ${t.reason}`}
          {t.errorCode && ` · ${t.errorCode}`}
          {t.digestId && ` · digest ${t.digestId}`}
        </li>
      ))}
    </ul>
  );
}
