import { request } from 'node:http';
import type { AnswerSource } from '../../client/net/api-answer.ts';

/** A request that was answered in full: status and body text. */
export interface FullAnswer extends AnswerSource {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request on a connection of its own (no keep-alive), so a fault-injecting proxy that breaks
 * whole connections breaks exactly this request. Rejects when the connection fails or is cut, or
 * after `timeoutMs`, as a phone's fetch would; resolves only with the complete answer.
 */
export function requestOnOwnConnection(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: string | Uint8Array; timeoutMs?: number },
): Promise<FullAnswer> {
  return new Promise((resolve, reject) => {
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : init.body;
    const headers: Record<string, string> = { ...init.headers, connection: 'close' };
    if (body) headers['content-length'] = String(body.byteLength);
    const req = request(url, { method: init.method, headers, agent: false, timeout: init.timeoutMs ?? 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      // 'aborted' then 'close' without 'end': the answer was cut part way.
      res.on('close', () => {
        if (!res.complete) reject(new Error('answer cut before its end'));
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, text: async () => text });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}
