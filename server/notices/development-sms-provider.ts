import type { Kysely } from 'kysely';
import { keepDevelopmentSms } from '../db/notices-store.ts';
import type { Database } from '../db/schema.ts';
import { logger } from '../observability/logger.ts';
import type { SmsProvider } from './sms-provider.ts';

/** 138****5678: enough to tell numbers apart in a log, not enough to call anyone. */
export function maskMobile(mobile: string): string {
  return mobile.length === 11 ? `${mobile.slice(0, 3)}****${mobile.slice(7)}` : '***';
}

/**
 * For development and demos: nothing leaves the machine. Each message goes to the log (number masked)
 * and to the development_sms table, the stand-in for the phone that tests and demos read.
 */
export function developmentSmsProvider(db: Kysely<Database>, log: (line: string) => void = (line) => logger.info(line)): SmsProvider {
  return {
    name: 'development',
    async send({ reference, mobile, text }) {
      if (await keepDevelopmentSms(db, { reference, mobile, text, sentAt: new Date().toISOString() })) {
        log(`[短信] ${maskMobile(mobile)}：${text}`);
      }
      return { ok: true };
    },
  };
}
