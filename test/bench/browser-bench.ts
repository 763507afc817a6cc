/**
 * The browser figures: bytes of the first screen, of the form and of the precache; loads and the
 * submission on an emulated weak link (DevTools Protocol in Debian's Chromium) beside their physical
 * floor; input-to-paint while typing in the form.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../chromium.mjs';
import { acceptNotice, fillApplicationForm, passFaceVerification, registerNewApplicant } from '../e2e/journey-steps.ts';
import { madeUpIdNumber } from '../e2e/made-up-person.ts';
import { startCountingProxy, type CountingProxy } from './counting-proxy.ts';
import { quantile } from './report.ts';

const WATCH_SCRIPT = readFileSync(new URL('./page-watch.browser.js', import.meta.url), 'utf8');

export interface Profile {
  name: string;
  /** Bits per second each way. */
  kbps: number;
  rttMs: number;
}

export const PROFILES: Profile[] = [
  { name: 'A', kbps: 400, rttMs: 400 },
  { name: 'B', kbps: 400, rttMs: 2000 },
];

const CPU_SLOWDOWN = 4;
const TYPING_CPU_SLOWDOWN = 6;
const PATIENCE_MS = 180_000;

/** What one measured window put on the wire. */
export interface Traffic {
  /** Responses that came over the network (not from a cache or the service worker). */
  requests: number;
  /** Dependent request levels: the document is 1, what it references 2, what those load 3… */
  depth: number;
  /** Bytes down as DevTools counts them (encodedDataLength: headers and compressed bodies). */
  downBytes: number;
  /** Bytes up for the same requests: request line, headers as sent (DevTools extra info), body. */
  upBytes: number;
  /** Bytes up on every TCP connection in the window, the browser's own requests included (a pass-through counts them). */
  upBytesAllConnections: number;
  /** TCP connections opened in the window (Chromium opens some speculatively). */
  connections: number;
  /** gzip -9 and brotli q11 of the decoded bodies, as the server would send them precompressed. */
  gzipBytes: number;
  brotliBytes: number;
  rawBytes: number;
  urls: string[];
}

interface Seen {
  url: string;
  initiatorUrl: string | undefined;
  startedAt: number;
  finishedAt?: number;
  encoded: number;
  network: boolean;
  level: number;
  body?: boolean;
  /** Request line and headers. */
  headUp: number;
  bodyUp: number;
}

