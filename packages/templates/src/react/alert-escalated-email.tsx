import type { AlertEscalatedEvent } from '@pytake/notify-core';
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

/** An escalation, highlighted: from and to level ("Admin" at level 3), reason, assignee. */
export function AlertEscalatedEmail(props: AlertEmailProps<AlertEscalatedEvent>) {
  return <AlertEscalatedEmailView view={alertViewOf(props)} />;
}

/** The same email for a view that is already built: what the compiler renders with holes. */
export function AlertEscalatedEmailView({ view }: { view: AlertView }) {
  const m = view.messages;
  return (
    <EmailLayout view={view}>
      <AlertHeading view={view} />
      <Callout color={view.severityColor} background="#fff7ed">
        <strong>{breakLongWords(view.summary)}</strong>
      </Callout>
      <DetailsTable rows={view.eventDetails} />
      {view.description && <LongText label={m.label.description}>{view.description}</LongText>}
      <DetailsTable rows={view.alertDetails} />
      <AlertCallToAction view={view} />
    </EmailLayout>
  );
}

AlertEscalatedEmail.PreviewProps = previewPropsOf<AlertEscalatedEvent>('escalated-admin');

export default AlertEscalatedEmail;
