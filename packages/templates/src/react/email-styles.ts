import type { CSSProperties } from 'react';

// Inline styles only: Gmail and Outlook drop <style> blocks in many cases. System fonts, because web
// fonts do not load in most clients and the layout must not depend on them.
export const fontFamily =
  "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

export const text: CSSProperties = {
  fontSize: '15px',
  lineHeight: '24px',
  color: '#1f2937',
  margin: '0 0 16px',
};

export const muted: CSSProperties = { fontSize: '13px', lineHeight: '20px', color: '#6b7280', margin: '0' };

/** Long words (URLs, ids, a 255-character title without spaces) wrap instead of widening the email. */
export const wrap: CSSProperties = { overflowWrap: 'anywhere', wordBreak: 'break-word' };
