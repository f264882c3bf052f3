export type { AlertActionKind } from '@pytake/notify-slack';
export { type AlertActionsInput, alertActions } from './alert-actions.js';
export { type RenderedEmail, renderAlertEmail } from './email/render-alert-email.js';
export { renderDigestEmail } from './email/render-digest-email.js';
export {
  type AlertEmailOptions,
  type AlertSlackOptions,
  type AlertTemplateOptions,
  type Brand,
  type MentionOnEscalation,
  templateDefaults,
} from './options.js';
export {
  renderEmailDigestForTenant,
  renderEmailForTenant,
  renderSlackDigestForTenant,
  renderSlackForTenant,
  templateOptionsForTenant,
} from './render-for-tenant.js';
export { SEVERITY_COLORS, SEVERITY_EMOJI } from './severity.js';
export { renderAlertSlack } from './slack/render-alert-slack.js';
export { renderDigestSlack } from './slack/render-digest-slack.js';
