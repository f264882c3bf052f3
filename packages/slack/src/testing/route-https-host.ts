import { Agent } from 'node:https';
import { connect } from 'node:net';

/**
 * Like a hosts-file entry for the node:https clients of this process: connections to `host` (on
 * any port) go to the plain-http server at `origin` instead (a local node:http server that answers
 * the way Slack documents), so that code posting to `https://hooks.slack.com/...` really goes over
 * HTTP without leaving the machine. Returns the function that undoes it. For tests only.
 */
export function routeHttpsHost(host: string, origin: string): () => void {
  const { hostname, port } = new URL(origin);
  const proto = Agent.prototype as unknown as {
    createConnection: (options: { host?: string }, callback?: unknown) => unknown;
  };
  const original = proto.createConnection;
  proto.createConnection = function (this: Agent, options, callback) {
    if (options.host !== host) return original.call(this, options, callback);
    return connect(Number(port), hostname);
  };
  return () => {
    proto.createConnection = original;
  };
}
