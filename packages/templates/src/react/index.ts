export type { AlertView, DetailRow } from '../alert-view.js';
export type { DigestItem } from '../digest-view.js';
export type { DigestEmailContent, DigestEmailPage } from '../email/digest-email-content.js';
export type { RenderedEmail } from '../email/render-alert-email.js';
export type { CountWord, Messages } from '../i18n/messages.js';
export type {
  AlertEmailOptions,
  AlertTemplateOptions,
  Brand,
  MentionOnEscalation,
  ResolvedOptions,
} from '../options.js';
export { AlertButton, type AlertButtonProps } from './alert-button.js';
export { AlertCallToAction, type AlertCallToActionProps } from './alert-call-to-action.js';
export { AlertCreatedEmail } from './alert-created-email.js';
export { AlertEmail, type AlertEmailComponentProps } from './alert-email.js';
export { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
export { AlertEscalatedEmail } from './alert-escalated-email.js';
export { AlertHeading } from './alert-heading.js';
export { AlertResolvedEmail } from './alert-resolved-email.js';
export { Callout, type CalloutProps } from './callout.js';
export { DetailsTable, type DetailsTableProps } from './details-table.js';
export { DigestEmailPageView } from './digest-email-page.js';
export { DigestEmailRow } from './digest-email-row.js';
export { DigestEmailView } from './digest-email-view.js';
export { EmailLayout, type EmailLayoutProps, type EmailLayoutView } from './email-layout.js';
export { LongText, type LongTextProps } from './long-text.js';
export { renderAlertEmailWithReact } from './render-alert-email-with-react.js';
export { renderDigestEmailWithReact } from './render-digest-email-with-react.js';
export { SeverityBadge, type SeverityBadgeProps } from './severity-badge.js';
export { StaleAlertEmail } from './stale-alert-email.js';
