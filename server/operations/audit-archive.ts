/**
 * The audit archive file: the archived entries as JSON lines (one entry per line, every column as
 * stored), gzip-compressed. Written beside its final name and renamed into place once synced, so a
 * file under that name is always complete.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AuditRow } from '../db/retention-store.ts';
import { syncPath } from './sqlite-file.ts';

const COLUMNS = ['id', 'at', 'actor', 'actor_role', 'action', 'subject', 'organisation', 'address'] as const;

/** Writes the file (mode 0600: it holds client addresses) and returns its SHA-256 (hex). */
export function writeAuditArchive(file: string, entries: readonly AuditRow[]): string {
  const lines = entries.map((entry) => `${JSON.stringify(Object.fromEntries(COLUMNS.map((column) => [column, entry[column]])))}\n`);
  const bytes = gzipSync(Buffer.from(lines.join(''), 'utf8'));
  const partial = `${file}.partial-${process.pid}`;
  try {
    const fd = openSync(partial, 'wx', 0o600);
    try {
      writeSync(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, file);
    syncPath(dirname(file));
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return createHash('sha256').update(bytes).digest('hex');
}

/** The entries of an archive file, in file order, and the file's SHA-256. */
export function readAuditArchive(file: string): { entries: AuditRow[]; sha256: string } {
  const bytes = readFileSync(file);
  const text = gunzipSync(bytes).toString('utf8');
  const entries = text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as AuditRow);
  return { entries, sha256: createHash('sha256').update(bytes).digest('hex') };
}
