/**
 * The API description as one plain HTML page, rendered on the server from the OpenAPI document: no
 * script, no external style or font, so it works offline, behind strict networks and with a screen
 * reader (one h1, h2 per group, h3 per operation, h4/h5 inside).
 */
import type { HttpMethod, JsonSchema, OpenApiDocument, OpenApiOperation, OpenApiResponse, Ref } from './openapi-document.ts';
import { HTTP_METHODS } from './openapi-document.ts';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function isRef(value: unknown): value is Ref {
  return typeof value === 'object' && value !== null && typeof (value as Ref).$ref === 'string';
}

/** Follows a local `#/a/b` pointer in the document. */
function lookUp(doc: OpenApiDocument, pointer: string): unknown {
  let node: unknown = doc;
  for (const part of pointer.replace(/^#\//, '').split('/')) {
    node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
  }
  return node;
}

/** Inlines every `$ref`, so a reader sees the whole shape in place; a cycle stays a `$ref`. */
export function inlineRefs(doc: OpenApiDocument, value: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(value)) return value.map((item) => inlineRefs(doc, item, seen));
  if (typeof value !== 'object' || value === null) return value;
  if (isRef(value)) {
    if (seen.includes(value.$ref)) return value;
    return inlineRefs(doc, lookUp(doc, value.$ref), [...seen, value.$ref]);
  }
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, inlineRefs(doc, item, seen)]));
}

function schemaBlock(doc: OpenApiDocument, schema: JsonSchema, label: string): string {
  const text = JSON.stringify(inlineRefs(doc, schema), null, 2);
  // tabindex: a long block scrolls sideways, and keyboard users must be able to scroll it too.
  return `<pre tabindex="0" aria-label="${escapeHtml(label)}"><code>${escapeHtml(text)}</code></pre>`;
}

function anchorOf(method: HttpMethod, path: string): string {
  return `${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

interface Entry {
  method: HttpMethod;
  path: string;
  operation: OpenApiOperation;
}

function entriesOf(doc: OpenApiDocument): Entry[] {
  const entries: Entry[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation) entries.push({ method, path, operation });
    }
  }
  return entries;
}

function renderOperation(doc: OpenApiDocument, { method, path, operation }: Entry): string {
  const id = anchorOf(method, path);
  const parts: string[] = [
    `<section class="operation" aria-labelledby="${id}">`,
    `<h3 id="${id}"><span class="method method-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code> <span class="summary">${escapeHtml(operation.summary)}</span></h3>`,
  ];
  if (operation.description) parts.push(`<p>${escapeHtml(operation.description)}</p>`);
  parts.push(operation.security?.length ? '<p class="auth">需要登录（会话 Cookie）</p>' : '<p class="auth">无需登录</p>');

  if (operation.parameters?.length) {
    parts.push('<h4>参数</h4>', '<table><thead><tr><th scope="col">名称</th><th scope="col">位置</th><th scope="col">必填</th><th scope="col">说明</th></tr></thead><tbody>');
    const where = { query: '查询参数', header: '请求头', path: '路径', cookie: 'Cookie' } as const;
    for (const p of operation.parameters) {
      parts.push(
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${where[p.in]}</td><td>${p.required ? '是' : '否'}</td><td>${escapeHtml(p.description)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }

  if (operation.requestBody) {
    parts.push('<h4>请求体</h4>');
    for (const [type, media] of Object.entries(operation.requestBody.content)) {
      parts.push(`<p>格式：<code>${escapeHtml(type)}</code></p>`, schemaBlock(doc, media.schema, `请求体 ${type}`));
    }
  }

  parts.push('<h4>响应</h4>');
  for (const [status, raw] of Object.entries(operation.responses)) {
    const response = inlineRefs(doc, raw) as OpenApiResponse;
    parts.push(`<h5><code>${escapeHtml(status)}</code> ${escapeHtml(response.description)}</h5>`);
    for (const [type, media] of Object.entries(response.content ?? {})) {
      parts.push(`<p>格式：<code>${escapeHtml(type)}</code></p>`, schemaBlock(doc, media.schema, `${status} 响应 ${type}`));
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

const STYLE = `
body { font: 16px/1.6 system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1a1a1a; margin: 0; }
header, main { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.35rem; border-bottom: 2px solid #1f5fa8; padding-bottom: .25rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 2rem; } h4 { font-size: 1rem; margin-bottom: .25rem; } h5 { font-size: .95rem; margin: .75rem 0 .25rem; }
.operation { border-left: 4px solid #d0d7de; padding-left: 1rem; }
.method { display: inline-block; min-width: 4.5em; padding: 0 .4em; border-radius: 4px; color: #fff; background: #4a5560; font-family: ui-monospace, monospace; text-align: center; }
.method-get { background: #1f6f43; } .method-post { background: #1f5fa8; } .method-delete { background: #a4262c; }
pre { background: #f6f8fa; padding: .75rem; overflow: auto; max-height: 28rem; border-radius: 4px; font-size: .85rem; }
pre:focus { outline: 3px solid #1f5fa8; }
table { border-collapse: collapse; } th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
a { color: #1f5fa8; } .auth { color: #4a5560; }
`;

/** The whole page; every operation of `doc` appears, grouped by its first tag. */
export function renderDocsHtml(doc: OpenApiDocument): string {
  const entries = entriesOf(doc);
  const groups = new Map<string, Entry[]>();
  for (const tag of doc.tags) groups.set(tag.name, []);
  for (const entry of entries) {
    const tag = entry.operation.tags[0] ?? '其他';
    groups.set(tag, [...(groups.get(tag) ?? []), entry]);
  }

  const toc = entries
    .map(({ method, path, operation }) => {
      const label = `${method.toUpperCase()} ${path}`;
      return `<li><a href="#${anchorOf(method, path)}"><code>${escapeHtml(label)}</code></a> ${escapeHtml(operation.summary)}</li>`;
    })
    .join('\n');

  const sections = [...groups]
    .filter(([, list]) => list.length > 0)
    .map(([tag, list], i) => {
      const description = doc.tags.find((t) => t.name === tag)?.description;
      return [
        `<section aria-labelledby="group-${i}">`,
        `<h2 id="group-${i}">${escapeHtml(tag)}</h2>`,
        description ? `<p>${escapeHtml(description)}</p>` : '',
        ...list.map((entry) => renderOperation(doc, entry)),
        '</section>',
      ].join('\n');
    })
    .join('\n');

  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(doc.info.title)}</h1>
<p>${escapeHtml(doc.info.description)}</p>
<p>版本 ${escapeHtml(doc.info.version)} · 机器可读版本：<a href="/api/openapi.json"><code>/api/openapi.json</code></a>（OpenAPI ${escapeHtml(doc.openapi)}）</p>
</header>
<main>
<nav aria-labelledby="toc-title">
<h2 id="toc-title">全部接口</h2>
<ul>
${toc}
</ul>
</nav>
${sections}
</main>
</body>
</html>
`;
}
