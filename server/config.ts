import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import * as v from 'valibot';
import { EMPTY_CALENDAR, type HolidayCalendar, parseHolidayCalendar } from '../shared/review/working-days.ts';
import { LOG_LEVELS, type LogLevel } from './observability/logger.ts';
import { parseSigningKey } from './receipts/signing-key.ts';

/** Server configuration, read once from the environment and validated before anything starts. */
export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  production: boolean;
  /** Ed25519 key that signs receipts; unset: the server makes one and keeps it in the database. */
  receiptSigningKey: KeyObject | undefined;
  /** How often a running instance looks for a rotated receipt key (RECEIPT_KEY_CHECK_SECONDS, default 60). */
  receiptKeyCheckSeconds: number;
  /** How long an in-flight submission holds its Idempotency-Key before a retry may take it over. */
  submissionLockSeconds: number;
  /** Public holidays and worked weekends (HOLIDAY_CALENDAR_FILE); unset: weekends only. */
  holidayCalendar: HolidayCalendar;
  /** Which gateway sends text messages (SMS_PROVIDER); unset: the development one, refused in production. */
  smsProvider: SmsProviderName | undefined;
  /** Proxies whose X-Forwarded-For is believed (TRUSTED_PROXIES: addresses or CIDR ranges); empty: none. */
  trustedProxies: string[];
  /** How long a stopping instance lets requests in flight finish (SHUTDOWN_GRACE_SECONDS, default 10). */
  shutdownGraceSeconds: number;
  /** Drafts untouched this many days are deleted by `npm run retention` (DRAFT_RETENTION_DAYS, default 90). */
  draftRetentionDays: number;
  /** Audit entries are kept online at least this many days (AUDIT_RETENTION_DAYS, default and minimum 183: MLPS level 3). */
  auditRetentionDays: number;
  /** Bearer token that may read GET /metrics (METRICS_TOKEN); with METRICS_ALLOW unset too, metrics are off. */
  metricsToken: string | undefined;
  /** Addresses that may read GET /metrics without the token (METRICS_ALLOW, comma-separated). */
  metricsAllow: string[];
  /** Least important log line still written (LOG_LEVEL, default info). */
  logLevel: LogLevel;
}

/** The text-message gateways this build can use (server/notices/sms-provider.ts). */
export const SMS_PROVIDERS = ['development'] as const;
export type SmsProviderName = (typeof SMS_PROVIDERS)[number];

const portSchema = v.pipe(
  v.string(),
  v.regex(/^\d{1,5}$/, 'PORT 应为 1–65535 之间的整数'),
  v.transform(Number),
  v.minValue(1, 'PORT 应为 1–65535 之间的整数'),
  v.maxValue(65535, 'PORT 应为 1–65535 之间的整数'),
);

const SIGNING_KEY_MESSAGE = 'RECEIPT_SIGNING_KEY 应为 Ed25519 私钥（PKCS#8 PEM，或其 DER 的 base64）';
const KEY_CHECK_MESSAGE = 'RECEIPT_KEY_CHECK_SECONDS 应为 1–3600 之间的整数';
const LOCK_SECONDS_MESSAGE = 'SUBMISSION_LOCK_SECONDS 应为 1–3600 之间的整数';
const HOLIDAY_CALENDAR_MESSAGE =
  'HOLIDAY_CALENDAR_FILE 应为可读取的 JSON 文件：{ "holidays": ["YYYY-MM-DD", …], "workingWeekends": ["YYYY-MM-DD", …] }';

const DRAFT_RETENTION_MESSAGE = 'DRAFT_RETENTION_DAYS 应为 1–3650 之间的整数（天）';
const AUDIT_RETENTION_MESSAGE = 'AUDIT_RETENTION_DAYS 应为 183–36500 之间的整数（天）：等保三级要求审计记录至少保存 6 个月';

const daysSchema = (min: number, max: number, message: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,5}$/, message), v.transform(Number), v.minValue(min, message), v.maxValue(max, message));

const TRUSTED_PROXIES_MESSAGE = 'TRUSTED_PROXIES 应为以逗号分隔的 IP 地址或网段，如 127.0.0.1,10.0.0.0/8';
const GRACE_SECONDS_MESSAGE = 'SHUTDOWN_GRACE_SECONDS 应为 1–300 之间的整数';

