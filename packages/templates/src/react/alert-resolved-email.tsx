import type { AlertResolvedEvent } from '@pytake/notify-core';
import { fixtures, previewOptions } from '../fixtures/index.js';
import { SEVERITY_COLORS } from '../severity.js';
import { AlertCallToAction } from './alert-call-to-action.js';
import { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
import { AlertHeading } from './alert-heading.js';
import { breakLongWords } from './break-long-words.js';
import { Callout } from './callout.js';
import { DetailsTable } from './details-table.js';
import { EmailLayout } from './email-layout.js';
import { LongText } from './long-text.js';

/** A resolution: who resolved it, their notes, and how long the alert was open. */
export function AlertResolvedEmail(props: AlertEmailProps<AlertResolvedEvent>) {
  const view = alertViewOf(props);
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

AlertResolvedEmail.PreviewProps = {
  event: fixtures['resolved-after-3-days'],
  ...previewOptions,
} as AlertEmailProps<AlertResolvedEvent>;

export default AlertResolvedEmail;
