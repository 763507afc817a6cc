/** Helpers for the route tests: a real SQLite storage in a fresh directory, valid ID numbers, cookies. */
import { SESSION_COOKIE } from '../../server/accounts/session.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { openTestDatabase, type TestDatabase } from './test-database.ts';

export type TestStorage = Pick<TestDatabase, 'storage' | 'cleanup'>;

export function openTestStorage(): Promise<TestStorage> {
  return openTestDatabase({ sqliteOnly: true });
}

/** A valid resident ID born 1990-01-01 in Beijing; odd `sequence` → male, even → female. */
export function testIdNumber(sequence: number): string {
  const first17 = `11010519900101${String(sequence).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** `name=value` of the session cookie set by a response, for the next request's Cookie header. */
export function sessionCookie(response: Response): string {
  const header = response.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  if (!header) throw new Error('no session cookie in the response');
  return header.split(';')[0]!;
}

export function jsonRequest(method: string, body: unknown, cookie?: string): RequestInit {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (cookie) headers.cookie = cookie;
  return { method, headers, body: JSON.stringify(body) };
}
