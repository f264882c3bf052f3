import { ApiError } from './api-error.js';
import type { Operator } from './api-types.js';

/** True when the operator may see and act on this organization's alerts. */
export function maySee(operator: Operator, organizationId: string): boolean {
  return operator.organizations === undefined || operator.organizations.includes(organizationId);
}

/** Refuses, with 403 and no data, an organization the operator may not see. */
export function assertMaySee(operator: Operator, organizationId: string): void {
  if (!maySee(operator, organizationId))
    throw new ApiError(403, 'forbidden', 'This operator may not see that organization');
}

/**
 * The organizations a query may cover: the ones asked for, each of which the operator must be allowed
 * to see, or else every one the operator may see (`undefined`: all).
 */
export function scopeOrganizations(
  operator: Operator,
  requested: readonly string[] | undefined,
): readonly string[] | undefined {
  if (requested === undefined || requested.length === 0) return operator.organizations;
  for (const organizationId of requested) assertMaySee(operator, organizationId);
  return requested;
}
