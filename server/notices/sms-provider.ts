import type { Kysely } from 'kysely';
import { ConfigError, type SmsProviderName } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { developmentSmsProvider } from './development-sms-provider.ts';

export interface SmsMessage {
  /** The notice's id: a provider that accepts a caller's id uses it to drop a repeated hand-over. */
  reference: string;
  mobile: string;
  text: string;
}

export type SmsOutcome =
  | { ok: true }
  /** `retryable`: worth trying again later (a timeout, a busy gateway); otherwise given up. */
  | { ok: false; retryable: boolean };

/** A text-message gateway. Implementations must not keep the message beyond what delivery needs. */
export interface SmsProvider {
  /** Recorded with each sent notice, e.g. 'development'. */
  name: string;
  send(message: SmsMessage): Promise<SmsOutcome>;
}

export const NO_PRODUCTION_SMS_MESSAGE = '生产环境未配置短信服务（SMS_PROVIDER）';

/**
 * The provider for this deployment (SMS_PROVIDER), chosen before the database opens so a wrong choice
 * stops the start at once; it is then made with the database. Only the development provider exists
 * yet, and a production server must not pretend to reach people's phones, so production refuses.
 */
export function chooseSmsProvider(config: {
  production: boolean;
  smsProvider: SmsProviderName | undefined;
}): (db: Kysely<Database>) => SmsProvider {
  if (config.production) throw new ConfigError(NO_PRODUCTION_SMS_MESSAGE);
  return developmentSmsProvider;
}
