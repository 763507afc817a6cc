import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { EMPTY_CALENDAR, type HolidayCalendar, parseHolidayCalendar } from '../shared/review/working-days.ts';
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
  /** How long an in-flight submission holds its Idempotency-Key before a retry may take it over. */
  submissionLockSeconds: number;
  /** Public holidays and worked weekends (HOLIDAY_CALENDAR_FILE); unset: weekends only. */
  holidayCalendar: HolidayCalendar;
  /** Which gateway sends text messages (SMS_PROVIDER); unset: the development one, refused in production. */
  smsProvider: SmsProviderName | undefined;
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
const LOCK_SECONDS_MESSAGE = 'SUBMISSION_LOCK_SECONDS 应为 1–3600 之间的整数';
const HOLIDAY_CALENDAR_MESSAGE =
  'HOLIDAY_CALENDAR_FILE 应为可读取的 JSON 文件：{ "holidays": ["YYYY-MM-DD", …], "workingWeekends": ["YYYY-MM-DD", …] }';

const envSchema = v.object({
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
    SUBMISSION_LOCK_SECONDS: env.SUBMISSION_LOCK_SECONDS,
    HOLIDAY_CALENDAR_FILE: env.HOLIDAY_CALENDAR_FILE,
    SMS_PROVIDER: env.SMS_PROVIDER,
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
    submissionLockSeconds: out.SUBMISSION_LOCK_SECONDS,
    holidayCalendar: out.HOLIDAY_CALENDAR_FILE ?? EMPTY_CALENDAR,
    smsProvider: out.SMS_PROVIDER,
  };
}
