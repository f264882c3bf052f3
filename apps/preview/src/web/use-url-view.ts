import { useCallback, useEffect, useState } from 'react';
import { readUrlState, type UrlState, urlStateQuery } from './url-state.js';

/**
 * Fixture, tab, locale, time zone and view: read from the URL once, written back on every change,
 * so a copied link opens the same view.
 */
export function useUrlView(timeZones: readonly string[]) {
  const [view, setView] = useState<UrlState>(() => readUrlState(window.location.search, timeZones));
  const patchView = useCallback((patch: Partial<UrlState>) => setView((v) => ({ ...v, ...patch })), []);
  useEffect(() => {
    const query = urlStateQuery(view);
    if (query !== window.location.search) {
      window.history.replaceState(null, '', `${window.location.pathname}${query}`);
    }
  }, [view]);
  return { view, patchView };
}
