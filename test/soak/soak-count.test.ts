/**
 * The soak's count catches what it is there to catch: on a real SQLite database, with receipts signed
 * by the server's own signer, a lost, a doubled and a forged application each show up.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { openDatabase, type Storage } from '../../server/db/database.ts';
import { insertSubmission } from '../../server/db/submissions-store.ts';
import { loadReceiptSigner, type ReceiptSigner } from '../../server/receipts/receipt-signer.ts';
import { submissionBody } from '../../server/submissions/submission.ts';
import type { SubmissionReceipt } from '../../shared/api/submissions.ts';
import { countOutcome } from './soak-count.ts';
import { type OutboxItem, type SeededPerson, seedPeople } from './soak-device.ts';

describe('soak count', () => {
  let dir: string;
  let storage: Storage;
  let signer: ReceiptSigner;
  let person: SeededPerson;
  let keys: Map<string, string>;
  let n = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jl-soak-count-'));
    storage = await openDatabase({ dataDir: dir });
    signer = await loadReceiptSigner(storage.db);
    keys = new Map([[signer.keyId, signer.publicKey]]);
    person = (await seedPeople(storage, 1))[0]!;
  });

  // Each case counts only its own rows.
  beforeEach(async () => {
    await storage.db.deleteFrom('submissions').execute();
  });

  after(async () => {
    await storage?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Stores application `n` under `key` as the server would, and returns the answer a device got. */
  async function store(key: string, application = n): Promise<SubmissionReceipt> {
    const body = submissionBody({ application });
    const id = randomUUID();
    const at = new Date();
    const receiptNumber = `JL${String(Date.now())}${String(n++).padStart(4, '0')}`;
    const receipt = signer.sign({ receiptNumber, submissionId: id, submittedAt: at.toISOString(), bodySha256: body.sha256 });
    await insertSubmission(storage.db, {
      id,
      receiptNumber,
      accountId: person.accountId,
      idempotencyKey: key,
      body,
      receiptSignature: { keyId: receipt.keyId, signature: receipt.signature },
      now: at,
    });
    return { id, receiptNumber, submittedAt: receipt.submittedAt, status: 'submitted', bodySha256: body.sha256, receipt } as SubmissionReceipt;
  }

  const item = (key: string, acknowledged?: SubmissionReceipt): OutboxItem => ({
    n: n++,
    device: 0,
    accountId: person.accountId,
    key,
    attempts: 1,
    acknowledged,
  });

  it('counts nothing wrong when every acknowledged application is stored once with its receipt', async () => {
    const key = randomUUID();
    const count = await countOutcome(storage, keys, [item(key, await store(key))], [person.accountId]);
    assert.equal(count.acknowledged, 1);
    assert.equal(count.lost + count.duplicated + count.badReceipts, 0, count.examples.join('\n'));
  });

  it('counts as lost an acknowledged application that is not stored, and one the device gave up', async () => {
    const acknowledgedKey = randomUUID();
    const answer = await store(acknowledgedKey);
    await storage.db.deleteFrom('submissions').where('idempotency_key', '=', acknowledgedKey).execute();
    const gaveUp = { ...item(randomUUID()), gaveUp: '400 refused' };
    const count = await countOutcome(storage, keys, [item(acknowledgedKey, answer), gaveUp], [person.accountId]);
    assert.equal(count.lost, 2);
    assert.equal(count.gaveUp, 1);
  });

  it('counts as duplicated one application stored under two keys, or under a key no device made', async () => {
    const key = randomUUID();
    const application = 1_000 + n;
    const answer = await store(key, application);
    const secondKey = randomUUID();
    const second = await store(secondKey, application);
    const count = await countOutcome(storage, keys, [item(key, answer)], [person.accountId]);
    assert.equal(count.duplicated, 1);
    assert.equal(count.stored, 2);
    // Both keys a device's: the same application sent as two, as a device that re-keyed would.
    const rekeyed = await countOutcome(storage, keys, [item(key, answer), item(secondKey, second)], [person.accountId]);
    assert.equal(rekeyed.duplicated, 1);
    assert.deepEqual(rekeyed.examples, [`one application stored 2 times: ${person.accountId} ${answer.bodySha256}`]);
  });

  it('counts a receipt that does not verify, or differs from the stored row, as bad', async () => {
    const forgedKey = randomUUID();
    const forged = await store(forgedKey);
    const staleKey = randomUUID();
    const stale = await store(staleKey);
    const items = [
      item(forgedKey, { ...forged, receipt: { ...forged.receipt, signature: `${forged.receipt.signature.slice(0, -2)}AA` } }),
      item(staleKey, stale),
    ];
    await storage.db.updateTable('submissions').set({ receipt_signature: 'x' }).where('idempotency_key', '=', staleKey).execute();
    const count = await countOutcome(storage, keys, items, [person.accountId]);
    assert.equal(count.badReceipts, 2);
    assert.equal(count.lost, 0);
    assert.equal(count.duplicated, 0);
    const unknownKey = await countOutcome(storage, new Map(), [item(forgedKey, forged)], [person.accountId]);
    assert.equal(unknownKey.badReceipts, 1);
  });
});
