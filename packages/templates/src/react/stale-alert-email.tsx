import type { AlertStaleEvent } from '@pytake/notify-core';
import { Text } from '@react-email/text';
import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import { AlertCallToAction } from './alert-call-to-action.js';
import { type AlertEmailProps, alertViewOf } from './alert-email-props.js';
import { AlertHeading } from './alert-heading.js';
import { Callout } from './callout.js';
import { DetailsTable } from './details-table.js';
import { EmailLayout } from './email-layout.js';
import { text } from './email-styles.js';
import { LongText } from './long-text.js';
import { previewPropsOf } from './preview-props.js';

/** An alert nobody has touched: how long, the last activity, the owner, and a call to act. */
export function StaleAlertEmail(props: AlertEmailProps<AlertStaleEvent>) {
  return <StaleAlertEmailView view={alertViewOf(props)} />;
}

/** The same email for a view that is already built: what the compiler renders with holes. */
export function StaleAlertEmailView({ view }: { view: AlertView }) {
  const m = view.messages;
  return (
    <EmailLayout view={view}>
      <AlertHeading view={view} />
      <Callout color={view.severityColor} background="#fefce8">
        <strong>{breakLongWords(view.summary)}</strong>
      </Callout>
      <DetailsTable rows={view.eventDetails} />
      {view.description && <LongText label={m.label.description}>{view.description}</LongText>}
      <DetailsTable rows={view.alertDetails} />
      {view.callToAction && (
        <Text style={{ ...text, fontWeight: 600 }}>{breakLongWords(view.callToAction)}</Text>
      )}
      <AlertCallToAction view={view} />
    </EmailLayout>
  );
}

StaleAlertEmail.PreviewProps = previewPropsOf<AlertStaleEvent>('stale-9-days');

export default StaleAlertEmail;
