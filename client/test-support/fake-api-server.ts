/**
 * The server's attachment and submission endpoints as the contract describes them, in memory, behind a
 * network client: uploads checked against their SHA-256, submissions idempotent under their key.
 */
import { blobSha256 } from '../data/blob-sha256.ts';
import { NetClient } from '../net/api-client.ts';
import { type FakeAnswer, fakeTransport, type RecordedRequest } from './fake-transport.ts';

/**
 * Usage: `const server = fakeApiServer(); flushOutbox({ db, net: server.net })`, then look at
 * `server.requests`. `answer` overrides it request by request (return undefined to let it answer).
 */
export function fakeApiServer(
  answer?: (request: RecordedRequest, index: number) => FakeAnswer | undefined | Promise<FakeAnswer | undefined>,
) {
  const requests: RecordedRequest[] = [];
  const attachments = new Set<string>();
  const submissions = new Map<string, { body: string; receiptNumber: string }>();
  const handle = async (request: RecordedRequest): Promise<FakeAnswer> => {
    const index = requests.push(request) - 1;
    const forced = await answer?.(request, index);
    if (forced) return forced;
    const sha = request.path.match(/^\/api\/attachments\/([0-9a-f]{64})/)?.[1];
    if (request.method === 'HEAD' && sha) return { status: attachments.has(sha) ? 200 : 404, body: null };
    if (request.method === 'PUT' && sha && request.body instanceof Blob) {
      request.onUploadProgress?.(request.body.size);
      if ((await blobSha256(request.body)) !== sha) return { status: 422, body: { error: '附件内容与编号不符' } };
      attachments.add(sha);
      const kind = new URL(request.path, location.origin).searchParams.get('kind');
      return { status: 201, body: { id: sha, kind, mime: request.body.type, size: request.body.size, width: 295, height: 413 } };
    }
    if (request.method === 'POST' && request.path === '/api/submissions') {
      const key = request.headers['idempotency-key'] ?? '';
      const body = String(request.body);
      const earlier = submissions.get(key);
      if (earlier && earlier.body !== body) return { status: 422, body: { error: '该 Idempotency-Key 已用于另一份申请' } };
      const receiptNumber = earlier?.receiptNumber ?? `JL2026010500000${submissions.size + 1}`;
      submissions.set(key, { body, receiptNumber });
      return {
        status: earlier ? 200 : 201,
        body: {
          id: `sub-${receiptNumber}`,
          receiptNumber,
          submittedAt: '2026-01-05T01:00:00.000Z',
          status: 'submitted',
          bodySha256: 'ab'.repeat(32),
          receipt: {
            receiptNumber,
            submissionId: `sub-${receiptNumber}`,
            submittedAt: '2026-01-05T01:00:00.000Z',
            bodySha256: 'ab'.repeat(32),
            keyId: '0123456789abcdef',
            signature: 'c2lnbmF0dXJl',
          },
        },
      };
    }
    return { status: 404, body: { error: '未找到' } };
  };
  return { net: new NetClient(fakeTransport(handle)), requests, attachments, submissions };
}
