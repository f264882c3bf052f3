import type { AlertCreatedEvent } from '@pytake/notify-core';
import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { AlertCallToAction } from './alert-call-to-action.js';
import { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
import { AlertHeading } from './alert-heading.js';
import { Callout } from './callout.js';
import { DetailsTable } from './details-table.js';
import { EmailLayout } from './email-layout.js';
import { LongText } from './long-text.js';
import { previewPropsOf } from './preview-props.js';

/** A new alert: severity badge, title, description, details, and "View Alert". */
export function AlertCreatedEmail(props: AlertEmailProps<AlertCreatedEvent>) {
  return <AlertCreatedEmailView view={alertViewOf(props)} />;
}

/** The same email for a view that is already built: what the compiler renders with holes. */
export function AlertCreatedEmailView({ view }: { view: AlertView }) {
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

AlertCreatedEmail.PreviewProps = previewPropsOf<AlertCreatedEvent>('created-critical');

export default AlertCreatedEmail;
