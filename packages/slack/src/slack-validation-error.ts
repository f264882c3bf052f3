import { ValidationError, type ValidationIssue } from '@pytake/notify-core/model';

/**
 * A message that breaks Slack's limits: `issues` lists every violation by path, e.g.
 * `blocks[3].fields[10]: at most 10 fields`. Nothing was sent.
 */
export class SlackValidationError extends ValidationError {
  constructor(issues: readonly ValidationIssue[]) {
    super('Slack message breaks Slack limits', issues);
    this.name = 'SlackValidationError';
  }
}
