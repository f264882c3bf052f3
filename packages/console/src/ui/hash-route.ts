import { useEffect, useState } from 'react';

/** The page shown: the list, or one alert. In the hash, so the server serves one page at one path. */
export type Route = { view: 'list' } | { view: 'alert'; organizationId: string; alertId: string };

export function parseHash(hash: string): Route {
  const match = /^#\/alerts\/([^/]+)\/([^/]+)$/.exec(hash);
  if (!match) return { view: 'list' };
  try {
    return {
      view: 'alert',
      organizationId: decodeURIComponent(match[1]!),
      alertId: decodeURIComponent(match[2]!),
    };
  } catch {
    return { view: 'list' };
  }
}

export const alertHref = (organizationId: string, alertId: string) =>
  `#/alerts/${encodeURIComponent(organizationId)}/${encodeURIComponent(alertId)}`;

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
