/**
 * The OpenAPI 3.1 description of /api, assembled from the app's own route table: each route's
 * `describeRoute` gives its summary and answers, its `validate` middleware its parameters and body,
 * all from the schemas in shared/api. No path is written down here.
 */
import { codeLists as defaultCodeLists, type CodeLists } from '../../shared/code-lists.ts';
import { SERVICE_TITLE } from '../../shared/service.ts';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { STAFF_COOKIE } from '../staff/staff-auth.ts';
import type { ValidationMeta } from '../http/validate.ts';
import { errorResponses, type ResponseSpec, type RouteSecurity, type RouteSpec } from './describe-route.ts';
import { componentSchemas, type JsonSchema, jsonSchemaOf } from './json-schema.ts';
import { HTTP_METHODS, type HttpMethod, type RouteOperation, type RouteTableOwner, routeOperations } from './route-table.ts';

export { HTTP_METHODS, type HttpMethod, type JsonSchema };

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
}

export interface OpenApiResponse {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, OpenApiMediaType>;
}

export type Ref = { $ref: string };

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, OpenApiMediaType> };
  responses: Record<string, OpenApiResponse | Ref>;
}

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>>;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  tags: { name: string; description: string }[];
  paths: Record<string, OpenApiPathItem>;
  components: {
    securitySchemes: Record<string, JsonSchema>;
    schemas: Record<string, JsonSchema>;
  };
}

export interface OpenApiOptions {
  /** Prefix of every path: where the app is mounted. */
  basePath?: string;
  /** The deployment's code lists, whose names the document gives beside the codes. */
  codeLists?: CodeLists;
  version?: string;
}

const TAGS = [
  { name: '系统', description: '服务状态' },
  { name: '账号与登录', description: '身份核验、注册、登录与退出' },
  { name: '人脸识别', description: '实名核验（不保存人脸图片）' },
  { name: '找回密码', description: '忘记密码：核对身份、人脸识别、设置新密码' },
  { name: '企业库', description: '已注册、已认证的受聘单位' },
  { name: '草稿', description: '在本人多台设备间同步的申报草稿' },
  { name: '附件', description: '一寸免冠照片与签名' },
  { name: '申报', description: '提交申请与查看进度' },
  { name: '我的信息', description: '本人被保存的全部信息、谁查看了我的申请、下载我的数据、注销账号' },
  { name: '审查', description: '工作人员：待办申请、详情、办理决定与导出' },
  { name: '单位确认', description: '受聘单位确认本单位的申请' },
  { name: '变更事件', description: '按提交顺序的变更事件，供各省系统以令牌轮询' },
  { name: '工作人员登录与审计', description: '工作人员与受聘单位账号的登录（含动态验证码）、修改密码、退出，以及审计记录' },
  { name: '接口文档', description: '本说明' },
];

/** Which credentials a route takes; several entries mean any one of them. */
const SECURITY: Record<Exclude<RouteSecurity, 'public'>, Record<string, string[]>[]> = {
  session: [{ cookieAuth: [] }],
  staff: [{ staffCookieAuth: [] }],
  'staff-or-token': [{ staffCookieAuth: [] }, { bearerAuth: [] }],
};

const PARAMETER_PLACES = { query: 'query', param: 'path', header: 'header' } as const;

// Header names are matched in lower case; the document spells them as people write them.
const headerName = (name: string) => name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase());

function parametersOf(validations: ValidationMeta[], lists: CodeLists): OpenApiParameter[] {
  return validations.flatMap(({ target, schema }) => {
    if (target === 'json') return [];
    const json = jsonSchemaOf(schema, lists);
    const required = new Set((json.required as string[] | undefined) ?? []);
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    return Object.entries(properties).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name: target === 'header' ? headerName(name) : name,
        in: PARAMETER_PLACES[target],
        required: target === 'param' || required.has(name),
        description: typeof description === 'string' ? description : '',
        schema: rest,
      };
    });
  });
}

function requestBodyOf(spec: RouteSpec, validations: ValidationMeta[], lists: CodeLists): OpenApiOperation['requestBody'] {
  const json = validations.find((validation) => validation.target === 'json');
  if (json) return { required: true, content: { 'application/json': { schema: jsonSchemaOf(json.schema, lists) } } };
  if (!spec.requestBody) return undefined;
  const { description, contentTypes, schema } = spec.requestBody;
  const content = Object.fromEntries(
    contentTypes.map((type) => [type, { schema: schema ?? { type: 'string', contentMediaType: type } }]),
  );
  return { required: true, description, content };
}

