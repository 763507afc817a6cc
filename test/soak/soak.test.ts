/**
 * A small soak (npm run soak in miniature): 200 applications from 10 devices through the dropping and
 * cutting proxy, with two SIGKILL restarts, on SQLite and on two instances sharing PostgreSQL.
 * Nothing lost, nothing doubled, every receipt verifies, every application acknowledged.
 *
 * Run from the project root: node --import tsx --test test/soak/soak.test.ts (needs Debian's postgresql).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable, optionsFromEnv, runSoak, verdict } from './soak.ts';

describe('soak, small', { timeout: 600_000 }, () => {
  it('loses and doubles nothing through dropped requests, cut answers and killed servers', async (t) => {
    const results = await runSoak({
      ...optionsFromEnv(),
      applications: 200,
      devices: 10,
      minutes: 8,
      databases: ['sqlite', 'postgres'],
      log: () => undefined,
    });
    for (const line of formatTable(results).split('\n')) t.diagnostic(line);
    for (const r of results) {
      assert.deepEqual(r.examples, [], r.database);
      assert.equal(r.acknowledged, 200, r.database);
      assert.equal(r.stored, 200, r.database);
      assert.equal(r.restartsDone, 2, r.database);
      // The faults did happen: some requests dropped, some answers cut, and some retries replayed.
      assert.ok(r.faults['drop-request'] > 0 && r.faults['cut-response'] > 0, r.database);
      assert.ok((r.answers.get(200) ?? 0) > 0, `${r.database}: no replay`);
    }
    assert.deepEqual(verdict(results), { ok: true, complete: true });
  });
});