/** Follows the page's requests through the DevTools Protocol during one window. */
class Recorder {
  private seen = new Map<string, Seen>();
  private sentHeaders = new Map<string, { head: number; body: number }>();
  private recording = false;

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', (event) => {
      if (!this.recording) return;
      let initiatorUrl = event.initiator.url;
      let stack = event.initiator.stack;
      while (!initiatorUrl && stack) {
        initiatorUrl = stack.callFrames.find((frame) => frame.url)?.url;
        stack = stack.parent;
      }
      const url = new URL(event.request.url);
      const body = event.request.postData === undefined ? 0 : Buffer.byteLength(event.request.postData);
      this.seen.set(event.requestId, {
        url: event.request.url,
        initiatorUrl,
        startedAt: event.timestamp,
        encoded: 0,
        network: true,
        level: 1,
        headUp: Buffer.byteLength(`${event.request.method} ${url.pathname}${url.search} HTTP/1.1\r\n\r\n`),
        bodyUp: body,
      });
    });
    // May come before or after requestWillBeSent: kept apart, joined when the window ends.
    cdp.on('Network.requestWillBeSentExtraInfo', (event) => {
      if (!this.recording) return;
      let head = 0;
      let body = 0;
      for (const [name, value] of Object.entries(event.headers)) {
        head += Buffer.byteLength(`${name}: ${value}\r\n`);
        // A body DevTools does not show (a Blob) still names its size.
        if (name.toLowerCase() === 'content-length') body = Number(value) || 0;
      }
      this.sentHeaders.set(event.requestId, { head, body });
    });
    cdp.on('Network.responseReceived', (event) => {
      const seen = this.seen.get(event.requestId);
      if (!seen) return;
      const r = event.response;
      if (r.fromDiskCache || r.fromServiceWorker || r.fromPrefetchCache) seen.network = false;
      seen.body = event.type !== 'Preflight' && r.status !== 204 && r.status !== 304;
    });
    cdp.on('Network.loadingFinished', (event) => {
      const seen = this.seen.get(event.requestId);
      if (!seen) return;
      seen.encoded = event.encodedDataLength;
      seen.finishedAt = event.timestamp;
      if (event.encodedDataLength === 0) seen.network = false;
    });
  }

  start(): void {
    this.seen.clear();
    this.sentHeaders.clear();
    this.recording = true;
  }

  /** Ends the window; bodies are fetched now, before a later navigation evicts them. */
  async stop(proxy: CountingProxy): Promise<Traffic> {
    this.recording = false;
    const all = [...this.seen.entries()].filter(([, s]) => s.network && s.finishedAt !== undefined);
    for (const [id, s] of all) {
      const sent = this.sentHeaders.get(id);
      if (!sent) continue;
      s.headUp += sent.head;
      s.bodyUp = Math.max(s.bodyUp, sent.body);
    }
    const byUrl = new Map<string, Seen>();
    for (const [, s] of all.sort((a, b) => a[1].startedAt - b[1].startedAt)) {
      const parent = s.initiatorUrl ? byUrl.get(s.initiatorUrl) : undefined;
      // Without its initiator in this window (the navigation; a fetch by a script loaded earlier) a
      // request is one level below the deepest response it started after: timing says it waited for it.
      const waitedFor = all.filter(([, o]) => o !== s && o.finishedAt! <= s.startedAt).map(([, o]) => o.level);
      s.level = parent ? parent.level + 1 : waitedFor.length > 0 ? Math.max(...waitedFor) + 1 : 1;
      if (!byUrl.has(s.url)) byUrl.set(s.url, s);
    }
    let raw = 0;
    let gz = 0;
    let br = 0;
    for (const [id, s] of all) {
      if (!s.body) continue;
      try {
        const { body, base64Encoded } = await this.cdp.send('Network.getResponseBody', { requestId: id });
        const bytes = Buffer.from(body, base64Encoded ? 'base64' : 'utf8');
        raw += bytes.length;
        gz += gzipSync(bytes, { level: 9 }).length;
        br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      } catch {
        // The body is gone (a redirect, an aborted request): it counts on the wire only.
      }
    }
    const counts = proxy.counts();
    return {
      requests: all.length,
      depth: Math.max(0, ...all.map(([, s]) => s.level)),
      downBytes: all.reduce((sum, [, s]) => sum + s.encoded, 0),
      upBytes: all.reduce((sum, [, s]) => sum + s.headUp + s.bodyUp, 0),
      upBytesAllConnections: counts.up,
      connections: counts.connections,
      gzipBytes: gz,
      brotliBytes: br,
      rawBytes: raw,
      urls: all.map(([, s]) => new URL(s.url).pathname),
    };
  }
}

/**
 * The least time the same bytes and round trips need on the link: bytes ÷ bandwidth each way, plus one
 * round trip per dependent request level, plus one for each TCP connection on the critical path (there is
 * no TLS on loopback; a deployment behind HTTPS adds at least one more).
 */
export function floorMs(traffic: Pick<Traffic, 'downBytes' | 'upBytes'>, levels: number, tcpRoundTrips: number, profile: Profile): number {
  const bytesPerMs = (profile.kbps * 1000) / 8 / 1000;
  return traffic.downBytes / bytesPerMs + traffic.upBytes / bytesPerMs + (levels + tcpRoundTrips) * profile.rttMs;
}

interface Tab {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  recorder: Recorder;
}

async function openTab(browser: Browser, baseURL: string, serviceWorkers: 'allow' | 'block'): Promise<Tab> {
  const context = await browser.newContext({ baseURL, locale: 'zh-CN', viewport: { width: 360, height: 640 }, serviceWorkers });
  await context.addInitScript({ content: WATCH_SCRIPT });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  return { context, page, cdp, recorder: new Recorder(cdp) };
}

