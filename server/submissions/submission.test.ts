import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256Hex } from '../crypto/sha256.ts';
import { submissionBody } from './submission.ts';

describe('submissionBody', () => {
  it('is the canonical JSON, whatever the key order, with the SHA-256 of its UTF-8 bytes', () => {
    const body = submissionBody({ name: '张三', enterprise: { uscc: 'X', name: '公司' } });
    assert.equal(body.json, '{"enterprise":{"name":"公司","uscc":"X"},"name":"张三"}');
    assert.equal(body.sha256, sha256Hex(Buffer.from(body.json, 'utf8')));
    assert.deepEqual(submissionBody({ enterprise: { name: '公司', uscc: 'X' }, name: '张三' }), body);
  });
});
