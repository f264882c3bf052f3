// Enqueues the same event COUNT times at once when its parent says 'go', then reports the job ids.
import { createNotificationQueue } from '../index.js';
import { alertEvent } from './fixtures.js';

const queue = createNotificationQueue({ connection: { path: process.env.REDIS_PATH! } });
process.on('message', async () => {
  const count = Number(process.env.COUNT);
  const results = await Promise.all(Array.from({ length: count }, () => queue.enqueue(alertEvent(1))));
  process.send?.({ ids: results.map((r) => r.id) });
  await queue.close();
  process.exit(0);
});
process.send?.('ready');
