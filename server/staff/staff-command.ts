/**
 * Staff, employer and machine-client accounts are made here, on the server, never through the app:
 *   npm run staff -- add <用户名> --role reviewer|admin
 *   npm run staff -- add <用户名> --role employer --uscc <统一社会信用代码>
 *   npm run staff -- disable <用户名> | reset-2fa <用户名> | list
 *   npm run staff -- token add <名称> | token revoke <名称>
 * It opens the server's database (DATA_DIR / DATABASE_URL). Exit codes: 0 done, 1 refused, 2 usage.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { renderUnicodeCompact } from 'uqr';
import { isUsccShape, normalizeUscc } from '../../shared/uscc.ts';
import { hashPassword } from '../accounts/password-hash.ts';
import { loadConfig } from '../config.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../db/api-tokens-store.ts';
import { openDatabase, type Storage } from '../db/database.ts';
import { findEnterprise } from '../db/enterprises-store.ts';
import { createStaffAccount, disableStaffAccount, findStaffByUsername, listStaffAccounts, resetStaffTotp } from '../db/staff-accounts-store.ts';
import { deleteStaffSessionsOf } from '../db/staff-sessions-store.ts';
import { DuplicateError } from '../db/storage-errors.ts';
import { type CommandIo, runWhenMain } from '../commands/command-io.ts';
import { STAFF_ROLES, type StaffAccount, type StaffRole } from './staff-account.ts';
import { enrolmentUri, newTotpSecret } from './totp.ts';

export const USAGE = [
  '用法：',
  '  npm run staff -- add <用户名> --role reviewer|admin',
  '  npm run staff -- add <用户名> --role employer --uscc <统一社会信用代码>',
  '  npm run staff -- disable <用户名>',
  '  npm run staff -- reset-2fa <用户名>',
  '  npm run staff -- list',
  '  npm run staff -- token add <名称>',
  '  npm run staff -- token revoke <名称>',
].join('\n');

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const NAME_MESSAGE = '名称只能由字母、数字和 . _ - 组成（1–64 位，以字母或数字开头）';

// No 0/O, 1/l/I: the password is read off a terminal and typed in once.
const ONE_TIME_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 16 characters from 56: about 93 bits, and only good for one password change. */
export function oneTimePassword(): string {
  return Array.from({ length: 16 }, () => ONE_TIME_ALPHABET[randomInt(ONE_TIME_ALPHABET.length)]).join('');
}

function printEnrolment(io: CommandIo, username: string, secret: string): void {
  const uri = enrolmentUri(username, secret);
  io.out(uri);
  io.out(renderUnicodeCompact(uri));
}

type Parsed = { ok: true; positional: string[]; flags: Record<string, string> } | { ok: false };

function parseArgs(args: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('--')) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) return { ok: false };
      flags[arg.slice(2)] = value;
      i++;
    } else positional.push(arg);
  }
  return { ok: true, positional, flags };
}

async function addAccount(storage: Storage, io: CommandIo, username: string, flags: Record<string, string>): Promise<number> {
  const role = flags.role as StaffRole | undefined;
  if (!role || !STAFF_ROLES.includes(role)) {
    io.err('请用 --role 指定角色：reviewer、admin 或 employer');
    return 2;
  }
  let uscc: string | undefined;
  if (role === 'employer') {
    if (flags.uscc === undefined) {
      io.err('聘用单位账号须用 --uscc 指定统一社会信用代码');
      return 2;
    }
    uscc = normalizeUscc(flags.uscc);
    if (!isUsccShape(uscc) || !(await findEnterprise(storage.db, uscc))) {
      io.err(`统一社会信用代码 ${uscc} 不在企业名录中，请核对，或先导入企业名录（npm run enterprises:import）`);
      return 1;
    }
  } else if (flags.uscc !== undefined) {
    io.err('只有聘用单位账号（--role employer）才有统一社会信用代码');
    return 2;
  }
  const password = oneTimePassword();
  const totpSecret = newTotpSecret();
  try {
    await createStaffAccount(storage.db, { username, role, ...(uscc ? { uscc } : {}), passwordHash: await hashPassword(password), totpSecret });
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
    io.err(`用户名 ${username} 已存在`);
    return 1;
  }
  io.out(`password: ${password}`);
  printEnrolment(io, username, totpSecret);
  io.err('一次性密码只显示这一次；首次登录时须修改。请用身份验证器应用扫描二维码，或添加上面的 otpauth 地址。');
  return 0;
}

