import type { Messages } from './messages.js';

export const en: Messages = {
  locale: 'en',
  durationListStyle: 'narrow',
  lessThanAMinute: 'less than a minute',
  severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' },
  level: (level) => (level >= 3 ? 'Admin' : `Level ${level}`),
  subject: {
    created: (title) => `🚨 Alert: ${title}`,
    escalated: (target, title) => `⚠️ Alert Escalated to ${target}: ${title}`,
    resolved: (title) => `✅ Alert Resolved: ${title}`,
    stale: (title, inactive) => `⏰ Stale Alert: ${title} (inactive for ${inactive})`,
  },
  kind: {
    created: 'New alert',
    escalated: 'Alert escalated',
    resolved: 'Alert resolved',
    stale: 'Stale alert',
  },
  summary: {
    created: (severity) => `A new ${severity.toLowerCase()} severity alert needs attention.`,
    escalated: (from, to) => `Escalated from ${from} to ${to}.`,
    resolved: (duration) => `Resolved after being open for ${duration}.`,
    stale: (duration) => `No activity for ${duration}.`,
  },
  label: {
    description: 'Description',
    severity: 'Severity',
    category: 'Category',
    organization: 'Organization',
    createdAt: 'Created',
    fromLevel: 'From',
    toLevel: 'To',
    reason: 'Reason',
    assignedTo: 'Assigned to',
    resolvedBy: 'Resolved by',
    resolvedAt: 'Resolved',
    resolutionNotes: 'Resolution notes',
    openFor: 'Open for',
    inactiveFor: 'Inactive for',
    lastActivity: 'Last activity',
    currentOwner: 'Current owner',
    escalatedAt: 'Escalated',
  },
  action: { view: 'View Alert', acknowledge: 'Acknowledge', resolve: 'Resolve', assign: 'Assign' },
  staleCallToAction:
    'Please review this alert: acknowledge it, update its owner, or resolve it if it no longer applies.',
  noLink: 'Open the dashboard to see this alert.',
  footer: (brand, organization) =>
    `You receive this because you are on the alert list of ${organization} in ${brand}.`,
};
