import { randomUUID } from 'node:crypto';
import { runStaffCommand } from '../../server/staff/staff-command.ts';
import { totpCodeAt } from '../../server/staff/totp.ts';
import { type Applicant, prepareApplicant } from '../fault/applicant.ts';
import { MARKER } from './schema-arbitrary.ts';

/**
 * Who the fuzzed requests come from: nobody, a signed-in applicant (with a submitted application), staff
 * of each role signed in with a real TOTP code, a feed token, and credentials that are made up.
 */

export type IdentityName = 'anonymous' | 'forged' | 'applicant' | 'admin' | 'reviewer' | 'employer' | 'token';

export interface Identities {
  headers: Record<IdentityName, Record<string, string>>;
  applicant: Applicant;
  /** A second applicant whose session the sign-out and closing operations may end. */
  disposable: Record<string, string>;
  /** A third account's session, for register and sign-in, which replace the session they are sent with. */
  spare: Record<string, string>;
  submissionId: string;
  /** Values the server knows, by path or query parameter name, so requests reach past "not found". */
  known: Record<string, string[]>;
}

/** `npm run staff -- <args>` against the server's data directory, run in this process (no start-up per call). */
async function staffCommand(dataDir: string, args: string[]): Promise<string> {
  const lines: string[] = [];
  const code = await runStaffCommand(args, { ...process.env, DATA_DIR: dataDir }, { out: (text) => lines.push(text), err: () => {} });
  if (code !== 0) throw new Error(`npm run staff -- ${args.join(' ')}: exit ${code}`);
  return lines.join('\n');
}

function line(output: string, pattern: RegExp): string {
  const found = pattern.exec(output)?.[1];
  if (!found) throw new Error(`unexpected output of the staff command:\n${output}`);
  return found;
}

/** Adds a staff account and signs it in through the first password change; returns its cookie. */
async function staffSession(baseUrl: string, dataDir: string, username: string, role: string, uscc?: string): Promise<string> {
  const output = await staffCommand(dataDir, ['add', username, '--role', role, ...(uscc ? ['--uscc', uscc] : [])]);
  const password = line(output, /^password: (\S+)$/m);
  const secret = new URL(line(output, /^(otpauth:\/\/totp\/\S+)$/m)).searchParams.get('secret') ?? '';
  const response = await fetch(`${baseUrl}/api/staff/password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, newPassword: 'fuzz-staff-2026', code: totpCodeAt(secret, new Date()) }),
  });
  const cookie = response.headers.getSetCookie()[0]?.split(';')[0];
  if (response.status !== 200 || !cookie) throw new Error(`staff ${username}: ${response.status} ${await response.text()}`);
  return cookie;
}

export async function prepareIdentities(baseUrl: string, dataDir: string): Promise<Identities> {
  const applicant = await prepareApplicant(baseUrl, 1);
  const disposable = await prepareApplicant(baseUrl, 2);
  const registered = await fetch(`${baseUrl}/api/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: '孙丽', idNumber: '370103199003150039', mobile: '13900139000', password: 'fuzz-spare-2026' }),
  });
  const spare = registered.headers.getSetCookie()[0]?.split(';')[0];
  if (registered.status !== 201 || !spare) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const submitted = await fetch(`${baseUrl}/api/submissions`, {
    method: 'POST',
    headers: { cookie: applicant.cookie, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(applicant.application),
  });
  const receipt = (await submitted.json()) as { id?: string };
  if (submitted.status !== 201 || !receipt.id) throw new Error(`submit: ${submitted.status} ${JSON.stringify(receipt)}`);
  const uscc = (applicant.application.enterprise as { uscc: string }).uscc;
  const admin = await staffSession(baseUrl, dataDir, 'fuzz-admin', 'admin');
  const reviewer = await staffSession(baseUrl, dataDir, 'fuzz-reviewer', 'reviewer');
  const employer = await staffSession(baseUrl, dataDir, 'fuzz-employer', 'employer', uscc);
  const tokenOutput = await staffCommand(dataDir, ['token', 'add', 'fuzz-feed']);
  const token = line(tokenOutput, /^token: (\S+)$/m);
  const draftId = randomUUID();
  return {
    headers: {
      anonymous: {},
      forged: {
        cookie: `jl_session=${MARKER}; jl_staff=..%2F${MARKER}`,
        authorization: `Bearer ${MARKER}`,
      },
      applicant: { cookie: applicant.cookie },
      admin: { cookie: admin },
      reviewer: { cookie: reviewer },
      employer: { cookie: employer },
      token: { authorization: `Bearer ${token}` },
    },
    applicant,
    disposable: { cookie: disposable.cookie },
    spare: { cookie: spare },
    submissionId: receipt.id,
    known: {
      id: [receipt.id, draftId],
      sha256: [applicant.application.photo as string, applicant.application.signature as string],
      uscc: [uscc],
      kind: ['photo', 'signature'],
      submission: [receipt.id],
    },
  };
}
