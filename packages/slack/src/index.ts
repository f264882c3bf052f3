export {
  createSlackApiChannel,
  type SlackApiChannel,
  type SlackApiChannelOptions,
  type SlackApiDelivery,
  type SlackApiUpdate,
  type SlackParentUpdateFailure,
} from './api-channel.js';
export { actions } from './blocks/actions.js';
export { type ButtonInput, button } from './blocks/button.js';
export { context } from './blocks/context.js';
export { divider } from './blocks/divider.js';
export { header } from './blocks/header.js';
export { type ImageInput, image } from './blocks/image.js';
export type { BlockOptions, MrkdwnOptions } from './blocks/index.js';
export { type SectionInput, section } from './blocks/section.js';
export { loadSlackConfig, type SlackConfig, slackConfigDefaults } from './config.js';
export { slackChannelDefaults } from './delivery/defaults.js';
export { type RateLimitOptions, rateLimitDefaults } from './delivery/rate-limiter.js';
export {
  ALERT_ACTION_IDS,
  type AlertAction,
  type AlertActionKind,
  parseAlertAction,
} from './interactivity/parse-alert-action.js';
export {
  type RespondToInteractionOptions,
  respondToInteraction,
} from './interactivity/respond-to-interaction.js';
export { type SlackRequestSignature, signSlackRequest } from './interactivity/sign-slack-request.js';
export {
  type VerifySlackRequestInput,
  type VerifySlackRequestResult,
  verifySlackRequest,
  verifySlackRequestDefaults,
} from './interactivity/verify-slack-request.js';
export { SLACK_LIMITS, type SlackLimits } from './limits.js';
export { escapeMrkdwn } from './mrkdwn/escape-mrkdwn.js';
export { link } from './mrkdwn/link.js';
export { type ChannelMentionKind, channelMention, groupMention, userMention } from './mrkdwn/mentions.js';
export { slackDate } from './mrkdwn/slack-date.js';
export {
  type SlackMessage,
  type SlackMessageInput,
  type SlackMessageOptions,
  slackMessage,
  slackMessageDefaults,
} from './slack-message.js';
export { SlackValidationError } from './slack-validation-error.js';
export { createMemoryThreadStore, type ThreadStore } from './thread-store.js';
export { truncateText } from './truncate-text.js';
export { type OverflowMode, validateSlackMessage } from './validate-slack-message.js';
export {
  createSlackWebhookChannel,
  type SlackWebhookChannel,
  type SlackWebhookChannelOptions,
  type SlackWebhookDelivery,
  type VerifyWebhookResult,
} from './webhook-channel.js';
