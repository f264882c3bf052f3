import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { digestFixtureName, digestFixtureSizes, digestOf, digestSeverity } from './digest-fixtures.js';

/** What a gallery card shows. */
export interface FixtureSummary {
  name: string;
  /** `event`: one alert's event; `digest`: a storm's digest of many alerts. */
  kind: 'event' | 'digest';
  title: string;
  description: string;
  /** The event's type, or `digest`. */
  type: string;
  /** The alert's severity; for a digest, its most severe alert's. */
  severity: string;
}

// Built on first use: the 2,000-alert digest takes a few milliseconds to make.
let digests: FixtureSummary[] | undefined;

export function listFixtures(): FixtureSummary[] {
  const events = fixtureEntries.map(
    (f): FixtureSummary => ({
      name: f.name,
      kind: 'event',
      title: f.title,
      description: f.description,
      type: f.event.type,
      severity: f.event.alert.severity,
    }),
  );
  digests ??= digestFixtureSizes.map(
    (count): FixtureSummary => ({
      name: digestFixtureName(count),
      kind: 'digest',
      title: `Storm digest of ${count.toLocaleString('en')} alerts`,
      description: `digestFixture(${count}): what one target gets for a storm's interval`,
      type: 'digest',
      severity: digestSeverity(digestOf({ count })),
    }),
  );
  return [...events, ...digests];
}

/** The fixture's event, or undefined for an unknown name. */
export function findFixture(name: string) {
  return fixtureEntries.find((f) => f.name === name)?.event;
}
