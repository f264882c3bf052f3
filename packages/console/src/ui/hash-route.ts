import { useEffect, useState } from 'react';

/** The page shown. In the hash, so the server serves one page at one path. */
export type Route =
  | { view: 'list' }
  | { view: 'alert'; organizationId: string; alertId: string }
  | { view: 'digest'; organizationId: string; digestId: string }
  | { view: 'queue' };

const list: Route = { view: 'list' };

export function parseHash(hash: string): Route {
  if (hash === '#/queue') return { view: 'queue' };
  const match = /^#\/(alerts|digests)\/([^/]+)\/([^/]+)$/.exec(hash);
  if (!match) return list;
  try {
    const organizationId = decodeURIComponent(match[2]!);
    const id = decodeURIComponent(match[3]!);
    return match[1] === 'alerts'
      ? { view: 'alert', organizationId, alertId: id }
      : { view: 'digest', organizationId, digestId: id };
  } catch {
    return list;
  }
}

export const alertHref = (organizationId: string, alertId: string) =>
  `#/alerts/${encodeURIComponent(organizationId)}/${encodeURIComponent(alertId)}`;

export const digestHref = (organizationId: string, digestId: string) =>
  `#/digests/${encodeURIComponent(organizationId)}/${encodeURIComponent(digestId)}`;

export const queueHref = '#/queue';

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
