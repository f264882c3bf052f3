import { caniemail } from 'caniemail';

/** The client families the panel covers, each with caniemail's client globs. */
export const clientFamilies = [
  { family: 'Gmail', glob: 'gmail.*' },
  { family: 'Outlook', glob: 'outlook.*' },
  { family: 'Apple Mail', glob: 'apple-mail.*' },
  { family: 'Yahoo', glob: 'yahoo.*' },
] as const;

/** One HTML or CSS feature a family's clients do not (or only partly) support. */
export interface CompatFeature {
  /** caniemail's title, e.g. `border-radius` or `<style> element`. */
  feature: string;
  /** The family's clients it applies to, e.g. `outlook.windows`. */
  clients: string[];
  /** caniemail's notes on it, once each. */
  notes: string[];
}

export interface FamilyCompat {
  family: (typeof clientFamilies)[number]['family'];
  /** Not supported by these clients. */
  unsupported: CompatFeature[];
  /** Supported with caveats (caniemail's `partial`). */
  partial: CompatFeature[];
}

type IssueMap = ReturnType<typeof caniemail>['issues']['errors'];

function group(map: IssueMap, prefix: string): CompatFeature[] {
  const byFeature = new Map<string, CompatFeature>();
  for (const [client, issues] of map) {
    if (!client.startsWith(prefix)) continue;
    for (const issue of issues) {
      const entry = byFeature.get(issue.title) ?? { feature: issue.title, clients: [], notes: [] };
      if (!entry.clients.includes(client)) entry.clients.push(client);
      for (const note of issue.notes) if (!entry.notes.includes(note)) entry.notes.push(note);
      byFeature.set(issue.title, entry);
    }
  }
  return [...byFeature.values()]
    .map((f) => ({ ...f, clients: f.clients.sort() }))
    .sort((a, b) => a.feature.localeCompare(b.feature));
}

/**
 * What Gmail, Outlook, Apple Mail and Yahoo do not support in an email's HTML (and its `<style>`
 * sheets), from caniemail's data: the panel React Email's preview shows, computed on the server
 * because caniemail parses with Node libraries.
 */
export function emailCompatibility(html: string): FamilyCompat[] {
  // One check for all four families: caniemail parses the HTML once per call, which is most of its cost.
  const { issues } = caniemail({ clients: clientFamilies.map((f) => f.glob), html });
  return clientFamilies.map(({ family, glob }) => {
    const prefix = glob.slice(0, -1);
    return { family, unsupported: group(issues.errors, prefix), partial: group(issues.warnings, prefix) };
  });
}
