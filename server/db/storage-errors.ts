/**
 * A write broke a unique constraint (primary key or unique column). Stores throw this instead of the
 * driver's error so callers need not know SQLite's or PostgreSQL's error shapes. The message names
 * the table and columns only, never the value: that may be an ID number.
 */
export class DuplicateError extends Error {
  override name = 'DuplicateError';
  constructor(
    readonly table: string,
    readonly columns: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`duplicate ${table}(${columns.join(', ')})`, options);
  }
}

const SQLITE_UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);
const PG_UNIQUE_VIOLATION = '23505';

/** `err` as a DuplicateError when it is a unique violation from either driver, else undefined. */
export function asDuplicateError(err: unknown): DuplicateError | undefined {
  if (!(err instanceof Error) || !('code' in err)) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && SQLITE_UNIQUE_CODES.has(code)) {
    // "UNIQUE constraint failed: accounts.id_number, accounts.x"
    const qualified = err.message.replace(/^.*constraint failed:\s*/, '').split(/,\s*/);
    const table = qualified[0]?.split('.')[0] ?? 'unknown';
    const columns = qualified.map((name) => name.split('.').slice(1).join('.'));
    return new DuplicateError(table, columns, { cause: err });
  }
  if (code === PG_UNIQUE_VIOLATION) {
    const { table, detail } = err as { table?: string; detail?: string };
    // detail: "Key (id_number)=(…) already exists." Only the part before '=' is read.
    const columns = /^Key \(([^)]*)\)=/.exec(detail ?? '')?.[1]?.split(/,\s*/) ?? [];
    return new DuplicateError(table ?? 'unknown', columns, { cause: err });
  }
  return undefined;
}

/** Runs a write and turns a unique violation into a DuplicateError; other errors pass unchanged. */
export async function translatingDuplicates<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw asDuplicateError(err) ?? err;
  }
}
