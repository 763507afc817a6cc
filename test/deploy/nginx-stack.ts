/**
 * Debian's nginx (/usr/sbin/nginx) with the shipped site file, deploy/nginx/jianli.conf, in a temp
 * directory of its own: its ports, certificate and upstream swapped for the test's, nothing else
 * changed. pid, logs and temp files stay inside the directory; the machine's nginx is not touched.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const NGINX = '/usr/sbin/nginx';
export const SITE_FILE = 'deploy/nginx/jianli.conf';

export interface Certificate {
  cert: string;
  key: string;
  /** base64 SHA-256 of the public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spki: string;
}

/** A self-signed certificate for 127.0.0.1, made with openssl as an operator trying it would. */
export function selfSignedCertificate(dir: string): Certificate {
  const cert = join(dir, 'fullchain.pem');
  const key = join(dir, 'privkey.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  const publicKey = execFileSync('openssl', ['x509', '-in', cert, '-noout', '-pubkey']);
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'der'], { input: publicKey });
  const spki = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der }).toString('base64');
  return { cert, key, spki };
}

export interface SitePorts {
  http: number;
  https: number;
  /** The two instances, in place of 3001 and 3002. */
  upstreams: [number, number];
}

/**
 * The shipped site with the test's ports and certificate. Each swapped text must occur exactly
 * once, so a change to the shipped file cannot slip past the test unnoticed.
 */
export function renderSite(site: string, ports: SitePorts, certificate: Certificate, paths: { accessLog: string }): string {
  const swaps: [string, string][] = [
    ['listen 80;', `listen 127.0.0.1:${ports.http};`],
    ['listen [::]:80;', '# (IPv6 listener left out here)'],
    ['listen 443 ssl http2;', `listen 127.0.0.1:${ports.https} ssl http2;`],
    ['listen [::]:443 ssl http2;', '# (IPv6 listener left out here)'],
    ['/etc/ssl/jianli/fullchain.pem', certificate.cert],
    ['/etc/ssl/jianli/privkey.pem', certificate.key],
    ['server 127.0.0.1:3001 ', `server 127.0.0.1:${ports.upstreams[0]} `],
    ['server 127.0.0.1:3002 ', `server 127.0.0.1:${ports.upstreams[1]} `],
    ['/var/log/nginx/jianli.access.log', paths.accessLog],
  ];
  let out = site;
  for (const [from, to] of swaps) {
    const count = out.split(from).length - 1;
    if (count !== 1) throw new Error(`${SITE_FILE}: expected "${from}" once, found it ${count} times`);
    out = out.replace(from, to);
  }
  return out;
}

export interface RunningNginx {
  dir: string;
  process: ChildProcess;
  /** nginx's own log, for a failure's message. */
  errorLog(): string;
  accessLog(): string;
  stop(): Promise<void>;
}

async function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts nginx in the foreground on the rendered site; resolves once it listens on `ports.https`. */
export async function startNginx(dir: string, ports: SitePorts, certificate: Certificate): Promise<RunningNginx> {
  for (const temp of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, temp), { recursive: true });
    // Run as root, nginx's workers are `nobody`: they write request bodies here.
    chmodSync(join(dir, temp), 0o777);
  }
  chmodSync(dir, 0o755);
  const errorLog = join(dir, 'error.log');
  const accessLog = join(dir, 'access.log');
  writeFileSync(join(dir, 'jianli.conf'), renderSite(readFileSync(SITE_FILE, 'utf8'), ports, certificate, { accessLog }));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${errorLog} warn;
events { worker_connections 256; }
http {
    access_log ${join(dir, 'other.log')};
    client_body_temp_path ${join(dir, 'body')};
    proxy_temp_path ${join(dir, 'proxy')};
    fastcgi_temp_path ${join(dir, 'fastcgi')};
    uwsgi_temp_path ${join(dir, 'uwsgi')};
    scgi_temp_path ${join(dir, 'scgi')};
    include ${join(dir, 'jianli.conf')};
}
`,
  );
  const args = ['-p', dir, '-e', errorLog, '-c', join(dir, 'nginx.conf')];
  execFileSync(NGINX, [...args, '-t'], { stdio: 'pipe' });
  const child = spawn(NGINX, args, { stdio: 'ignore' });
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // SIGQUIT: nginx's graceful stop; the workers finish what they serve.
    child.kill('SIGQUIT');
    await exited;
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) break;
    if (await listening(ports.https)) return { dir, process: child, errorLog: () => read(errorLog), accessLog: () => read(accessLog), stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`nginx did not start:\n${read(errorLog)}`);
}
