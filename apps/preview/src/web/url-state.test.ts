import { describe, expect, it } from 'vitest';
import { readUrlState, urlStateDefaults, urlStateQuery } from './url-state.js';

const zones = ['UTC', 'Asia/Tokyo', 'America/Sao_Paulo'];

describe('url state', () => {
  it('opens the defaults without a query, and writes none for them', () => {
    expect(readUrlState('', zones)).toEqual(urlStateDefaults);
    expect(urlStateQuery(urlStateDefaults)).toBe('');
  });

  it('round-trips every part of the view', () => {
    const state = {
      fixture: 'stale-9-days',
      tab: 'slack',
      locale: 'pt-BR',
      timeZone: 'Asia/Tokyo',
      part: 'source',
      width: 'mobile',
      slack: 'json',
      theme: 'dark',
    } as const;
    const query = urlStateQuery(state);
    expect(query).toBe(
      '?fixture=stale-9-days&tab=slack&locale=pt-BR&tz=Asia%2FTokyo&part=source&width=mobile&slack=json&theme=dark',
    );
    expect(readUrlState(query, zones)).toEqual(state);
  });

  it('opens the default tab for a link to the console tab, which is now its own page (/console/)', () => {
    expect(readUrlState('?tab=console&alert=alrt_42', zones)).toEqual(urlStateDefaults);
  });

  it('falls back to the default for a value that is not one of the choices', () => {
    expect(readUrlState('?tab=admin&locale=fr&tz=Mars/Olympus&theme=neon&fixture=x', zones)).toEqual({
      ...urlStateDefaults,
      fixture: 'x',
    });
  });
});
