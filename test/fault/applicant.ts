/**
 * A made-up applicant driven over HTTP against the real server, up to the point of submitting: an
 * account, a passed (development) face check, photo and signature uploaded, an enterprise picked
 * from the directory, and a valid application body.
 */
import sharp from 'sharp';
import { sha256Hex } from '../../server/crypto/sha256.ts';
import { COMMITMENT_VERSION } from '../../shared/commitment.ts';
import { residentIdCheckChar } from '../../shared/resident-id.ts';
import { portraitJpeg } from '../e2e/made-up-person.ts';

export interface Applicant {
  accountId: string;
  /** `name=value` of the session cookie. */
  cookie: string;
  /** A complete, valid application of this person. */
  application: Record<string, unknown>;
}

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄敏', '周杰', '吴昊'];

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: ${response.status} ${text}`);
  return JSON.parse(text) as unknown;
}

/** A signature: a dark stroke on white, as a PNG. */
export function signaturePng(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200">
    <rect width="600" height="200" fill="#ffffff"/>
    <path d="M40 140 C 120 20, 200 180, 280 80 S 440 40, 560 120" stroke="#111111" stroke-width="8" fill="none"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** A small camera frame for the development face check (any decodable image passes). */
export function faceFramePng(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 200, g: 170, b: 150 } } })
    .png()
    .toBuffer();
}

/**
 * Uploads an attachment and returns the id a submission names it by. Uses `PUT /api/attachments/:sha256`
 * (id = SHA-256 of the bytes) where the server has it, else the older `POST /api/attachments`.
 */
export async function uploadAttachment(
  baseUrl: string,
  cookie: string,
  kind: 'photo' | 'signature',
  bytes: Buffer,
  mime: 'image/jpeg' | 'image/png',
): Promise<string> {
  const sha256 = sha256Hex(bytes);
  const init = (method: string): RequestInit => ({
    method,
    headers: { cookie, 'content-type': mime },
    body: new Uint8Array(bytes),
  });
  let response = await fetch(`${baseUrl}/api/attachments/${sha256}?kind=${kind}`, init('PUT'));
  if (response.status === 404 || response.status === 405) {
    await response.body?.cancel();
    response = await fetch(`${baseUrl}/api/attachments?kind=${kind}`, init('POST'));
  }
  const body = (await expectOk(response, `upload ${kind}`)) as { id?: string };
  if (!body.id) throw new Error(`upload ${kind}: no id in the answer`);
  return body.id;
}

/**
 * What a signed-in applicant does before the form is sent: the face check, both uploads, and an employer
 * picked from the directory (the `enterpriseIndex`-th 监理 enterprise, round the list).
 */
export async function readyToApply(baseUrl: string, cookie: string, enterpriseIndex: number) {
  const face = new FormData();
  face.set('consent', 'yes');
  face.set('image', new Blob([new Uint8Array(await faceFramePng())], { type: 'image/png' }), 'face.png');
  await expectOk(await fetch(`${baseUrl}/api/face-verifications`, { method: 'POST', headers: { cookie }, body: face }), 'face');

  const photo = await uploadAttachment(baseUrl, cookie, 'photo', await portraitJpeg(), 'image/jpeg');
  const signature = await uploadAttachment(baseUrl, cookie, 'signature', await signaturePng(), 'image/png');

  const found = (await expectOk(
    await fetch(`${baseUrl}/api/enterprises?q=${encodeURIComponent('监理')}`, { headers: { cookie } }),
    'enterprises',
  )) as { enterprises: Record<string, string>[] };
  const enterprise = found.enterprises[enterpriseIndex % found.enterprises.length];
  if (!enterprise) throw new Error('enterprises: the directory has no 监理 enterprise');
  return { photo, signature, enterprise };
}

/** A new applicant on the server at `baseUrl`; `sequence` (0–999) keeps ID numbers apart on one server. */
export async function prepareApplicant(baseUrl: string, sequence: number): Promise<Applicant> {
  const serial = String(sequence % 1000).padStart(3, '0');
  const first17 = `37010319900315${serial}`;
  const idNumber = first17 + residentIdCheckChar(first17);
  const name = NAMES[sequence % NAMES.length]!;
  const mobile = '13800138000';

  const registered = await fetch(`${baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, idNumber, mobile, password: 'fault-test-2026' }),
  });
  const setCookie = registered.headers.getSetCookie()[0];
  const { account } = (await expectOk(registered, 'register')) as { account: { id: string } };
  if (!setCookie) throw new Error('register: no session cookie');
  const cookie = setCookie.split(';')[0]!;

  const { photo, signature, enterprise } = await readyToApply(baseUrl, cookie, 0);

  return {
    accountId: account.id,
    cookie,
    application: {
      name,
      // 17th digit odd: male.
      sex: Number(serial.at(-1)) % 2 === 1 ? 'male' : 'female',
      idType: 'resident-id',
      idNumber,
      birthDate: '1990-03-15',
      mobile,
      ethnicity: '01',
      education: '21',
      degree: '400',
      school: '同济大学',
      major: '土木工程',
      graduationDate: '2012-07-01',
      enterprise: {
        uscc: enterprise.uscc,
        name: enterprise.name,
        legalRepresentative: enterprise.legalRepresentative,
        province: enterprise.province,
        city: enterprise.city,
      },
      specialty1: '01',
      specialty2: '13',
      photo,
      signature,
      commitment: { version: COMMITMENT_VERSION, choice: 'accept', acceptedAt: new Date().toISOString() },
    },
  };
}
