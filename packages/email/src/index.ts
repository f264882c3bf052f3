export { classifySmtpError, type SmtpSecrets } from './classify-error.js';
export {
  loadSmtpConfig,
  resolveSmtpConfig,
  SMTP_SECRET_VARIABLES,
  type SmtpConfig,
  type SmtpConfigInput,
  type SmtpDkimConfig,
} from './config.js';
export { emailDefaults } from './defaults.js';
export {
  createEmailChannel,
  type EmailBatchOptions,
  type EmailChannel,
  type EmailChannelOptions,
  type EmailLogger,
  type EmailPoolOptions,
  type PublicSmtpConfig,
  type VerifyResult,
} from './email-channel.js';
export type { EmailAddress, EmailMessage } from './email-message.js';
export { smtpConfigSchema } from './env-schema.js';
export { SmtpError, type SmtpErrorOptions } from './smtp-error.js';
export { type ThreadHeaders, threadHeaders, threadMessageId } from './threading.js';
export { validateEmailMessage } from './validate-message.js';
