/** Paths of the console's screens, all under /staff (server/static-client.ts serves them its shell). */
import type { QueueFilter } from '../../shared/api/review.ts';
import { filterQuery } from './queue/queue-filter.ts';

export const staffRoutes = {
  queue: '/staff',
} as const;

/** Usage: `navigate(this, queueRoute(filter))` — the queue with these filters kept in the address. */
export function queueRoute(filter: QueueFilter): string {
  const query = new URLSearchParams(filterQuery(filter)).toString();
  return query ? `${staffRoutes.queue}?${query}` : staffRoutes.queue;
}

const DETAIL_PREFIX = '/staff/submissions/';

/** Usage: `<a href=${detailRoute(item.id)}>` — one application's screen. */
export function detailRoute(submissionId: string): string {
  return `${DETAIL_PREFIX}${encodeURIComponent(submissionId)}`;
}

/** The application a path names (see detailRoute); undefined for any other path. */
export function submissionOfPath(path: string): string | undefined {
  if (!path.startsWith(DETAIL_PREFIX)) return undefined;
  const id = decodeURIComponent(path.slice(DETAIL_PREFIX.length));
  return id && !id.includes('/') ? id : undefined;
}
