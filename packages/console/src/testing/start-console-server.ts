import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConsoleOptions } from '../console-options.js';
import { createConsole } from '../create-console.js';

export interface ConsoleServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  close(): Promise<void>;
}

/** The console's node adapter on a real node:http server on 127.0.0.1, as a service mounts it. */
export async function startConsoleServer(options: ConsoleOptions): Promise<ConsoleServer> {
  const handler = createConsole(options);
  const server = createServer(handler.node);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
