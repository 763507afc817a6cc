import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { openTestStorage, type TestStorage } from '../../test/support/route-fixtures.ts';
import { applicationOf, type TestApplicant, testApplicant, testEnterprise } from '../../test/support/review-fixtures.ts';
import { listAuditForSubject } from '../db/audit-log-store.ts';
import { upsertEnterprises } from '../db/enterprises-store.ts';
import { findSubmissionById, moveSubmissionStatus } from '../db/submissions-store.ts';
import { submissionRoutes } from './submission-routes.ts';

const enterprise = testEnterprise('7', '青岛海岸工程监理有限公司', '山东省');
const ADDRESS = '203.0.113.41';

describe("the applicant's own acts in the audit", () => {
  let fixture: TestStorage;
  let app: Hono;
  let sequence = 501;

  // The node server's bindings, as getConnInfo reads the peer's address from them.
  const from = { incoming: { socket: { remoteAddress: ADDRESS, remoteFamily: 'IPv4' } } };
  const send = (path: string, person: TestApplicant, body?: unknown) =>
    app.request(
      `/api/submissions${path}`,
      {
        method: 'POST',
        headers: { cookie: person.cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      from,
    );

  async function submitted(): Promise<{ id: string; person: TestApplicant }> {
    sequence += 2;
    const person = await testApplicant(fixture.storage, sequence, '孙立新');
    const response = await send('', person, applicationOf(person, enterprise));
    assert.equal(response.status, 201, await response.clone().text());
    return { id: ((await response.json()) as { id: string }).id, person };
  }

  const entriesOf = async (id: string) =>
    (await listAuditForSubject(fixture.storage.db, `submission:${id}`)).map(({ actor, actorRole, action, address, organisation }) => ({
      actor,
      actorRole,
      action,
      address,
      organisation,
    }));

  before(async () => {
    fixture = await openTestStorage();
    await upsertEnterprises(fixture.storage.db, [enterprise]);
    app = new Hono().route('/api/submissions', submissionRoutes(fixture.storage));
  });
  after(() => fixture.cleanup());

  it('records a submission, a resubmission after 补正 and a withdrawal with the role applicant and the client address', async () => {
    const { id, person } = await submitted();
    const stored = await findSubmissionById(fixture.storage.db, id);
    assert.ok(stored);
    // The reviewer's 补正, as far as the applicant's side needs it.
    const asked = { status: stored.status, version: stored.version };
    assert.ok(await moveSubmissionStatus(fixture.storage.db, id, asked, 'employer_confirmed'));
    assert.ok(await moveSubmissionStatus(fixture.storage.db, id, { ...asked, status: 'employer_confirmed' }, 'correction_requested'));
    const resubmitted = await send(`/${id}/versions`, person, applicationOf(person, enterprise));
    assert.equal(resubmitted.status, 201, await resubmitted.clone().text());

    const actor = `account:${person.accountId}`;
    const entry = (action: string) => ({ actor, actorRole: 'applicant', action, address: ADDRESS, organisation: null });
    assert.deepEqual(await entriesOf(id), [entry('submission.submit'), entry('submission.resubmit')]);

    const other = await submitted();
    assert.equal((await send(`/${other.id}/withdrawal`, other.person)).status, 200);
    assert.deepEqual(await entriesOf(other.id), [
      { ...entry('submission.submit'), actor: `account:${other.person.accountId}` },
      { ...entry('submission.withdraw'), actor: `account:${other.person.accountId}` },
    ]);
  });
});
