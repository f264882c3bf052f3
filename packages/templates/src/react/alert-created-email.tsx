import type { AlertCreatedEvent } from '@pytake/notify-core';
import { fixtures, previewOptions } from '../fixtures/index.js';
import { AlertCallToAction } from './alert-call-to-action.js';
import { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
import { AlertHeading } from './alert-heading.js';
import { breakLongWords } from './break-long-words.js';
import { Callout } from './callout.js';
import { DetailsTable } from './details-table.js';
import { EmailLayout } from './email-layout.js';
import { LongText } from './long-text.js';

/** A new alert: severity badge, title, description, details, and "View Alert". */
export function AlertCreatedEmail(props: AlertEmailProps<AlertCreatedEvent>) {
  const view = alertViewOf(props);
  const m = view.messages;
  return (
    <EmailLayout view={view}>
      <AlertHeading view={view} />
      <Callout color={view.severityColor}>{breakLongWords(view.summary)}</Callout>
      {view.description && <LongText label={m.label.description}>{view.description}</LongText>}
      <DetailsTable rows={view.alertDetails} />
      <AlertCallToAction view={view} />
    </EmailLayout>
  );
}

AlertCreatedEmail.PreviewProps = {
  event: fixtures['created-critical'],
  ...previewOptions,
} as AlertEmailProps<AlertCreatedEvent>;

export default AlertCreatedEmail;
