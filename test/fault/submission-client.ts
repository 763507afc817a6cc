/** What the fault tests do as a device would: submit, retry, and check what the server stored. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as v from 'valibot';
import { type SubmissionReceipt, submissionReceiptSchema } from '../../shared/api/submissions.ts';
import type { SignedReceipt } from '../../shared/receipt-signature.ts';
import type { Applicant } from './applicant.ts';

/** The answer of POST /api/submissions (201, and every replay), checked against its documented schema. */
export function parseAnswer(text: string): SubmissionReceipt {
  return v.parse(submissionReceiptSchema, JSON.parse(text));
}

export async function readAnswer(response: Response): Promise<SubmissionReceipt> {
  return parseAnswer(await response.text());
}

export const RETRY_ATTEMPTS = 30;
export const RETRY_PAUSE_MS = 200;

/** The server serves the built client; build it once if it is missing. */
export function ensureClientBuilt(): void {
  if (existsSync('dist/client/index.html')) return;
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', timeout: 300_000 });
  assert.equal(build.status, 0, 'npm run build failed');
}

export function submit(baseUrl: string, applicant: Applicant, key: string): Promise<Response> {
  return fetch(`${baseUrl}/api/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: applicant.cookie, 'idempotency-key': key },
    body: JSON.stringify(applicant.application),
  });
}

/**
 * Sends again until the server answers 201 or 200, as the device's outbox does, bounded: at most
 * RETRY_ATTEMPTS, RETRY_PAUSE_MS apart. A 409 (key in flight, with Retry-After) and a connection error
 * are waited out; any other answer fails at once. `seen` lists the statuses (0: no connection).
 */
export async function retryUntilAnswered(baseUrl: string, applicant: Applicant, key: string) {
  const seen: number[] = [];
  for (let attempt = 1; attempt <= RETRY_ATTEMPTS; attempt++) {
    try {
      const response = await submit(baseUrl, applicant, key);
      const text = await response.text();
      seen.push(response.status);
      if (response.status === 201 || response.status === 200) return { status: response.status, answer: parseAnswer(text), seen };
      assert.equal(response.status, 409, `unexpected ${response.status}: ${text}`);
      assert.equal(response.headers.get('retry-after'), '2');
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      seen.push(0);
    }
    await sleep(RETRY_PAUSE_MS);
  }
  assert.fail(`no answer after ${RETRY_ATTEMPTS} attempts: ${seen.join(',')}`);
}

export async function storedSubmissions(baseUrl: string, applicant: Applicant): Promise<{ id: string; receiptNumber: string }[]> {
  const response = await fetch(`${baseUrl}/api/submissions`, { headers: { cookie: applicant.cookie } });
  assert.equal(response.status, 200);
  return ((await response.json()) as { submissions: { id: string; receiptNumber: string }[] }).submissions;
}

/** Exactly one submission stored, and every answer shows the receipt GET shows; returns that receipt. */
export async function assertStoredOnce(baseUrl: string, applicant: Applicant, answers: SubmissionReceipt[]): Promise<SignedReceipt> {
  const submissions = await storedSubmissions(baseUrl, applicant);
  assert.equal(submissions.length, 1, `stored ${submissions.length} submissions`);
  const only = submissions[0]!;
  const detail = await fetch(`${baseUrl}/api/submissions/${only.id}`, { headers: { cookie: applicant.cookie } });
  assert.equal(detail.status, 200);
  const { receipt } = (await detail.json()) as { receipt: SignedReceipt };
  assert.ok(answers.length > 0, 'no answer got through');
  for (const answer of answers) {
    assert.equal(answer.id, only.id);
    assert.equal(answer.receiptNumber, only.receiptNumber);
    assert.deepEqual(answer.receipt, receipt, 'the same receipt, signature included');
  }
  return receipt;
}

/** Sends the same submission `count` times at once; every answer must be 201, 200 or 409, one of them 201. */
export async function submitAtOnce(baseUrls: string[], applicant: Applicant, key: string, count: number): Promise<SubmissionReceipt[]> {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => submit(baseUrls[i % baseUrls.length]!, applicant, key)));
  const statuses = responses.map((r) => r.status);
  assert.ok(
    statuses.every((s) => s === 201 || s === 200 || s === 409),
    `statuses: ${statuses.join(',')}`,
  );
  assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(',')}`);
  const answers: SubmissionReceipt[] = [];
  for (const response of responses) {
    const text = await response.text();
    if (response.status !== 409) answers.push(parseAnswer(text));
  }
  return answers;
}

/** `text` with its last digit changed. */
export function changeLastDigit(text: string): string {
  const last = Number(text.at(-1));
  return `${text.slice(0, -1)}${(last + 1) % 10}`;
}
