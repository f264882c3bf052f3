import type {
  AlertDetail,
  AlertPage,
  ApiErrorBody,
  ConsoleAction,
  DigestView,
  OperatorInfo,
  OrganizationHealth,
  QueueOverview,
  RetryAllResult,
} from '../api-types.js';

/** Where the API is: the handler writes its base path into the page, so any mount point works. */
export const apiBase = `${document.querySelector<HTMLMetaElement>('meta[name="pytake-console-base"]')?.content ?? ''}/api`;

/** The list's filters as the page keeps them. */
export interface ListFilters {
  organization: string;
  severity: string;
  status: string;
  staleOnly: boolean;
  search: string;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${apiBase}${path}`, { headers: { accept: 'application/json' } });
  const body = (await response.json()) as T | ApiErrorBody;
  if (!response.ok) throw new Error((body as ApiErrorBody).error?.message ?? `HTTP ${response.status}`);
  return body as T;
}

export function listQuery(filters: ListFilters, cursor?: string): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.organization.trim()) params.set('organization', filters.organization.trim());
  if (filters.severity) params.set('severity', filters.severity);
  if (filters.status) params.set('status', filters.status);
  if (filters.staleOnly) params.set('stale', 'true');
  if (filters.search.trim()) params.set('q', filters.search.trim());
  if (cursor) params.set('cursor', cursor);
  return params;
}

export const fetchAlerts = (filters: ListFilters, cursor?: string) =>
  getJson<AlertPage>(`/alerts?${listQuery(filters, cursor)}`);

export const fetchAlert = (organizationId: string, alertId: string) =>
  getJson<AlertDetail>(`/alerts/${encodeURIComponent(organizationId)}/${encodeURIComponent(alertId)}`);

export const fetchHealth = () => getJson<{ organizations: OrganizationHealth[] }>('/health');

export const fetchOperator = () => getJson<OperatorInfo>('/operator');

export const fetchDigest = (organizationId: string, digestId: string) =>
  getJson<DigestView>(`/digests/${encodeURIComponent(organizationId)}/${encodeURIComponent(digestId)}`);

export const fetchQueue = () => getJson<QueueOverview>('/queue');

/** A POST as the console takes them: JSON, from its own page (the browser adds `Origin`). */
async function postJson<T>(path: string, body: object): Promise<T> {
  const response = await fetch(`${apiBase}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => undefined)) as T | ApiErrorBody | undefined;
  if (!response.ok)
    throw new Error((answer as ApiErrorBody | undefined)?.error?.message ?? `HTTP ${response.status}`);
  return answer as T;
}

export async function postAction(action: ConsoleAction): Promise<void> {
  const { organizationId, alertId, ...body } = action;
  await postJson(
    `/alerts/${encodeURIComponent(organizationId)}/${encodeURIComponent(alertId)}/actions`,
    body,
  );
}

export const retryDeadLetter = (id: string) =>
  postJson<{ ok: true }>(`/dead-letters/${encodeURIComponent(id)}/retry`, {});

export const retryAllDeadLetters = () => postJson<RetryAllResult>('/dead-letters/retry-all', {});
