import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Closes an HTTP server without resetting a connection that carries a request. http.Server#close
 * would also destroy, at once, every connection it counts as idle, and a request already on its
 * way on one (sent by a gateway that reuses connections, not yet read here) would be reset. So:
 * stop accepting (the listening socket only); give what already arrived `settleMs` to be read and
 * answered (each answer closes its connection, see `stoppedAccepting`); then close the connections
 * still idle. Resolves when the last connection has closed.
 */
export async function closeConnections(server: Server, settleMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
  await delay(settleMs);
  server.closeIdleConnections();
  await closed;
}
