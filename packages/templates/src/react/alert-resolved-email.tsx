import type { AlertResolvedEvent } from '@pytake/notify-core';
import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { SEVERITY_COLORS } from '../severity.js';
import { AlertCallToAction } from './alert-call-to-action.js';
import { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
import { AlertHeading } from './alert-heading.js';
import { Callout } from './callout.js';
import { DetailsTable } from './details-table.js';
import { EmailLayout } from './email-layout.js';
import { LongText } from './long-text.js';
import { previewPropsOf } from './preview-props.js';

/** A resolution: who resolved it, their notes, and how long the alert was open. */
export function AlertResolvedEmail(props: AlertEmailProps<AlertResolvedEvent>) {
  return <AlertResolvedEmailView view={alertViewOf(props)} />;
}

/** The same email for a view that is already built: what the compiler renders with holes. */
export function AlertResolvedEmailView({ view }: { view: AlertView }) {
  const m = view.messages;
  return (
    <EmailLayout view={view}>
      <AlertHeading view={view} />
      {/* Green whatever the severity: the news here is that it is over. */}
      <Callout color={SEVERITY_COLORS.low} background="#f0fdf4">
        {breakLongWords(view.summary)}
      </Callout>
      <DetailsTable rows={view.eventDetails} />
      {view.notes && <LongText label={view.notes.label}>{view.notes.value}</LongText>}
      {view.description && <LongText label={m.label.description}>{view.description}</LongText>}
      <DetailsTable rows={view.alertDetails} />
      <AlertCallToAction view={view} />
    </EmailLayout>
  );
}

AlertResolvedEmail.PreviewProps = previewPropsOf<AlertResolvedEvent>('resolved-after-3-days');

export default AlertResolvedEmail;
