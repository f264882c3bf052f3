import type { EmailContent, EmailDelivery, Route } from '@pytake/notify-core';
import { describe, expectTypeOf, it } from 'vitest';
import { createEmailChannel } from './email-channel.js';
import type { EmailMessage } from './email-message.js';

// Checked by `tsc --noEmit` (this file is in the typecheck): if core's EmailDelivery grows a field
// that EmailMessage cannot take, the email channel stops fitting the notifier's email route and this fails.
describe('types', () => {
  it('lets the email channel serve as the notifier email route', () => {
    const channel = createEmailChannel({ host: 'smtp.acme.test' });
    const route: Route<EmailContent, EmailDelivery> = {
      channel,
      render: () => ({ subject: 's', html: 'h' }),
    };
    expectTypeOf(route.channel).toEqualTypeOf<Route<EmailContent, EmailDelivery>['channel']>();
    expectTypeOf<EmailDelivery>().toExtend<EmailMessage>();
    expectTypeOf(channel.send).parameter(0).toEqualTypeOf<EmailMessage>();
  });
});
