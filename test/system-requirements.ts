import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { CHROMIUM_PATH } from './chromium.mjs';

/** What the test command needs from the operating system, as Debian package names. */
function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(CHROMIUM_PATH)) missing.push('chromium');
  const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql') : [];
  if (!versions.some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))) missing.push('postgresql');
  // The production layout's test (test/deploy/) runs nginx with a certificate openssl makes.
  if (!existsSync('/usr/sbin/nginx')) missing.push('nginx');
  if (!existsSync('/usr/bin/openssl')) missing.push('openssl');
  return missing;
}

/**
 * Installs Chromium, PostgreSQL and nginx with apt-get when they are missing and we may (root on Debian);
 * otherwise says exactly what to run. Returns false when the tests cannot run.
 */
export function ensureSystemPackages(): boolean {
  const missing = missingPackages();
  if (missing.length === 0) return true;
  const packages = [...missing, ...(missing.includes('chromium') ? ['fonts-noto-cjk'] : [])];
  const command = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    console.error(`缺少测试所需的系统软件：${missing.join('、')}。请以 root 运行：${command}`);
    return false;
  }
  console.log(`installing ${packages.join(', ')}: ${command}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0 || missingPackages().length > 0) {
    console.error(`安装失败，请手动运行：${command}`);
    return false;
  }
  return true;
}
