// The `@pytake/notify-slack/blocks` subpath: build, escape and validate Block Kit messages, without the
// channels. It loads `@pytake/notify-core/model` (and through it zod) and nothing else: not ky, not
// node:http(s), not the notifier, so that a service that renders a message (the templates' first
// email or Slack message) does not pay for the Web API client. The package root exports all of it
// too, the same objects: both entries share their chunks.
/**
 * `@pytake/notify-slack/blocks`: build, escape and validate Block Kit messages, without the channels.
 * @module blocks
 */
export { actions } from './blocks/actions.js';
export { type ButtonInput, button } from './blocks/button.js';
export { context } from './blocks/context.js';
export { divider } from './blocks/divider.js';
export { header } from './blocks/header.js';
export { type ImageInput, image } from './blocks/image.js';
export type { BlockOptions, MrkdwnOptions } from './blocks/index.js';
export { type SectionInput, section } from './blocks/section.js';
export { ALERT_ACTION_IDS, type AlertActionKind } from './interactivity/parse-alert-action.js';
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
export { truncateText } from './truncate-text.js';
export { type OverflowMode, validateSlackMessage } from './validate-slack-message.js';
