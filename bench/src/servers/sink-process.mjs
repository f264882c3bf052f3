// A webhook sink in a process of its own (`fork`ed by the webhook row), answering 200 `ok` like a
// Slack webhook, so that the CPU the row measures in its own process is the clients' alone.
import { createServer } from 'node:http';

let received = 0;
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'count') process.send?.({ received });
});
process.on('disconnect', () => process.exit(0));
