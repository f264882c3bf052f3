export type { AlertActionKind } from '@pytake/notify-slack';
export { type AlertActionsInput, alertActions } from './alert-actions.js';
export { type RenderedEmail, renderAlertEmail } from './email/render-alert-email.js';
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
export { renderAlertSlack } from './slack/render-alert-slack.js';
