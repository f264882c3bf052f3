import type { AlertDigest } from '@pytake/notify-core';
import { render } from '@react-email/render';
import { digestEmailOf } from '../email/digest-email-content.js';
import type { RenderedEmail } from '../email/render-alert-email.js';
import { renderDigestText } from '../email/render-digest-text.js';
import type { AlertEmailOptions } from '../options.js';
import { DigestEmailView } from './digest-email-view.js';

/**
 * `renderDigestEmail`, rendered by React: the digest's page and rows through `@react-email/render`, as
 * the compiled templates were made from. Byte for byte the same email (the identity test proves it).
 */
export async function renderDigestEmailWithReact(
  digest: AlertDigest,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const { view, content } = digestEmailOf(digest, options);
  const html = await render(<DigestEmailView content={content} />);
  return { subject: view.subject, html, text: renderDigestText(view, content) };
}
