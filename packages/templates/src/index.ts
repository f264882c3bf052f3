export type { AlertView, DetailRow } from './alert-view.js';
export { type RenderedEmail, renderAlertEmail } from './email/render-alert-email.js';
export { renderAlertText } from './email/render-alert-text.js';
export {
  type AlertEmailOptions,
  type AlertSlackOptions,
  type AlertTemplateOptions,
  type Brand,
  type MentionOnEscalation,
  templateDefaults,
} from './options.js';
export { renderEmailForTenant, renderSlackForTenant, templateOptionsForTenant } from './render-for-tenant.js';
export { SEVERITY_COLORS, SEVERITY_EMOJI } from './severity.js';
export { ALERT_ACTION_IDS, renderAlertSlack } from './slack/render-alert-slack.js';