async function throttle(tab: Tab, profile: Profile | undefined, cpu: number): Promise<void> {
  const bytesPerSecond = profile ? (profile.kbps * 1000) / 8 : -1;
  await tab.cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile?.rttMs ?? 0,
    downloadThroughput: bytesPerSecond,
    uploadThroughput: bytesPerSecond,
  });
  await tab.cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
}

/** What the screen says, through shadow roots: for the message when a screen never became usable. */
function screenText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) walk(el.shadowRoot);
        for (const node of el.childNodes) if (node.nodeType === Node.TEXT_NODE && node.textContent?.trim()) parts.push(node.textContent.trim());
      }
    };
    walk(document);
    return `${location.pathname}: ${parts.join(' | ').slice(0, 600)}`;
  });
}

/**
 * The time page-watch.browser.js notes when `name` becomes usable, told through a console message: the
 * driver runs no script in the page meanwhile (Playwright's waitForFunction would evaluate its own
 * injected script on the page's main thread, a cost no person's phone has, right in the measured window).
 * Call before the action that leads there.
 */
function usableAt(page: Page, name: string): Promise<number> {
  const prefix = `__bench usable ${name} `;
  return page
    .waitForEvent('console', { predicate: (message) => message.text().startsWith(prefix), timeout: PATIENCE_MS })
    .then(
      (message) => Number(message.text().slice(prefix.length)),
      async (err: unknown) => {
        throw new Error(`${name} did not become usable within ${PATIENCE_MS} ms; the screen shows ${await screenText(page).catch(() => '?')}`, { cause: err });
      },
    );
}

/** Loads `path` and returns ms from navigation start to the frame where `target` became usable. */
async function timedLoad(tab: Tab, proxy: CountingProxy, path: string, target: string): Promise<{ ms: number; traffic: Traffic }> {
  proxy.reset();
  tab.recorder.start();
  const usable = usableAt(tab.page, target);
  await tab.page.goto(path, { waitUntil: 'commit', timeout: PATIENCE_MS });
  const ms = await usable;
  return { ms, traffic: await tab.recorder.stop(proxy) };
}

async function untilServiceWorkerControls(page: Page): Promise<void> {
  const ready = await page.evaluate(() =>
    Promise.race([navigator.serviceWorker.ready.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 60_000))]),
  );
  if (!ready) throw new Error('the service worker did not become ready within 60 s');
  for (let i = 0; i < 100 && !(await page.evaluate(() => navigator.serviceWorker.controller !== null)); i++) await page.waitForTimeout(100);
}

/** A signed-in applicant on the form (face check passed, notice accepted), reached on a fast link. */
async function reachForm(tab: Tab): Promise<string> {
  const idNumber = madeUpIdNumber();
  await registerNewApplicant(tab.page, idNumber, { patience: 30_000 });
  await passFaceVerification(tab.page, { patience: 30_000 });
  await acceptNotice(tab.page, { patience: 30_000 });
  await tab.page.getByRole('heading', { name: '基本信息' }).waitFor({ timeout: 30_000 });
  return idNumber;
}

export interface BytesFigures {
  firstScreen: Traffic;
  form: Traffic;
  precache: { files: number; rawBytes: number; gzipBytes: number; brotliBytes: number; swGzipBytes: number };
}

