/**
 * JSON text with object keys sorted (by UTF-16 code units, as RFC 8785 does) and no white space, so
 * the same data always gives the same bytes and the same SHA-256, whatever order a client sent the
 * keys in. Strings and numbers use JSON.stringify, whose output for them matches RFC 8785.
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '');
  if (text === undefined) throw new TypeError('canonicalJson: value has no JSON form');
  return text;
}

function write(value: unknown, path: string): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // JSON.stringify would quietly write null: a hash over that would hide a bug.
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number at ${path || '(root)'}`);
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError(`canonicalJson: bigint at ${path || '(root)'}`);
  }
  if (Array.isArray(value)) {
    // As JSON.stringify does: a hole or undefined in an array becomes null, keeping positions.
    return `[${value.map((item, i) => write(item, `${path}[${i}]`) ?? 'null').join(',')}]`;
  }
  if (value instanceof Date) return JSON.stringify(value.toJSON());
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const text = write(record[key], path ? `${path}.${key}` : key);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
