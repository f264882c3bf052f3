/** The view a link opens: everything a designer picks, kept in the query string. */
export interface UrlState {
  fixture?: string;
  tab: 'email' | 'slack' | 'outbox' | 'log';
  locale: 'en' | 'pt-BR';
  timeZone: string;
  /** Email: the rendered HTML, the plain text or the HTML source. */
  part: 'html' | 'text' | 'source';
  /** Email: the frame's width. */
  width: 'desktop' | 'mobile';
  /** Slack: the drawn message or its JSON. */
  slack: 'message' | 'json';
  /** Slack: the client's theme. */
  theme: 'light' | 'dark';
}

/** What a URL without a query opens; values equal to these are left out of links. */
export const urlStateDefaults: UrlState = {
  tab: 'email',
  locale: 'en',
  timeZone: 'UTC',
  part: 'html',
  width: 'desktop',
  slack: 'message',
  theme: 'light',
};

// Query keys, short so links stay readable: ?fixture=stale-low&tab=slack&tz=Asia/Tokyo
const keys = {
  fixture: 'fixture',
  tab: 'tab',
  locale: 'locale',
  timeZone: 'tz',
  part: 'part',
  width: 'width',
  slack: 'slack',
  theme: 'theme',
} as const satisfies Record<keyof UrlState, string>;

const choices: { [K in keyof UrlState]?: readonly string[] } = {
  tab: ['email', 'slack', 'outbox', 'log'],
  locale: ['en', 'pt-BR'],
  part: ['html', 'text', 'source'],
  width: ['desktop', 'mobile'],
  slack: ['message', 'json'],
  theme: ['light', 'dark'],
};

/**
 * Reads the view from a query string. A value that is not one of the choices falls back to the
 * default, so an old or hand-edited link still opens; the time zone is checked by the server.
 */
export function readUrlState(search: string, timeZones: readonly string[]): UrlState {
  const params = new URLSearchParams(search);
  const state: UrlState = { ...urlStateDefaults };
  const fixture = params.get(keys.fixture);
  if (fixture) state.fixture = fixture;
  for (const key of Object.keys(choices) as (keyof typeof choices)[]) {
    const value = params.get(keys[key]);
    if (value !== null && choices[key]!.includes(value))
      (state as unknown as Record<string, string>)[key] = value;
  }
  const timeZone = params.get(keys.timeZone);
  if (timeZone && timeZones.includes(timeZone)) state.timeZone = timeZone;
  return state;
}

/** The query string (with its `?`, or empty) for a view, defaults left out. */
export function urlStateQuery(state: UrlState): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(keys) as (keyof UrlState)[]) {
    const value = state[key];
    if (value !== undefined && value !== urlStateDefaults[key]) params.set(keys[key], value);
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}