/** One TRUSTED_PROXIES entry: an IPv4/IPv6 address, optionally with a prefix length. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const METRICS_TOKEN_MESSAGE = 'METRICS_TOKEN 应为至少 16 个字符、不含空格的令牌';
const METRICS_ALLOW_MESSAGE = 'METRICS_ALLOW 应为以逗号分隔的 IP 地址，如 127.0.0.1,::1';

const envSchema = v.object({
  TRUSTED_PROXIES: v.optional(
    v.pipe(
      v.string(),
      v.transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')),
      v.check((entries) => entries.every(isAddressOrRange), TRUSTED_PROXIES_MESSAGE),
    ),
  ),
  SHUTDOWN_GRACE_SECONDS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, GRACE_SECONDS_MESSAGE),
      v.transform(Number),
      v.minValue(1, GRACE_SECONDS_MESSAGE),
      v.maxValue(300, GRACE_SECONDS_MESSAGE),
    ),
    '10',
  ),
  DRAFT_RETENTION_DAYS: v.optional(daysSchema(1, 3650, DRAFT_RETENTION_MESSAGE), '90'),
  AUDIT_RETENTION_DAYS: v.optional(daysSchema(183, 36500, AUDIT_RETENTION_MESSAGE), '183'),
  METRICS_TOKEN: v.optional(v.pipe(v.string(), v.regex(/^[\x21-\x7e]{16,}$/, METRICS_TOKEN_MESSAGE))),
  METRICS_ALLOW: v.optional(
    v.pipe(
      v.string(),
      v.transform((value) => value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')),
      v.check((entries) => entries.every((entry) => isIP(entry) !== 0), METRICS_ALLOW_MESSAGE),
    ),
  ),
  LOG_LEVEL: v.optional(v.picklist(LOG_LEVELS, `LOG_LEVEL 应为 ${LOG_LEVELS.join('、')}`), 'info'),
  SMS_PROVIDER: v.optional(v.picklist(SMS_PROVIDERS, `SMS_PROVIDER 应为 ${SMS_PROVIDERS.join('、')}`)),
  PORT: v.optional(portSchema, '3000'),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('HOST 不能为空'))),
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty('DATA_DIR 不能为空')), './data'),
  DATABASE_URL: v.optional(
    v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL 应为 postgres:// 开头的连接地址')),
  ),
  NODE_ENV: v.optional(v.picklist(['development', 'production', 'test'], 'NODE_ENV 应为 development、production 或 test')),
  RECEIPT_SIGNING_KEY: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return parseSigningKey(dataset.value);
        } catch {
          addIssue({ message: SIGNING_KEY_MESSAGE });
          return NEVER;
        }
      }),
    ),
  ),
  RECEIPT_KEY_CHECK_SECONDS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, KEY_CHECK_MESSAGE),
      v.transform(Number),
      v.minValue(1, KEY_CHECK_MESSAGE),
      v.maxValue(3600, KEY_CHECK_MESSAGE),
    ),
    '60',
  ),
  SUBMISSION_LOCK_SECONDS: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, LOCK_SECONDS_MESSAGE),
      v.transform(Number),
      v.minValue(1, LOCK_SECONDS_MESSAGE),
      v.maxValue(3600, LOCK_SECONDS_MESSAGE),
    ),
    '30',
  ),
  HOLIDAY_CALENDAR_FILE: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return parseHolidayCalendar(JSON.parse(readFileSync(dataset.value, 'utf8')));
        } catch (err) {
          // The reason names the wrong entry (or that the file is missing), never the file's content.
          const reason = err instanceof Error && !(err instanceof SyntaxError) && !('code' in err) ? `（${err.message}）` : '';
          addIssue({ message: `${HOLIDAY_CALENDAR_MESSAGE}${reason}` });
          return NEVER;
        }
      }),
    ),
  ),
});

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty variables count as unset, as shells and .env files often leave them so. */
function present(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}

export function loadConfig(env: Record<string, string | undefined>): Config {
  const picked = present({
    PORT: env.PORT,
    HOST: env.HOST,
    DATA_DIR: env.DATA_DIR,
    DATABASE_URL: env.DATABASE_URL,
    NODE_ENV: env.NODE_ENV,
    RECEIPT_SIGNING_KEY: env.RECEIPT_SIGNING_KEY,
    RECEIPT_KEY_CHECK_SECONDS: env.RECEIPT_KEY_CHECK_SECONDS,
    SUBMISSION_LOCK_SECONDS: env.SUBMISSION_LOCK_SECONDS,
    HOLIDAY_CALENDAR_FILE: env.HOLIDAY_CALENDAR_FILE,
    SMS_PROVIDER: env.SMS_PROVIDER,
    TRUSTED_PROXIES: env.TRUSTED_PROXIES,
    SHUTDOWN_GRACE_SECONDS: env.SHUTDOWN_GRACE_SECONDS,
    DRAFT_RETENTION_DAYS: env.DRAFT_RETENTION_DAYS,
    AUDIT_RETENTION_DAYS: env.AUDIT_RETENTION_DAYS,
    METRICS_TOKEN: env.METRICS_TOKEN,
    METRICS_ALLOW: env.METRICS_ALLOW,
    LOG_LEVEL: env.LOG_LEVEL,
  });
  const result = v.safeParse(envSchema, picked);
  if (!result.success) {
    // Only the message: the value itself may be a secret (DATABASE_URL carries a password).
    throw new ConfigError(`配置错误：${result.issues.map((issue) => issue.message).join('；')}`);
  }
  const out = result.output;
  return {
    port: out.PORT,
    host: out.HOST,
    dataDir: out.DATA_DIR,
    databaseUrl: out.DATABASE_URL,
    production: out.NODE_ENV === 'production',
    receiptSigningKey: out.RECEIPT_SIGNING_KEY,
    receiptKeyCheckSeconds: out.RECEIPT_KEY_CHECK_SECONDS,
    submissionLockSeconds: out.SUBMISSION_LOCK_SECONDS,
    holidayCalendar: out.HOLIDAY_CALENDAR_FILE ?? EMPTY_CALENDAR,
    smsProvider: out.SMS_PROVIDER,
    trustedProxies: out.TRUSTED_PROXIES ?? [],
    shutdownGraceSeconds: out.SHUTDOWN_GRACE_SECONDS,
    draftRetentionDays: out.DRAFT_RETENTION_DAYS,
    auditRetentionDays: out.AUDIT_RETENTION_DAYS,
    metricsToken: out.METRICS_TOKEN,
    metricsAllow: out.METRICS_ALLOW ?? [],
    logLevel: out.LOG_LEVEL,
  };
}