function contentOf(response: ResponseSpec, lists: CodeLists): Record<string, OpenApiMediaType> | undefined {
  if (response.schema) return { [response.contentType ?? 'application/json']: { schema: jsonSchemaOf(response.schema, lists) } };
  if (!response.contentType) return undefined;
  const types = response.contentType.split(',').map((type) => type.trim());
  return Object.fromEntries(
    types.map((type) => [type, { schema: type.startsWith('text/') ? { type: 'string' } : { type: 'string', contentMediaType: type } }]),
  );
}

/** The answers the route names, plus those its validators and sign-in check give by themselves. */
export function responseSpecsOf(spec: RouteSpec, validations: readonly ValidationMeta[]): Record<number, ResponseSpec> {
  return {
    ...errorResponses(...validations.map((validation) => validation.status)),
    ...(validations.some((validation) => validation.target === 'json') ? errorResponses(413, 415) : {}),
    ...(spec.security && spec.security !== 'public' ? errorResponses(401) : {}),
    ...(spec.security === 'staff' || spec.security === 'staff-or-token' ? errorResponses(403) : {}),
    ...spec.responses,
  };
}

function responsesOf(spec: RouteSpec, validations: ValidationMeta[], lists: CodeLists): Record<string, OpenApiResponse> {
  return Object.fromEntries(
    Object.entries(responseSpecsOf(spec, validations)).map(([status, response]) => {
      const out: OpenApiResponse = { description: response.description };
      if (response.headers) {
        out.headers = Object.fromEntries(
          Object.entries(response.headers).map(([name, header]) => [
            name,
            { description: header.description, schema: header.schema ?? { type: 'string' } },
          ]),
        );
      }
      const content = contentOf(response, lists);
      if (content) out.content = content;
      return [status, out];
    }),
  );
}

function operationOf({ spec, validations }: RouteOperation & { spec: RouteSpec }, lists: CodeLists): OpenApiOperation {
  const parameters = parametersOf(validations, lists);
  const requestBody = requestBodyOf(spec, validations, lists);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: spec.tags,
    ...(spec.security && spec.security !== 'public' ? { security: SECURITY[spec.security] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: responsesOf(spec, validations, lists),
  };
}

/**
 * Every name in the path must be declared; an operation that reads it without a validator (a DELETE
 * that takes any id) borrows the declaration of another operation on the same path.
 */
function declarePathParameters(path: string, item: OpenApiPathItem): void {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const operations = Object.values(item);
  const declared = operations.flatMap((operation) => operation.parameters ?? []).filter((p) => p.in === 'path');
  for (const operation of operations) {
    for (const name of names) {
      if (operation.parameters?.some((p) => p.in === 'path' && p.name === name)) continue;
      const borrowed = declared.find((p) => p.name === name) ?? { name, in: 'path', required: true, description: '', schema: { type: 'string' } };
      operation.parameters = [borrowed, ...(operation.parameters ?? [])];
    }
  }
}

/** The whole API, every described route of `app`. */
export function buildOpenApiDocument(app: RouteTableOwner, options: OpenApiOptions = {}): OpenApiDocument {
  const lists = options.codeLists ?? defaultCodeLists;
  const paths: Record<string, OpenApiPathItem> = {};
  for (const operation of routeOperations(app, options.basePath ?? '')) {
    if (!operation.spec) continue;
    paths[operation.path] ??= {};
    paths[operation.path]![operation.method] = operationOf({ ...operation, spec: operation.spec }, lists);
  }
  for (const [path, item] of Object.entries(paths)) declarePathParameters(path, item);
  return {
    openapi: '3.1.0',
    info: {
      title: `${SERVICE_TITLE} 接口`,
      version: options.version ?? '0.1.0',
      description:
        '申请人端与工作人员端接口。请求和响应均为 JSON（另有注明的除外）；出错时返回 { error, issues? }，error 为中文提示。' +
        '申请人凭登录 Cookie 识别；工作人员和受聘企业凭各自的登录 Cookie（用户名、密码、动态验证码）；机器客户端凭只读令牌（Bearer）。',
    },
    tags: TAGS,
    paths,
    components: {
      securitySchemes: {
        cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '登录或注册后设置的会话 Cookie' },
        staffCookieAuth: {
          type: 'apiKey',
          in: 'cookie',
          name: STAFF_COOKIE,
          description: '工作人员或受聘企业以用户名、密码和动态验证码登录后设置的 Cookie（与申请人的会话分开）',
        },
        bearerAuth: { type: 'http', scheme: 'bearer', description: '省级系统等机器客户端的只读令牌（npm run staff -- token add）' },
      },
      schemas: componentSchemas(lists),
    },
  };
}