/** The precache as the service worker lists it, plus sw.js itself, each file compressed as served. */
export async function precacheBytes(clientRoot: string): Promise<BytesFigures['precache']> {
  const sw = await readFile(join(clientRoot, 'sw.js'));
  const urls = [...sw.toString('utf8').matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
  let raw = 0;
  let gz = 0;
  let br = 0;
  let swGzip = 0;
  for (const file of ['sw.js', ...urls]) {
    const bytes = await readFile(join(clientRoot, file.split('?')[0]!));
    const g = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length;
    // What is already compressed (PNG) is sent as it is.
    const compressible = !/\.(png|woff2)$/.test(file);
    gz += compressible ? g : bytes.length;
    br += compressible ? brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length : bytes.length;
    if (file === 'sw.js') swGzip = g;
  }
  return { files: urls.length + 1, rawBytes: raw, gzipBytes: gz, brotliBytes: br, swGzipBytes: swGzip };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/**
 * Bytes section: cold first screen and cold form, and the precache from the build. The loads run on
 * profile A's link (CPU not slowed): on a fast link the app goes on to fetch chunks it prefetches while
 * the first frame is still being made, which would be counted as if the screen needed them.
 */
export async function measureBytes(browser: Browser, serverPort: number, clientRoot: string): Promise<BytesFigures> {
  const proxy = await startCountingProxy(serverPort);
  const link = PROFILES[0]!;
  try {
    const first = await openTab(browser, proxy.url, 'block');
    await throttle(first, link, 1);
    const firstScreen = (await timedLoad(first, proxy, '/', 'service')).traffic;
    await first.context.close();

    const formTab = await openTab(browser, proxy.url, 'block');
    await reachForm(formTab);
    await formTab.cdp.send('Network.clearBrowserCache');
    await throttle(formTab, link, 1);
    const form = (await timedLoad(formTab, proxy, '/apply/form', 'form')).traffic;
    await formTab.context.close();
    return { firstScreen, form, precache: await precacheBytes(clientRoot) };
  } finally {
    await proxy.close();
  }
}

export interface Timed {
  ms: number;
  /** The physical floor: bytes ÷ bandwidth + (TCP handshakes + request levels) × RTT. */
  floorMs?: number;
  /**
   * The same without the handshakes: DevTools emulation delays each request by the RTT but does not
   * emulate connection set-up, so this is the least the emulated link can take. The goals are judged
   * on ms ÷ this (the stricter ratio).
   */
  emulatedFloorMs?: number;
  ratio?: number;
  /** ms ÷ the physical floor. */
  physicalRatio?: number;
  traffic?: Traffic;
  /** How the floor's round trips were counted. */
  roundTrips?: string;
  /** Why there is no figure (the screen never became usable in time). */
  error?: string;
}

export interface NetworkFigures {
  profile: Profile;
  firstLoad: Timed;
  formLoad: Timed;
  repeatLoad: Timed;
  offlineStart: Timed;
  submission: Timed;
}

function withFloor(ms: number, traffic: Traffic, levels: number, tcp: number, profile: Profile, roundTrips: string): Timed {
  const floor = floorMs(traffic, levels, tcp, profile);
  const emulated = floorMs(traffic, levels, 0, profile);
  return { ms, floorMs: floor, emulatedFloorMs: emulated, ratio: ms / emulated, physicalRatio: ms / floor, traffic, roundTrips };
}

const failed = (err: unknown): Timed => ({ ms: Number.NaN, error: err instanceof Error ? err.message : String(err) });

/** First visit, repeat load and offline start, with the service worker allowed as on a person's phone. */
async function measureVisit(browser: Browser, proxy: CountingProxy, profile: Profile): Promise<Pick<NetworkFigures, 'firstLoad' | 'repeatLoad' | 'offlineStart'>> {
  const visit = await openTab(browser, proxy.url, 'allow');
  try {
    await throttle(visit, profile, CPU_SLOWDOWN);
    const first = await timedLoad(visit, proxy, '/', 'service');
    const firstLoad = withFloor(first.ms, first.traffic, first.traffic.depth, 1, profile, `1 TCP + ${first.traffic.depth} request levels`);
    // The precache downloads in the background; its completion is not part of any figure.
    await throttle(visit, undefined, 1);
    await untilServiceWorkerControls(visit.page);
    await throttle(visit, profile, CPU_SLOWDOWN);
    const repeat = await timedLoad(visit, proxy, '/', 'service');
    await visit.context.setOffline(true);
    await visit.cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    proxy.reset();
    visit.recorder.start();
    const usable = usableAt(visit.page, 'service');
    await visit.page.reload({ waitUntil: 'commit', timeout: PATIENCE_MS });
    const offlineMs = await usable;
    await visit.recorder.stop(proxy);
    return { firstLoad, repeatLoad: { ms: repeat.ms, traffic: repeat.traffic }, offlineStart: { ms: offlineMs } };
  } finally {
    await visit.context.close();
  }
}

/** The form and the submission: no service worker, so every byte crosses the link. */
async function measureFormAndSubmission(browser: Browser, proxy: CountingProxy, profile: Profile): Promise<Pick<NetworkFigures, 'formLoad' | 'submission'>> {
  const tab = await openTab(browser, proxy.url, 'block');
  try {
    const idNumber = await reachForm(tab);
    await tab.cdp.send('Network.clearBrowserCache');
    await throttle(tab, profile, CPU_SLOWDOWN);
    const form = await timedLoad(tab, proxy, '/apply/form', 'form');
    const formLoad = withFloor(form.ms, form.traffic, form.traffic.depth, 1, profile, `1 TCP + ${form.traffic.depth} request levels`);

    await throttle(tab, undefined, 1);
    await fillApplicationForm(tab.page, idNumber, { patience: 30_000 });
    await throttle(tab, profile, CPU_SLOWDOWN);
    await tab.page.evaluate(() => (window as unknown as { __bench: { arm(n: string): void } }).__bench.arm('receipt'));
    proxy.reset();
    tab.recorder.start();
    const receiptShown = usableAt(tab.page, 'receipt');
    await tab.page.getByRole('button', { name: '下一步' }).click();
    const receiptAt = await receiptShown;
    const clickedAt = await tab.page.evaluate(() => (window as unknown as { __bench: { times: Record<string, number> } }).__bench.times.clickedNext ?? Number.NaN);
    const sent = await tab.recorder.stop(proxy);
    // Unavoidable: the two uploads side by side, then the body that names them; the connection is open.
    const submission = withFloor(receiptAt - clickedAt, sent, 2, 0, profile, '2 request levels (uploads in parallel, then the body); connection already open');
    return { formLoad, submission };
  } finally {
    await tab.context.close();
  }
}

/** Network section for one profile; a figure that fails is reported as failed, the others still run. */
export async function measureNetwork(browser: Browser, serverPort: number, profile: Profile): Promise<NetworkFigures> {
  const proxy = await startCountingProxy(serverPort);
  try {
    const visit = await measureVisit(browser, proxy, profile).catch((err) => ({ firstLoad: failed(err), repeatLoad: failed(err), offlineStart: failed(err) }));
    const form = await measureFormAndSubmission(browser, proxy, profile).catch((err) => ({ formLoad: failed(err), submission: failed(err) }));
    return { profile, ...visit, ...form };
  } finally {
    await proxy.close();
  }
}

export interface TypingFigures {
  keys: number;
  p50: number;
  p95: number;
  max: number;
}

/** Input to paint for 20 characters typed into 毕业院校, the CPU slowed ×6. */
export async function measureTyping(browser: Browser, serverPort: number): Promise<TypingFigures> {
  const proxy = await startCountingProxy(serverPort);
  try {
    const tab = await openTab(browser, proxy.url, 'block');
    await reachForm(tab);
    const field = tab.page.getByLabel('毕业院校');
    await field.click();
    await throttle(tab, undefined, TYPING_CPU_SLOWDOWN);
    // Letters, not Chinese characters: those are inserted without key events (an IME composes them).
    await tab.page.keyboard.type('Tongji University 20', { delay: 150 });
    await tab.page.waitForTimeout(500);
    const keys = await tab.page.evaluate(() => (window as unknown as { __bench: { keys: number[] } }).__bench.keys);
    await tab.context.close();
    return { keys: keys.length, p50: quantile(keys, 0.5), p95: quantile(keys, 0.95), max: Math.max(...keys) };
  } finally {
    await proxy.close();
  }
}
