import type { Locale } from '@pytake/notify-core';
import { en } from './en.js';
import type { Messages } from './messages.js';
import { ptBR } from './pt-br.js';

const byLocale: Record<Locale, Messages> = { en, 'pt-BR': ptBR };

/** The strings for a locale (already validated by the options). */
export function messagesFor(locale: Locale): Messages {
  return byLocale[locale];
}

export type { Messages } from './messages.js';
