import type { TenantConfig, ValidationIssue } from '@pytake/notify-core';
import type { PreviewTemplates } from './preview-templates.js';

/** The render functions of the templates, each a kind of call the worker answers. */
export type TemplatesFunction = keyof PreviewTemplates;

/** What the server asks the live-templates worker: load the sources again, or render with them. */
export type LiveTemplatesCall =
  | { kind: 'load'; version: number }
  | { kind: TemplatesFunction; args: [unknown, TenantConfig, object | undefined] };

/** A call with the id its answer carries. */
export type LiveTemplatesRequest = LiveTemplatesCall & { id: number };

/** An error as it crosses the thread boundary (structured clone keeps neither class nor `code`). */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  issues?: ValidationIssue[];
}

export type LiveTemplatesResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerializedError };
