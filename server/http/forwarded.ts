/**
 * Who a request comes from, and whether over HTTPS, when the server stands behind reverse proxies
 * (TRUSTED_PROXIES). Only a peer we trust may speak for the client: anyone else could put any
 * X-Forwarded-For on each request and escape every rate limit. Without trusted proxies the socket
 * is the truth.
 */
import { BlockList, isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `trustForwardedHeaders`: the client as seen through the trusted proxies. */
    clientAddress: string;
    /** Set by `trustForwardedHeaders`: a trusted proxy took the request over HTTPS. */
    forwardedHttps: boolean;
  }
}

/** `::ffff:192.0.2.1` (an IPv4 peer on a dual-stack socket) as `192.0.2.1`, so one client has one name. */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * The peer address of the TCP connection. Outside @hono/node-server (tests through app.request)
 * there is no socket, and every request counts as the one client 'unknown'.
 */
export function socketAddress(c: Context): string {
  try {
    const address = getConnInfo(c).remote.address;
    return address ? plainAddress(address) : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The client a request comes from, for every rate limit, the audit and address allow-lists: what
 * `trustForwardedHeaders` found behind the trusted proxies, else the connection's peer.
 */
export function clientAddress(c: Context): string {
  return c.get('clientAddress') ?? socketAddress(c);
}

/** Whether the client reached us over HTTPS: directly, or through a trusted proxy that says so. */
export function overHttps(c: Context): boolean {
  return c.get('forwardedHttps') === true || new URL(c.req.url).protocol === 'https:';
}

/** TRUSTED_PROXIES entries (checked by config.ts): single addresses or CIDR ranges (`10.0.0.0/8`, `fd00::/8`). */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}

function isTrusted(trusted: BlockList, address: string): boolean {
  const family = isIP(address);
  return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The client behind a chain of proxies. Only a trusted peer may speak for another address; then
 * X-Forwarded-For is read from the right (each proxy appends the address it saw), past every trusted
 * proxy, to the first address none of ours wrote for itself. Entries further left were sent by the
 * client and prove nothing. A malformed entry ends the walk at the last trusted hop: that proxy is
 * the nearest address we can vouch for.
 */
export function addressBehindProxies(peer: string, forwardedFor: string | undefined, trusted: BlockList): string {
  const socket = plainAddress(peer);
  if (!forwardedFor || !isTrusted(trusted, socket)) return socket;
  let nearest = socket;
  const hops = forwardedFor.split(',').map((hop) => plainAddress(hop.trim()));
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return nearest;
    if (!isTrusted(trusted, hop)) return hop;
    nearest = hop;
  }
  // Every hop is one of ours (a request made on a proxy host itself): the first is the origin.
  return nearest;
}

/**
 * Middleware naming the request's client once (for `clientAddress`) and, from a trusted proxy,
 * taking its X-Forwarded-Proto (for `overHttps`, so cookies stay Secure behind TLS termination).
 */
export function trustForwardedHeaders(trustedProxies: readonly string[]): MiddlewareHandler {
  const trusted = trustedProxyList(trustedProxies);
  return async (c, next) => {
    const peer = socketAddress(c);
    if (trustedProxies.length > 0 && isTrusted(trusted, peer)) {
      c.set('clientAddress', addressBehindProxies(peer, c.req.header('x-forwarded-for'), trusted));
      c.set('forwardedHttps', c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https');
    } else {
      c.set('clientAddress', peer);
    }
    await next();
  };
}
