import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { issuesByField } from '../field-issues.ts';
import { idempotencyKeyHeaderSchema, submissionListSchema, submissionReceiptSchema } from './submissions.ts';

const KEY = '0f8fad5b-d9cb-469f-a165-70867728950e';

function messageOf(headers: Record<string, string>): string | undefined {
  const result = v.safeParse(idempotencyKeyHeaderSchema, headers);
  return result.success ? undefined : issuesByField(result.issues)[0]?.message;
}

describe('idempotencyKeyHeaderSchema', () => {
  it('takes a UUID in any case, trimmed, as lower case, and leaves other headers alone', () => {
    const parsed = v.parse(idempotencyKeyHeaderSchema, { 'idempotency-key': ` ${KEY.toUpperCase()} `, host: 'example.org' });
    assert.equal(parsed['idempotency-key'], KEY);
    assert.equal(parsed.host, 'example.org');
  });

  it('says the header is missing when absent or blank, and malformed otherwise', () => {
    assert.equal(messageOf({}), '缺少 Idempotency-Key 请求头');
    assert.equal(messageOf({ 'idempotency-key': '  ' }), '缺少 Idempotency-Key 请求头');
    assert.equal(messageOf({ 'idempotency-key': 'not-a-uuid' }), 'Idempotency-Key 请求头应为 UUID');
    assert.equal(messageOf({ 'idempotency-key': `${KEY}0` }), 'Idempotency-Key 请求头应为 UUID');
  });
});

describe('answers on the device', () => {
  const receipt = {
    receiptNumber: 'JL20260301000001',
    submissionId: KEY,
    submittedAt: '2026-03-01T00:00:00.000Z',
    bodySha256: 'a'.repeat(64),
    keyId: 'b'.repeat(16),
    signature: 'c'.repeat(86),
  };
  const answer = { id: KEY, receiptNumber: receipt.receiptNumber, submittedAt: receipt.submittedAt, status: 'submitted', bodySha256: receipt.bodySha256, receipt };

  it('parses a receipt and ignores keys a newer server adds', () => {
    const parsed = v.safeParse(submissionReceiptSchema, { ...answer, extra: 1, receipt: { ...receipt, note: 'x' } });
    assert.ok(parsed.success);
    assert.deepEqual(parsed.output, answer);
  });

  it('refuses an answer that lacks the signed receipt or a status', () => {
    const { receipt: _receipt, ...unsigned } = answer;
    assert.equal(v.safeParse(submissionReceiptSchema, unsigned).success, false);
    assert.equal(v.safeParse(submissionReceiptSchema, { ...answer, status: 7 }).success, false);
    assert.equal(
      v.safeParse(submissionListSchema, { submissions: [{ id: KEY, receiptNumber: 'JL1', submittedAt: receipt.submittedAt, status: 'accepted' }] }).success,
      false,
      'statusLabel is required',
    );
  });

  it('keeps a status a newer server adds, so an older device still lists the application', () => {
    const row = { id: KEY, receiptNumber: 'JL1', submittedAt: receipt.submittedAt, status: 'archived', statusLabel: '已归档', version: 1 };
    const parsed = v.safeParse(submissionListSchema, { submissions: [row] });
    assert.ok(parsed.success);
    assert.equal(parsed.output.submissions[0]?.status, 'archived');
  });
});
