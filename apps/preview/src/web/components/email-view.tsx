import type { CompatResult, RenderResult } from '../api.js';
import type { UrlState } from '../url-state.js';
import { ClientSupport } from './client-support.js';
import { EmailFrame } from './email-frame.js';

type Width = UrlState['width'];

const widths: Record<Width, number> = { desktop: 640, mobile: 375 };

/** The rendered email: subject, the HTML at desktop or mobile width, the plain text and the source. */
export function EmailView({
  email,
  compat,
  part,
  width,
  onView,
}: {
  email: RenderResult['email'];
  compat: CompatResult | undefined;
  part: UrlState['part'];
  width: Width;
  onView: (patch: Partial<UrlState>) => void;
}) {
  return (
    <section className="email-view" aria-label="Email preview">
      <div className="subject-line">
        <span className="muted">Subject</span> <strong data-testid="email-subject">{email.subject}</strong>
      </div>
      <div className="toolbar">
        <div className="segmented" role="tablist" aria-label="Email part">
          {(['html', 'text', 'source'] as const).map((p) => (
            <button
              key={p}
              type="button"
              role="tab"
              aria-selected={part === p}
              onClick={() => onView({ part: p })}
            >
              {p === 'html' ? 'Rendered' : p === 'text' ? 'Plain text' : 'HTML source'}
            </button>
          ))}
        </div>
        {part === 'html' ? (
          <div className="segmented" role="tablist" aria-label="Width">
            {(['desktop', 'mobile'] as const).map((w) => (
              <button
                key={w}
                type="button"
                role="tab"
                aria-selected={width === w}
                onClick={() => onView({ width: w })}
              >
                {w === 'desktop' ? 'Desktop 640' : 'Mobile 375'}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {part === 'html' ? (
        <div className="frame-wrap" data-testid="email-frame-wrap">
          <EmailFrame html={email.html} width={widths[width]} />
        </div>
      ) : (
        <pre className="code" data-testid={part === 'text' ? 'email-text' : 'email-source'}>
          {part === 'text' ? (email.text ?? '(no plain-text part)') : email.html}
        </pre>
      )}
      <ClientSupport compat={compat} />
    </section>
  );
}
