/**
 * Slack's limits (Block Kit reference and chat.postMessage), checked when a message is
 * built so that Slack never answers `invalid_blocks` for an alert at 3 a.m.
 * Lengths count UTF-16 code units (`string.length`), which is never fewer than Slack's characters,
 * so a text within these numbers is within Slack's.
 */
export const SLACK_LIMITS = {
  /** Blocks in one message (or in one attachment). */
  blocks: 50,
  /** `text` of a header block (plain_text). */
  headerText: 150,
  /** `text` of a section block, and any other text object. */
  sectionText: 3000,
  /** Fields in one section block. */
  sectionFields: 10,
  /** Text of one section field. */
  fieldText: 2000,
  /** Elements in one actions block. */
  actionsElements: 25,
  /** Elements in one context block. */
  contextElements: 10,
  /** Text of any text object not covered above (context elements, image titles). */
  text: 3000,
  /** Button label (plain_text). */
  buttonText: 75,
  /** Button `value`, sent back in the interaction payload. */
  buttonValue: 2000,
  /** Button and image URLs. */
  url: 3000,
  /** `action_id` of an interactive element. */
  actionId: 255,
  /** `block_id` of any block. */
  blockId: 255,
  /** `alt_text` of an image. */
  altText: 2000,
  /**
   * All the text inside a message's blocks together: every text counted by the limits above
   * (header, section text and fields, context elements, button labels, image titles, alt texts).
   * Slack does not document it, but answers `msg_blocks_too_long` past about 12 to 13 thousand
   * characters of block text in total, although every block is within its own limits. The blocks
   * of attachments count against the same total as the message's own: it is one message to Slack.
   */
  blockText: 12_000,
  /** Top-level `text` of a message; Slack truncates beyond it. */
  messageText: 40_000,
} as const;

/** The type of {@link SLACK_LIMITS}. */
export type SlackLimits = typeof SLACK_LIMITS;
