/** What a Slack button did to an alert, as the preview records it. */
export interface AlertActivity {
  action: 'acknowledge' | 'resolve' | 'assign' | 'view';
  user: string;
  assignee?: string;
  at: string;
}

/** The preview's in-memory view of one alert, changed by Slack interactivity. */
export interface AlertState {
  alertId: string;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledgedBy?: string;
  resolvedBy?: string;
  assignee?: string;
  activity: AlertActivity[];
}

export interface AlertBoard {
  apply(alertId: string, activity: AlertActivity): AlertState;
  get(alertId: string): AlertState | undefined;
  list(): AlertState[];
}

/** Keeps at most `max` alerts, forgetting the least recently touched. */
export function createAlertBoard(max = 100): AlertBoard {
  const alerts = new Map<string, AlertState>();
  return {
    apply(alertId, activity) {
      const current = alerts.get(alertId) ?? { alertId, status: 'open', activity: [] };
      const next: AlertState = { ...current, activity: [activity, ...current.activity].slice(0, 50) };
      if (activity.action === 'acknowledge' && next.status === 'open') {
        next.status = 'acknowledged';
        next.acknowledgedBy = activity.user;
      } else if (activity.action === 'resolve') {
        next.status = 'resolved';
        next.resolvedBy = activity.user;
      } else if (activity.action === 'assign') {
        next.assignee = activity.assignee ?? activity.user;
      }
      alerts.delete(alertId);
      alerts.set(alertId, next);
      if (alerts.size > max) alerts.delete(alerts.keys().next().value!);
      return next;
    },
    get: (alertId) => alerts.get(alertId),
    list: () => [...alerts.values()].reverse(),
  };
}
