import { fixtureEntries } from '@pytake/notify-templates/fixtures';

/** What a gallery card shows. */
export interface FixtureSummary {
  name: string;
  title: string;
  description: string;
  type: string;
  severity: string;
}

export function listFixtures(): FixtureSummary[] {
  return fixtureEntries.map((f) => ({
    name: f.name,
    title: f.title,
    description: f.description,
    type: f.event.type,
    severity: f.event.alert.severity,
  }));
}

/** The fixture's event, or undefined for an unknown name. */
export function findFixture(name: string) {
  return fixtureEntries.find((f) => f.name === name)?.event;
}
