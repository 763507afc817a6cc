/**
 * One simulated device of the soak: an applicant account with a session, its face check passed, its
 * photo and signature uploaded; then an outbox that sends its applications one after another and
 * retries each, under its own Idempotency-Key and the same body, as client/sync/outbox-sender.ts does.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { readAnswer } from '../../client/net/api-answer.ts';
import { type BackoffPolicy, backoffDelay } from '../../client/sync/backoff.ts';
import { retryOrBlock } from '../../client/sync/outbox-outcome.ts';
import { hashPassword } from '../../server/accounts/password-hash.ts';
import { SESSION_COOKIE } from '../../server/accounts/session.ts';
import { createAccount } from '../../server/db/accounts-store.ts';
import type { Storage } from '../../server/db/database.ts';
import { createSession } from '../../server/db/sessions-store.ts';
import { type SubmissionReceipt, submissionReceiptSchema } from '../../shared/api/submissions.ts';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { readyToApply } from '../fault/applicant.ts';
import { requestOnOwnConnection } from './one-connection-request.ts';

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴昊'];
const MOBILE = '13800138000';
const SESSION_DAYS = 30;

export interface SeededPerson {
  accountId: string;
  name: string;
  idNumber: string;
  serial: string;
  cookie: string;
}

/**
 * Accounts and sessions written through the server's own store functions: registration and sign-in
 * are rate limited per address, and every device here comes from 127.0.0.1. One password hash serves
 * all, since nobody signs in with it.
 */
export async function seedPeople(storage: Storage, count: number): Promise<SeededPerson[]> {
  if (count > 1000) throw new Error('at most 1000 devices: the ID numbers use a 3-digit serial');
  const passwordHash = await hashPassword(randomBytes(16).toString('base64url'));
  const people: SeededPerson[] = [];
  for (let i = 0; i < count; i++) {
    const serial = String(i).padStart(3, '0');
    const first17 = `11010519850607${serial}`;
    const idNumber = first17 + residentIdCheckChar(first17);
    const name = NAMES[i % NAMES.length]!;
    const account = await createAccount(storage.db, { name, idNumber, mobile: MOBILE, passwordHash });
    const token = randomBytes(32).toString('base64url');
    await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000) });
    people.push({ accountId: account.id, name, idNumber, serial, cookie: `${SESSION_COOKIE}=${token}` });
  }
  return people;
}

/** What every application of one device shares: the person, the uploads, the employer. */
export interface Device {
  index: number;
  person: SeededPerson;
  photo: string;
  signature: string;
  enterprise: Record<string, string>;
}

/** The face check and both uploads through the API, straight to the server (before the faults begin). */
export async function prepareDevice(baseUrl: string, index: number, person: SeededPerson): Promise<Device> {
  const { photo, signature, enterprise } = await readyToApply(baseUrl, person.cookie, index);
  return { index, person, photo, signature, enterprise };
}

/**
 * The body of application `n`: complete and valid, and unlike every other one (its commitment was
 * accepted at its own second), so two stored rows with one body are one application stored twice.
 */
export function applicationBody(device: Device, n: number): Record<string, unknown> {
  const { person, enterprise } = device;
  return {
    name: person.name,
    // 17th digit odd: male.
    sex: Number(person.serial.at(-1)) % 2 === 1 ? 'male' : 'female',
    idType: 'resident-id',
    idNumber: person.idNumber,
    birthDate: '1985-06-07',
    mobile: MOBILE,
    ethnicity: '01',
    education: '21',
    degree: '400',
    school: '同济大学',
    major: '土木工程',
    graduationDate: '2008-07-01',
    enterprise: {
      uscc: enterprise.uscc,
      name: enterprise.name,
      legalRepresentative: enterprise.legalRepresentative,
      province: enterprise.province,
      city: enterprise.city,
    },
    specialty1: '01',
    specialty2: '13',
    photo: device.photo,
    signature: device.signature,
    commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString() },
  };
}

/** One application in a device's outbox, and what became of it. */
export interface OutboxItem {
  /** Its number across the whole run. */
  n: number;
  device: number;
  accountId: string;
  /** The Idempotency-Key, made once when the item is queued and kept until it is acknowledged. */
  key: string;
  attempts: number;
  acknowledged?: SubmissionReceipt;
  /** Why the device stopped trying (a refusal, or too many attempts): the application is lost. */
  gaveUp?: string;
  /** The time bound came first. */
  unfinished?: boolean;
}

export interface OutboxRun {
  /** Where requests go (the fault-injecting proxy). */
  baseUrl: string;
  backoff: BackoffPolicy;
  maxAttempts: number;
  /** Epoch ms after which nothing more is sent. */
  deadline: number;
  random: () => number;
  /** Counts one answer by status (0: no answer). */
  onAnswer(status: number): void;
  onAcknowledged(item: OutboxItem): void;
}

/** Sends one item until it is acknowledged, refused, out of attempts, or out of time. */
async function sendUntilAcknowledged(run: OutboxRun, item: OutboxItem, cookie: string, body: string): Promise<void> {
  for (let failures = 0; failures < run.maxAttempts; ) {
    if (Date.now() >= run.deadline) {
      item.unfinished = true;
      return;
    }
    item.attempts++;
    const answer = await readAnswer(
      requestOnOwnConnection(`${run.baseUrl}/api/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'idempotency-key': item.key },
        body,
      }),
      submissionReceiptSchema,
    );
    run.onAnswer(answer.status);
    if (answer.ok) {
      item.acknowledged = answer.data;
      run.onAcknowledged(item);
      return;
    }
    // The device's own reading of the answer: only a requeue is tried again, under the same key.
    const outcome = retryOrBlock(answer);
    if (outcome?.kind !== 'requeue') {
      item.gaveUp = `${answer.status} ${answer.error}`;
      return;
    }
    failures++;
    const pause = backoffDelay(failures, run.random, run.backoff);
    await sleep(Math.max(0, Math.min(pause, run.deadline - Date.now())));
  }
  item.gaveUp = `no answer after ${run.maxAttempts} attempts`;
}

/** Queues the applications numbered `numbers`, each under a fresh key, and sends them in order. */
export async function runOutbox(run: OutboxRun, device: Device, numbers: number[]): Promise<OutboxItem[]> {
  const items: OutboxItem[] = numbers.map((n) => ({ n, device: device.index, accountId: device.person.accountId, key: randomUUID(), attempts: 0 }));
  for (const item of items) {
    if (Date.now() >= run.deadline) {
      item.unfinished = true;
      continue;
    }
    await sendUntilAcknowledged(run, item, device.person.cookie, JSON.stringify(applicationBody(device, item.n)));
  }
  return items;
}
