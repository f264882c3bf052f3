import type { Issue } from '../api.js';

export interface EditorProblem {
  /** `syntax` for broken JSON, `validation` for an event the schema rejects, `error` for the rest. */
  kind: 'syntax' | 'validation' | 'error';
  message: string;
  issues?: Issue[];
}

/**
 * The event as JSON (or a digest's `{ digest: { count } }`), editable; problems show beside it
 * instead of breaking the preview.
 */
export function PropsEditor({
  value,
  onChange,
  onReset,
  onFormat,
  problem,
  digest = false,
}: {
  value: string;
  onChange: (value: string) => void;
  onReset: () => void;
  onFormat: () => void;
  problem: EditorProblem | undefined;
  digest?: boolean;
}) {
  return (
    <section className="editor" aria-label="Props editor">
      <div className="editor-head">
        <h2>Event props</h2>
        <div className="editor-actions">
          <button
            type="button"
            className="link-button"
            onClick={onFormat}
            disabled={problem?.kind === 'syntax'}
          >
            Format
          </button>
          <button type="button" className="link-button" onClick={onReset}>
            Reset
          </button>
        </div>
      </div>
      <textarea
        aria-label="Event JSON"
        data-testid="props-editor"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={problem ? 'invalid' : undefined}
      />
      <div className="editor-status" data-testid="editor-status" aria-live="polite">
        {problem ? (
          <div className="problem" data-testid="editor-problem">
            <strong>
              {problem.kind === 'syntax'
                ? 'JSON syntax error'
                : problem.kind === 'validation'
                  ? 'Invalid event'
                  : 'Error'}
            </strong>
            {problem.issues?.length ? (
              <ul>
                {problem.issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    <code>{issue.path || '(root)'}</code> {issue.message}
                  </li>
                ))}
              </ul>
            ) : (
              <p>{problem.message}</p>
            )}
            <p className="muted">The preview shows the last valid version.</p>
          </div>
        ) : (
          <span className="ok">
            {digest ? 'Valid digest: digestFixture(count), built on the server' : 'Valid event'}
          </span>
        )}
      </div>
    </section>
  );
}
