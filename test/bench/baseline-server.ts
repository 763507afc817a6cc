/**
 * The baseline the draft save is measured against: a bare Hono app on @hono/node-server writing the same
 * 2 KB JSON to better-sqlite3 (WAL, synchronous=FULL, as the real server), one prepared upsert per
 * request, no session, no validation. Run: node --import tsx test/bench/baseline-server.ts <dir> <port>
 */
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const [dir, port] = process.argv.slice(2);
if (!dir || !port) throw new Error('usage: baseline-server.ts <data dir> <port>');
const db = new Database(join(dir, 'baseline.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('create table if not exists drafts (id text primary key, body text not null, revision integer not null)');
const upsert = db.prepare(
  'insert into drafts (id, body, revision) values (?, ?, 1) on conflict (id) do update set body = excluded.body, revision = revision + 1 returning revision',
);

const app = new Hono();
app.get('/health', (c) => c.text('ok'));
app.put('/drafts/:id', async (c) => {
  const body = await c.req.json<Record<string, unknown>>();
  const { revision } = upsert.get(c.req.param('id'), JSON.stringify(body)) as { revision: number };
  return c.json({ revision });
});
serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' });
