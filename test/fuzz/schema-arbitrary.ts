import fc from 'fast-check';

/**
 * fast-check arbitraries read from the JSON Schema the server publishes at /api/openapi.json: values the
 * schema allows, and near-valid ones where a single field is wrong. Only the keywords the document uses
 * are understood; anything else falls back to arbitrary JSON.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  maxProperties?: number;
  items?: JsonSchema;
  maxItems?: number;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  contentMediaType?: string;
  default?: unknown;
};

/** Put into every made-up text so an answer that echoes input can be spotted. */
export const MARKER = 'zqxFUZZ7marker';

/** Wrong values of every JSON type, and the numbers and words parsers trip on. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, -0, 4294967296),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e309', '0x10', '-0', ' 1 ', ''),
  fc.constant(`${MARKER}<script>alert(1)</script>`),
  fc.constant(`${MARKER}'; DROP TABLE accounts; --`),
  fc.constant(`${MARKER}\u0000\u202e\ud800`),
  fc.constant(`${MARKER}${'長'.repeat(5000)}`),
  fc.constant([MARKER]),
  fc.constant({ [MARKER]: MARKER }),
  fc.constant(JSON.parse(`{"__proto__":{"polluted":"${MARKER}"},"constructor":{"prototype":{"polluted":"${MARKER}"}}}`)),
);

function resolve(schema: JsonSchema, doc: unknown): JsonSchema {
  if (!schema.$ref) return schema;
  let target: unknown = doc;
  for (const part of schema.$ref.replace(/^#\//, '').split('/')) target = (target as Record<string, unknown>)[part];
  return resolve(target as JsonSchema, doc);
}

const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).map((value) => value);

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern), { size: 'small' });
    } catch {
      // A pattern fast-check cannot invert: plain strings below.
    }
  }
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date') {
    return fc.date({ min: new Date('1950-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.max(minLength, Math.min(schema.maxLength ?? 40, 200));
  return fc.oneof(
    fc.string({ minLength, maxLength, unit: 'grapheme' }),
    // The marker, trimmed to fit, so a value that passes the schema still carries it.
    fc.constant(MARKER.padEnd(minLength, 'x').slice(0, Math.max(minLength, Math.min(maxLength, MARKER.length)))),
  );
}

/** Values the schema allows (as far as JSON Schema can say: checksums and cross-field rules aside). */
export function valueArbitrary(input: JsonSchema, doc: unknown, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(input, doc);
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices) return fc.oneof(...choices.map((choice) => valueArbitrary(choice, doc, depth + 1)));
  if (schema.allOf?.[0]) return valueArbitrary(schema.allOf[0], doc, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = schema.items ? valueArbitrary(schema.items, doc, depth + 1) : anyJson;
      return fc.array(items, { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
    }
    case 'object':
    case undefined: {
      if (!schema.properties && type === undefined) return anyJson;
      const properties = schema.properties ?? {};
      const record = fc.record(
        Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, valueArbitrary(value, doc, depth + 1)])),
        { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
      );
      const extra = schema.additionalProperties;
      if (!extra || typeof extra !== 'object' || depth > 4) return record;
      const keys = schema.propertyNames ? stringArbitrary(resolve(schema.propertyNames, doc)) : fc.string({ maxLength: 10 });
      const more = fc.dictionary(keys, valueArbitrary(extra, doc, depth + 1), { maxKeys: Math.min(schema.maxProperties ?? 3, 3) });
      return fc.tuple(record, more).map(([known, added]) => ({ ...added, ...known }));
    }
    default:
      return anyJson;
  }
}

/** A valid object with one field wrong: a key dropped, or its value replaced by a wrong or hostile one. */
export function nearValid(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), wrongValue, fc.boolean()).map(([value, pick, wrong, drop]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong;
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0) return { [MARKER]: wrong };
    const key = keys[pick % keys.length]!;
    if (drop) delete copy[key];
    else copy[key] = wrong;
    return copy;
  });
}
