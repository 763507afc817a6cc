/**
 * For the review tests: staff and employer accounts signed in by their own cookie, machine tokens, and
 * applicants who submit a real application through the API.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import type { Enterprise } from '../../shared/enterprise.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { SESSION_COOKIE } from '../../server/accounts/session.ts';
import { sha256Hex } from '../../server/crypto/sha256.ts';
import { createAccount } from '../../server/db/accounts-store.ts';
import { createApiToken } from '../../server/db/api-tokens-store.ts';
import { putAttachment } from '../../server/db/attachments-store.ts';
import type { Storage } from '../../server/db/database.ts';
import { recordFaceVerification } from '../../server/db/face-verifications-store.ts';
import { createSession } from '../../server/db/sessions-store.ts';
import { createStaffAccount } from '../../server/db/staff-accounts-store.ts';
import { createStaffSession } from '../../server/db/staff-sessions-store.ts';
import type { StaffRole } from '../../server/staff/staff-account.ts';
import { STAFF_COOKIE } from '../../server/staff/staff-auth.ts';
import { testIdNumber } from './route-fixtures.ts';

export function testEnterprise(serial: string, name: string, province: string): Enterprise {
  const first17 = `9137010${serial.padStart(10, '0')}`;
  return { uscc: first17 + usccCheckChar(first17), name, legalRepresentative: '张三', province, city: '某市' };
}

export interface SignedInStaff {
  id: string;
  cookie: string;
}

/** An account of `role` with a live session: its password and second factor are the sign-in tests' business. */
export async function signedInStaff(storage: Storage, role: StaffRole, uscc?: string): Promise<SignedInStaff> {
  const account = await createStaffAccount(storage.db, {
    username: `${role}-${randomUUID().slice(0, 8)}`,
    role,
    ...(uscc === undefined ? {} : { uscc }),
    passwordHash: 'not-used-here',
    totpSecret: 'JBSWY3DPEHPK3PXP',
  });
  const token = randomBytes(32).toString('base64url');
  await createStaffSession(storage.db, { token, staffId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
  return { id: account.id, cookie: `${STAFF_COOKIE}=${token}` };
}

/** A machine client's Authorization header. */
export async function bearerToken(storage: Storage, name: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await createApiToken(storage.db, { name, token });
  return `Bearer ${token}`;
}

export interface TestApplicant {
  accountId: string;
  cookie: string;
  photo: { id: string; bytes: Uint8Array };
  signature: { id: string; bytes: Uint8Array };
  name: string;
  idNumber: string;
  sex: 'male' | 'female';
}

/** A signed-up person who passed the face check and uploaded a photo and a signature. */
export async function testApplicant(storage: Storage, sequence: number, name: string): Promise<TestApplicant> {
  const idNumber = testIdNumber(sequence);
  const account = await createAccount(storage.db, { name, idNumber, mobile: '13800138000', passwordHash: 'not-used-here' });
  const token = randomBytes(32).toString('base64url');
  await createSession(storage.db, { token, accountId: account.id, expiresAt: new Date(Date.now() + 3600_000) });
  await recordFaceVerification(storage.db, { accountId: account.id, result: 'pass', provider: 'test', reference: randomUUID() });
  const upload = async (kind: 'photo' | 'signature') => {
    const bytes = new Uint8Array(randomBytes(64));
    await putAttachment(storage.db, { accountId: account.id, id: sha256Hex(bytes), kind, mime: 'image/jpeg', bytes });
    return { id: sha256Hex(bytes), bytes };
  };
  return {
    accountId: account.id,
    cookie: `${SESSION_COOKIE}=${token}`,
    photo: await upload('photo'),
    signature: await upload('signature'),
    name,
    idNumber,
    sex: sequence % 2 === 1 ? 'male' : 'female',
  };
}

export function applicationOf(person: TestApplicant, enterprise: Enterprise, specialties: [string, string] = ['01', '13']) {
  return {
    name: person.name,
    sex: person.sex,
    idType: 'resident-id',
    idNumber: person.idNumber,
    birthDate: '1990-01-01',
    mobile: '13800138000',
    ethnicity: '01',
    education: '21',
    degree: '400',
    school: '同济大学',
    major: '土木工程',
    graduationDate: '2012-07-01',
    enterprise,
    specialty1: specialties[0],
    specialty2: specialties[1],
    photo: person.photo.id,
    signature: person.signature.id,
    commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
  };
}
