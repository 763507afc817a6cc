import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, type Page } from '@playwright/test';
import type { FeedEvent } from '../../shared/api/feed.ts';
import { totpCodeAt } from '../../server/staff/totp.ts';

/**
 * The staff side as a new user meets it: accounts and tokens made with `npm run staff`, codes from an
 * authenticator, the console driven by keyboard, and a machine client following the change feed.
 */

const run = promisify(execFile);

/** `npm run staff -- <args>` against the server's data directory, as an operator would type it. */
export async function staffCommand(dataDir: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('npm', ['run', 'staff', '--', ...args], { env: { ...process.env, DATA_DIR: dataDir } });
  return stdout;
}

function lineValue(output: string, pattern: RegExp, what: string): string {
  const found = pattern.exec(output)?.[1];
  if (!found) throw new Error(`no ${what} in the command's output:\n${output}`);
  return found;
}

const STEP_MS = 30_000;

/**
 * What an authenticator app holds for one account. The server accepts each time step once and one step
 * either side of its clock, so a second code within the same 30 s is the next step's; a third waits.
 */
export class Authenticator {
  private lastStep = -1;
  constructor(readonly secret: string) {}

  async code(): Promise<string> {
    for (;;) {
      const current = Math.floor(Date.now() / STEP_MS);
      const step = Math.max(current, this.lastStep + 1);
      if (step <= current + 1) {
        this.lastStep = step;
        return totpCodeAt(this.secret, new Date(step * STEP_MS + 1_000));
      }
      await new Promise((resolve) => setTimeout(resolve, (current + 1) * STEP_MS - Date.now() + 50));
    }
  }
}

export interface NewStaffAccount {
  username: string;
  /** The one-time password the command printed. */
  password: string;
  authenticator: Authenticator;
}

/** `npm run staff -- add <username> --role <role> [--uscc <uscc>]`, its password and TOTP secret read back. */
export async function addStaffAccount(dataDir: string, username: string, role: 'reviewer' | 'admin' | 'employer', uscc?: string): Promise<NewStaffAccount> {
  const output = await staffCommand(dataDir, ['add', username, '--role', role, ...(uscc ? ['--uscc', uscc] : [])]);
  const password = lineValue(output, /^password: (\S+)$/m, 'password');
  const uri = new URL(lineValue(output, /^(otpauth:\/\/totp\/\S+)$/m, 'otpauth URI'));
  expect(uri.searchParams.get('issuer')).toBeTruthy();
  return { username, password, authenticator: new Authenticator(uri.searchParams.get('secret')!) };
}

/** `npm run staff -- token add <name>`: the token, shown once. */
export async function addApiToken(dataDir: string, name: string): Promise<string> {
  return lineValue(await staffCommand(dataDir, ['token', 'add', name]), /^token: (\S+)$/m, 'token');
}

/**
 * A province's system polling GET /api/staff/feed with its token from the first event on, keeping
 * nextCursor between polls, as the README's example loop does.
 */
export class FeedFollower {
  readonly events: FeedEvent[] = [];
  private cursor: string | undefined;
  private running = true;
  private readonly loop: Promise<unknown>;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly intervalMs = 300,
  ) {
    this.loop = this.follow();
  }

  private async poll(): Promise<void> {
    const url = new URL('/api/staff/feed', this.baseUrl);
    if (this.cursor) url.searchParams.set('cursor', this.cursor);
    url.searchParams.set('limit', '2');
    const response = await fetch(url, { headers: { Authorization: `Bearer ${this.token}` } });
    if (response.status !== 200) throw new Error(`feed answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as { events: FeedEvent[]; nextCursor: string };
    this.events.push(...page.events);
    this.cursor = page.nextCursor;
    // A full page: more may be waiting, read on at once.
    if (page.events.length === 2) await this.poll();
  }

  /** Polls until stopped; a failed poll ends the loop and is rethrown by stop(). */
  private async follow(): Promise<unknown> {
    try {
      while (this.running) {
        await this.poll();
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    } catch (err) {
      return err;
    }
    return undefined;
  }

  /** Stops after one last poll, so every committed event has been read. */
  async stop(): Promise<FeedEvent[]> {
    this.running = false;
    const failure = await this.loop;
    if (failure) throw failure;
    await this.poll();
    return this.events;
  }
}

/** The focused element's name as a person hears it: an input's label, else its text, through shadow roots. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return '';
    const named = (active as HTMLInputElement).labels?.[0] ?? active;
    // What is hidden from assistive technology (the required mark) is not part of the name.
    const copy = named.cloneNode(true) as Element;
    for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
    return (active.getAttribute('aria-label') ?? copy.textContent ?? '').replace(/\s+/g, ' ').trim();
  });
}

/** Presses Tab until the focused element is called `name` (the way a keyboard user gets there). */
export async function tabTo(page: Page, name: string, most = 60): Promise<void> {
  for (let presses = 0; presses < most; presses++) {
    await page.keyboard.press('Tab');
    if ((await focusedName(page)) === name) return;
  }
  throw new Error(`${most} presses of Tab did not reach ${name}; focus is on ${await focusedName(page)}`);
}

/** Types into the focused field, then checks it was the one expected. */
async function typeInto(page: Page, name: string, text: string): Promise<void> {
  await expect.poll(() => focusedName(page)).toBe(name);
  await page.keyboard.type(text);
}

/**
 * 登录 at /staff with the keyboard only. With the one-time password it leads to 设置新密码, done with the
 * keyboard too, which signs in with `newPassword`; returns the password the account has afterwards.
 */
export async function signInByKeyboard(page: Page, account: NewStaffAccount, newPassword?: string): Promise<string> {
  await expect(page.getByRole('heading', { name: '工作人员登录' })).toBeVisible();
  const password = account.password;
  await tabTo(page, '用户名');
  await typeInto(page, '用户名', account.username);
  await tabTo(page, '密码');
  await typeInto(page, '密码', password);
  await tabTo(page, '动态验证码');
  const code = await account.authenticator.code();
  await typeInto(page, '动态验证码', code);
  await page.keyboard.press('Enter');
  if (!newPassword) return password;

  await expect(page.getByRole('heading', { name: '设置新密码' })).toBeVisible();
  // The code was not used up by the refused sign-in: the same one completes the change.
  await typeInto(page, '新密码', newPassword);
  await tabTo(page, '再次输入新密码');
  await typeInto(page, '再次输入新密码', newPassword);
  await tabTo(page, '动态验证码');
  await typeInto(page, '动态验证码', code);
  await page.keyboard.press('Enter');
  account.password = newPassword;
  return newPassword;
}

/** RFC 4180 rows of a CSV text (every cell quoted or not, CRLF line ends). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += char;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}
