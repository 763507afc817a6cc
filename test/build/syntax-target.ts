import { type AnyNode, type CallExpression, parse } from 'acorn';
import { fullAncestor } from 'acorn-walk';

/**
 * Finds syntax in built JavaScript that the browser target cannot run: each feature carries the first
 * Chrome and Safari versions that handle it (esbuild's compat table, which also decides what the service
 * worker's bundle lowers), so the check follows the target instead of a fixed list. An old browser meets
 * any of these while parsing, so one hit means the whole file, and the app with it, does not start.
 */

type Version = readonly number[];

interface Feature {
  name: string;
  chrome: Version;
  safari: Version;
}

const feature = (name: string, chrome: string, safari: string): Feature => ({
  name,
  chrome: version(chrome),
  safari: version(safari),
});

const FEATURES = {
  staticBlock: feature('class static block', '91', '16.4'),
  publicField: feature('class field', '73', '14'),
  staticField: feature('static class field', '73', '14.1'),
  privateField: feature('private class field', '84', '14.1'),
  privateStaticField: feature('private static class field', '74', '14.1'),
  privateMethod: feature('private method or accessor', '84', '15'),
  privateBrandCheck: feature('#x in obj', '91', '15'),
  topLevelAwait: feature('top-level await', '89', '15'),
  regexpMatchIndices: feature('RegExp flag d', '90', '15'),
  regexpSetNotation: feature('RegExp flag v', '112', '17'),
  regexpLookbehind: feature('RegExp lookbehind', '62', '16.4'),
  importAttributes: feature('import attributes', '123', '17.2'),
  exportStarAs: feature('export * as name', '72', '14.1'),
  stringModuleName: feature('string as import or export name', '90', '14.1'),
  // Not a parse error but a TypeError at the call: V8 before 9.1 (crbug 42201552).
  optionalCallSpread: feature('optional call with a spread before another argument', '91', '13.1'),
} satisfies Record<string, Feature>;

export interface Finding {
  line: number;
  column: number;
  feature: string;
}

function version(text: string): Version {
  return text.split('.').map(Number);
}

function atLeast(have: Version, need: Version): boolean {
  for (let i = 0; i < Math.max(have.length, need.length); i++) {
    const diff = (have[i] ?? 0) - (need[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

/** `['chrome87', 'safari14']` → the engines and their versions. */
function engines(target: readonly string[]): { chrome?: Version; safari?: Version } {
  const found: { chrome?: Version; safari?: Version } = {};
  for (const entry of target) {
    const match = /^(chrome|safari)(\d+(?:\.\d+)*)$/.exec(entry);
    if (!match) throw new Error(`unknown browser target: ${entry}`);
    found[match[1] as 'chrome' | 'safari'] = version(match[2]!);
  }
  return found;
}

/** `(?<=` or `(?<!` outside a character class: acorn has checked the pattern, so only escapes need care. */
function hasLookbehind(pattern: string): boolean {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') i++;
    else if (inClass) inClass = char !== ']';
    else if (char === '[') inClass = true;
    else if (pattern.startsWith('(?<=', i) || pattern.startsWith('(?<!', i)) return true;
  }
  return false;
}

const isFunction = (node: AnyNode) => /Function/.test(node.type);

/** `f?.(…)`, `a?.b(…)`, `a?.b.c(…)`: a call that an optional link before it may skip. */
function inOptionalChain(call: CallExpression): boolean {
  let link: AnyNode = call;
  while (link.type === 'CallExpression' || link.type === 'MemberExpression') {
    if (link.optional) return true;
    link = link.type === 'CallExpression' ? link.callee : link.object;
  }
  return false;
}

/** The features of one node, whatever the target. */
function featuresOf(node: AnyNode, ancestors: readonly AnyNode[]): Feature[] {
  switch (node.type) {
    case 'StaticBlock':
      return [FEATURES.staticBlock];
    case 'PropertyDefinition':
      if (node.key.type !== 'PrivateIdentifier') return [node.static ? FEATURES.staticField : FEATURES.publicField];
      return [node.static ? FEATURES.privateStaticField : FEATURES.privateField];
    case 'MethodDefinition':
      return node.key.type === 'PrivateIdentifier' ? [FEATURES.privateMethod] : [];
    case 'BinaryExpression':
      return node.operator === 'in' && node.left.type === 'PrivateIdentifier' ? [FEATURES.privateBrandCheck] : [];
    case 'AwaitExpression':
      return ancestors.some(isFunction) ? [] : [FEATURES.topLevelAwait];
    case 'ForOfStatement':
      return node.await && !ancestors.some(isFunction) ? [FEATURES.topLevelAwait] : [];
    case 'Literal': {
      if (!node.regex) return [];
      const { pattern, flags } = node.regex;
      return [
        ...(flags.includes('d') ? [FEATURES.regexpMatchIndices] : []),
        ...(flags.includes('v') ? [FEATURES.regexpSetNotation] : []),
        ...(hasLookbehind(pattern) ? [FEATURES.regexpLookbehind] : []),
      ];
    }
    case 'ImportExpression':
      return node.options ? [FEATURES.importAttributes] : [];
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportAllDeclaration': {
      const found: Feature[] = node.attributes.length ? [FEATURES.importAttributes] : [];
      if (node.type === 'ExportAllDeclaration' && node.exported) found.push(FEATURES.exportStarAs);
      const names =
        node.type === 'ExportAllDeclaration'
          ? [node.exported]
          : node.type === 'ImportDeclaration'
            ? node.specifiers.map((s) => (s.type === 'ImportSpecifier' ? s.imported : s.local))
            : node.specifiers.flatMap((s) => [s.local, s.exported]);
      if (names.some((name) => name?.type === 'Literal')) found.push(FEATURES.stringModuleName);
      return found;
    }
    case 'CallExpression': {
      const spreadBeforeLast = node.arguments.slice(0, -1).some((a) => a.type === 'SpreadElement');
      return spreadBeforeLast && inOptionalChain(node) ? [FEATURES.optionalCallSpread] : [];
    }
    default:
      return [];
  }
}

/**
 * Every place in `source` that the oldest browser of `target` cannot run, in source order. A file that
 * does not parse at all is reported by acorn's SyntaxError, thrown as it is.
 */
export function syntaxBeyondTarget(
  source: string,
  target: readonly string[],
  sourceType: 'module' | 'script',
): Finding[] {
  const { chrome, safari } = engines(target);
  const unsupported = (f: Feature) =>
    (chrome && !atLeast(chrome, f.chrome)) || (safari && !atLeast(safari, f.safari));
  const program = parse(source, { ecmaVersion: 'latest', sourceType, locations: true });
  const findings: Finding[] = [];
  fullAncestor(program, (node, _state, ancestors) => {
    const enclosing = ancestors.slice(0, -1) as AnyNode[];
    for (const f of featuresOf(node as AnyNode, enclosing).filter(unsupported)) {
      const { line, column } = node.loc!.start;
      findings.push({ line, column: column + 1, feature: f.name });
    }
  });
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}
