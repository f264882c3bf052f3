import type { AlertEvent } from '@pytake/notify-core';
import { type FixtureName, fixtures, previewOptions } from '../fixtures/index.js';
import type { AlertEmailProps } from './alert-email-props.js';

/**
 * A template's `PreviewProps` (what React Email's `email dev` renders it with): a fixture and the
 * preview options. The fixture is validated when `event` is read, not when the template file loads.
 */
export function previewPropsOf<E extends AlertEvent>(name: FixtureName): AlertEmailProps<E> {
  return {
    ...previewOptions,
    get event() {
      return fixtures[name] as E;
    },
  };
}
