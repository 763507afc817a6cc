/**
 * The queue's filters as a query: the same for the API's request, its CSV and the console's address
 * (`/staff?status=…&from=…`), so reload and back/forward show the list that was asked for.
 */
import * as v from 'valibot';
import { type QueueFilter, queueFilterSchema } from '../../../shared/api/review.ts';

/** Only the filters set (and the page's cursor, when given). */
export function filterQuery(filter: QueueFilter, cursor?: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of Object.entries(filter)) if (value) query[key] = value;
  if (cursor) query.cursor = cursor;
  return query;
}

type FilterKey = keyof typeof queueFilterSchema.entries;
const FILTER_KEYS = Object.keys(queueFilterSchema.entries) as FilterKey[];

/** The filters an address names; any the server would refuse (an address edited by hand) are left out. */
export function filterOfSearch(search: string): QueueFilter {
  const params = new URLSearchParams(search);
  const filter: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (!value) continue;
    const parsed = v.safeParse(queueFilterSchema.entries[key], value);
    if (parsed.success && parsed.output) filter[key] = parsed.output;
  }
  return filter as QueueFilter;
}

/** Two filters ask for the same list. */
export function sameFilter(a: QueueFilter, b: QueueFilter): boolean {
  return new URLSearchParams(filterQuery(a)).toString() === new URLSearchParams(filterQuery(b)).toString();
}
