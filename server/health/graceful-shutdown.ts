import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import type { Readiness } from './readiness.ts';

/**
 * A stopping instance keeps accepting until no connection has come for this long. Closing a listener
 * resets every connection the kernel has queued but the process has not taken yet (a busy event loop
 * takes them one by one); those clients have sent their request and would see it cut. Taken, they
 * are answered. Once the queue is empty and nothing new comes, the listener closes.
 */
const QUIET_BEFORE_CLOSE_MS = 250;

/**
 * Stops an instance without failing a request it has accepted: readiness turns 503 at once; the
 * listener closes once the kernel's queue is taken (at most half the grace), so later connections are
 * refused and nginx passes them to the other instance, POST included, as nothing was sent yet.
 * Connections already open stay until their request is answered: answers now say `Connection: close`
 * (closeConnectionsWhileDraining), and a kept-alive connection with no request ends at the server's
 * keep-alive timeout (5 s). They are not closed at once, as node's server.close() does: a request
 * already on its way on such a connection, not yet read, would be cut. After `graceMs` whatever is
 * still open is cut, so a stalled client cannot hold the stop. Resolves once no connection is left.
 */
export function drainServer(server: Server, readiness: Readiness, graceMs: number): Promise<{ cutConnections: boolean }> {
  readiness.markDraining();
  const started = Date.now();
  let lastAccepted = started;
  const accepted = () => {
    lastAccepted = Date.now();
  };
  server.on('connection', accepted);
  return new Promise((resolve) => {
    let cut = false;
    const deadline = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, graceMs);
    const closeListener = () => {
      server.off('connection', accepted);
      // The listener alone; http.Server#close would also close every idle-looking connection now.
      NetServer.prototype.close.call(server, () => {
        clearTimeout(deadline);
        resolve({ cutConnections: cut });
      });
    };
    const closeWhenQuiet = () => {
      const seen = lastAccepted;
      // After one more poll of the event loop (setImmediate runs after it): a blocked loop may not
      // have taken what is queued, and a timer runs before the poll.
      setImmediate(() => {
        const now = Date.now();
        if (now - started >= graceMs / 2 || (lastAccepted === seen && now - lastAccepted >= QUIET_BEFORE_CLOSE_MS)) closeListener();
        else setTimeout(closeWhenQuiet, Math.max(10, QUIET_BEFORE_CLOSE_MS - (now - lastAccepted)));
      });
    };
    setTimeout(closeWhenQuiet, QUIET_BEFORE_CLOSE_MS);
  });
}