function stateOf(account: StaffAccount, now: Date): string {
  if (account.disabledAt) return '已停用';
  if (account.lockedUntil && Date.parse(account.lockedUntil) > now.getTime()) return `锁定至 ${account.lockedUntil}`;
  return account.passwordTemporary ? '待修改一次性密码' : '正常';
}

async function list(storage: Storage, io: CommandIo): Promise<number> {
  const now = new Date();
  const accounts = await listStaffAccounts(storage.db);
  io.out(accounts.length === 0 ? '（没有工作人员账号）' : '用户名\t角色\t统一社会信用代码\t状态');
  for (const a of accounts) io.out([a.username, a.role, a.uscc ?? '-', stateOf(a, now)].join('\t'));
  const tokens = await listApiTokens(storage.db);
  io.out(tokens.length === 0 ? '（没有接入令牌）' : '令牌名称\t创建时间\t最近使用\t状态');
  for (const t of tokens) io.out([t.name, t.createdAt, t.lastUsedAt ?? '-', t.revokedAt ? '已吊销' : '有效'].join('\t'));
  return 0;
}

async function onAccount(storage: Storage, io: CommandIo, command: 'disable' | 'reset-2fa', username: string): Promise<number> {
  const account = await findStaffByUsername(storage.db, username);
  if (!account) {
    io.err(`没有用户名为 ${username} 的账号`);
    return 1;
  }
  if (command === 'disable') {
    await disableStaffAccount(storage.db, username);
    await deleteStaffSessionsOf(storage.db, account.id);
    io.out(`已停用 ${username}`);
    return 0;
  }
  const secret = newTotpSecret();
  await resetStaffTotp(storage.db, username, secret);
  // Whoever holds the old authenticator entry must not stay signed in with it.
  await deleteStaffSessionsOf(storage.db, account.id);
  printEnrolment(io, username, secret);
  return 0;
}

async function addToken(storage: Storage, io: CommandIo, name: string): Promise<number> {
  const token = `jlt_${randomBytes(32).toString('base64url')}`;
  try {
    await createApiToken(storage.db, { name, token });
  } catch (err) {
    if (!(err instanceof DuplicateError)) throw err;
    io.err(`令牌名称 ${name} 已存在`);
    return 1;
  }
  io.out(`token: ${token}`);
  io.err('令牌只显示这一次，请妥善保存；调用时放在请求头 Authorization: Bearer <token> 中。');
  return 0;
}

async function revokeToken(storage: Storage, io: CommandIo, name: string): Promise<number> {
  if (!(await revokeApiToken(storage.db, name))) {
    io.err(`没有名称为 ${name} 的有效令牌`);
    return 1;
  }
  io.out(`已吊销令牌 ${name}`);
  return 0;
}

type Command = { verb: 'list' } | { verb: 'add' | 'disable' | 'reset-2fa' | 'token add' | 'token revoke'; name: string };

function commandOf(positional: readonly string[]): Command | undefined {
  const [verb, first, second, ...rest] = positional;
  if (verb === 'list' && first === undefined) return { verb };
  if ((verb === 'add' || verb === 'disable' || verb === 'reset-2fa') && first !== undefined && second === undefined) return { verb, name: first };
  if (verb === 'token' && (first === 'add' || first === 'revoke') && second !== undefined && rest.length === 0) return { verb: `token ${first}`, name: second };
  return undefined;
}

export async function runStaffCommand(args: readonly string[], env: Record<string, string | undefined>, io: CommandIo): Promise<number> {
  const parsed = parseArgs(args);
  const command = parsed.ok ? commandOf(parsed.positional) : undefined;
  if (!parsed.ok || !command || (command.verb !== 'add' && Object.keys(parsed.flags).length > 0)) {
    io.err(USAGE);
    return 2;
  }
  if (command.verb !== 'list' && !NAME.test(command.name)) {
    io.err(NAME_MESSAGE);
    return 2;
  }
  const config = loadConfig(env);
  const storage = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    if (command.verb === 'list') return await list(storage, io);
    if (command.verb === 'add') return await addAccount(storage, io, command.name, parsed.flags);
    if (command.verb === 'token add') return await addToken(storage, io, command.name);
    if (command.verb === 'token revoke') return await revokeToken(storage, io, command.name);
    return await onAccount(storage, io, command.verb, command.name);
  } finally {
    await storage.close();
  }
}

runWhenMain(import.meta.url, runStaffCommand, '操作失败');
