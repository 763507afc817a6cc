import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** LOG_LEVEL values, quietest last. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Field names that would carry a person's data or a secret. Nothing logs them on purpose; this is the
 * second line of defence should a future line pass an object whole.
 */
const SENSITIVE_FIELDS = [
  'password',
  'idNumber',
  'id_number',
  'mobile',
  'name',
  'cookie',
  'token',
  'code',
  'totp',
  'secret',
  'authorization',
  'body',
  'headers',
];

const REDACT_PATHS = SENSITIVE_FIELDS.flatMap((field) => [field, `*.${field}`]);

export interface LoggerOptions {
  level?: LogLevel;
  /**
   * Where the lines go; default stdout, written in the background so no request waits on the write
   * (one write syscall per line cost as much as the request's JSON parsing). pino flushes what is left
   * synchronously on exit, so the last line before process.exit() or a crash is kept.
   */
  destination?: DestinationStream;
}

/** JSON lines: one object per line, `time` in epoch milliseconds, `msg` the human text (Chinese). */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[已隐去]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** The server's one logger; main.ts sets its level from LOG_LEVEL. */
export const logger = createLogger();

/** For code under test and tools that need a logger but no output. */
export const silentLogger = createLogger({ level: 'silent' });

/** The first stack frame, as `file:line:column`: where it broke, without the message. */
function firstFrame(stack: string | undefined): string | undefined {
  const frame = stack?.split('\n').find((line) => line.trimStart().startsWith('at '));
  const location = frame ? /\(?([^\s()]+:\d+:\d+)\)?\s*$/.exec(frame) : null;
  return location?.[1];
}

const SAFE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * What of an error may go to the log. Its message may not: a database error can quote the value that
 * broke a constraint or a cast, a parser's can quote the input, a library's can quote what it was given.
 * The class, the code (SQLITE_CONSTRAINT_UNIQUE, 23505, ECONNREFUSED) and the place are enough to act on.
 */
export function errorFields(err: unknown): { error: string; errorCode?: string; at?: string } {
  if (!(err instanceof Error)) return { error: typeof err };
  const code = (err as { code?: unknown }).code;
  const at = firstFrame(err.stack);
  return {
    // pg's DatabaseError calls itself 'error'.
    error: err.name === 'error' ? err.constructor.name : err.name,
    ...(typeof code === 'string' && SAFE_CODE.test(code) ? { errorCode: code } : {}),
    ...(at ? { at } : {}),
  };
}
