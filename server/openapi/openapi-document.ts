/**
 * The OpenAPI 3.1 description of /api. Request bodies come from the same valibot schemas the routes
 * validate with, so the document cannot drift from the rules; responses are written by hand.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { fieldLabel } from '../../shared/application-fields.ts';
import { createDraftSchema, createSubmitSchema } from '../../shared/application-schema.ts';
import type { CodeList, CodeLists } from '../../shared/code-lists.ts';
import { codeLists as defaultCodeLists } from '../../shared/code-lists.ts';
import { SERVICE_TITLE } from '../../shared/service.ts';
import { SUBMISSION_STATUSES, submissionStatusLabels } from '../../shared/submission-status.ts';
import { identityCheckSchema, registrationSchema, signInSchema } from '../accounts/account-schemas.ts';
import { SESSION_COOKIE } from '../accounts/session.ts';
import { createDraftWriteSchema, FIELD_PATH, MAX_FIELD_TIMES } from '../drafts/draft-schemas.ts';

export type JsonSchema = { [key: string]: unknown };

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'header' | 'path' | 'cookie';
  required?: boolean;
  description: string;
  schema: JsonSchema;
}

export interface OpenApiMediaType {
  schema: JsonSchema;
  encoding?: Record<string, { contentType: string }>;
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
    responses: Record<string, OpenApiResponse>;
  };
}

export interface OpenApiOptions {
  /** The deployment's code lists, so the documented 专业 codes are the ones it accepts. */
  codeLists?: CodeLists;
  version?: string;
}

/** JSON Schema (2020-12, the dialect of OpenAPI 3.1) of what a client sends. */
export function requestSchemaOf(schema: v.GenericSchema): JsonSchema {
  // 'input': trims and other transforms happen on the server, so the client may send the raw text.
  // 'ignore': custom checks (checksums, cross-field rules) have no JSON Schema form and are left out.
  const converted = toJsonSchema(schema, { target: 'draft-2020-12', typeMode: 'input', errorMode: 'ignore' }) as JsonSchema;
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

const CODE_FIELDS: Record<string, keyof CodeLists> = {
  ethnicity: 'ethnicities',
  education: 'educationLevels',
  degree: 'degrees',
  specialty1: 'specialties',
  specialty2: 'specialties',
};

function codeListText(list: CodeList): string {
  return list.map((item) => `${item.code} ${item.name}`).join('；');
}

/** Adds the Chinese field names and the allowed codes, which valibot's checks cannot express. */
function annotateApplication(schema: JsonSchema, lists: CodeLists, prefix = ''): JsonSchema {
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!properties) return schema;
  const annotated: Record<string, JsonSchema> = {};
  for (const [key, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${key}` : key;
    let out: JsonSchema = { title: fieldLabel(path), ...annotateApplication(property, lists, path) };
    const listName = CODE_FIELDS[path];
    if (listName) {
      const list = lists[listName];
      out = { ...out, enum: list.map((item) => item.code), description: `代码：${codeListText(list)}` };
    }
    if (path === 'photo' || path === 'signature') {
      out = { ...out, description: '附件 id：所上传图片内容的 SHA-256（PUT /api/attachments/{sha256}）' };
    }
    if (path === 'sex') out = { ...out, description: 'male 男；female 女，须与证件号码一致' };
    if (path === 'commitment.choice') out = { ...out, description: 'accept 本人作出上述承诺（提交时必须）；decline 本人不作出上述承诺' };
    annotated[key] = out;
  }
  return { ...schema, properties: annotated };
}

const schemaRef = (name: string): Ref => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: JsonSchema) => ({ 'application/json': { schema } });
const signedIn = [{ cookieAuth: [] as string[] }];

const ERROR_RESPONSES = {
  '400': { name: 'BadRequest', description: '请求有误（格式或内容不符合要求），issues 按字段列出问题' },
  '401': { name: 'Unauthorized', description: '未登录、登录已过期，或账号密码不正确' },
  '403': { name: 'Forbidden', description: '尚不具备办理条件（例如未完成人脸识别）' },
  '404': { name: 'NotFound', description: '未找到，或不属于当前账号' },
  '409': { name: 'Conflict', description: '与已有数据冲突' },
  '413': { name: 'PayloadTooLarge', description: '提交的内容过大' },
  '415': { name: 'UnsupportedMediaType', description: '请求内容的格式不受支持' },
  '422': { name: 'UnprocessableContent', description: '格式正确，但与已登记的信息不符或无法处理' },
  '429': { name: 'TooManyRequests', description: '操作过于频繁，请按 Retry-After 等待后重试' },
  '503': { name: 'ServiceUnavailable', description: '服务暂不可用，请稍后重试' },
} as const;

type ErrorStatus = keyof typeof ERROR_RESPONSES;

function errors(...statuses: ErrorStatus[]): Record<string, Ref> {
  return Object.fromEntries(
    statuses.map((status) => [status, { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` }]),
  );
}

function componentResponses(): Record<string, OpenApiResponse> {
  const out: Record<string, OpenApiResponse> = {};
  for (const [status, { name, description }] of Object.entries(ERROR_RESPONSES)) {
    const response: OpenApiResponse = { description, content: json(schemaRef('Error')) };
    if (status === '429') {
      response.headers = { 'Retry-After': { description: '需等待的秒数', schema: { type: 'integer', minimum: 1 } } };
    }
    out[name] = response;
  }
  return out;
}

const string = (description?: string): JsonSchema => (description ? { type: 'string', description } : { type: 'string' });
const dateTime = (description: string): JsonSchema => ({ type: 'string', format: 'date-time', description });
const object = (properties: Record<string, JsonSchema | Ref>, description?: string): JsonSchema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  required: Object.keys(properties),
  additionalProperties: false,
});

const fieldTimes = (): JsonSchema => ({
  type: 'object',
  description: '各字段（路径如 enterprise.uscc）在设备上最后修改的时间（毫秒），合并时逐字段以较新者为准',
  propertyNames: { pattern: FIELD_PATH.source },
  additionalProperties: { type: 'integer', minimum: 0 },
  maxProperties: MAX_FIELD_TIMES,
});

/** The draft write body from its valibot schema; values by reference, the field times spelled out. */
function draftWriteSchema(lists: CodeLists): JsonSchema {
  const schema = requestSchemaOf(createDraftWriteSchema({ codeLists: lists }));
  const properties = schema.properties as Record<string, JsonSchema>;
  return {
    ...schema,
    properties: {
      ...properties,
      baseRevision: { ...properties.baseRevision, description: '本次修改所基于的版本号；新草稿为 0' },
      values: schemaRef('DraftValues'),
      fieldUpdatedAt: fieldTimes(),
      updatedAt: { ...properties.updatedAt, description: '设备上最后修改的时间（毫秒）' },
    },
  };
}

function componentSchemas(lists: CodeLists): Record<string, JsonSchema> {
  const statusDescription = SUBMISSION_STATUSES.map((s) => `${s} ${submissionStatusLabels[s]}`).join('；');
  return {
    Error: {
      type: 'object',
      description: '错误：error 为可直接展示的中文提示；issues 逐字段说明问题，从不回显提交的内容',
      properties: {
        error: string('中文提示'),
        issues: {
          type: 'array',
          items: object({ field: string('字段路径，如 enterprise.uscc；空串表示整份申请'), message: string('中文提示') }),
        },
      },
      required: ['error'],
    },
    Account: object(
      {
        id: string('账号 id'),
        name: string('姓名'),
        idNumber: string('证件号码'),
        mobile: string('手机号码'),
        birthDate: { type: 'string', format: 'date', description: '出生日期（由证件号码得出）' },
        sex: { type: 'string', enum: ['male', 'female'], description: '性别（由证件号码得出）' },
        faceVerified: { type: 'boolean', description: '24 小时内是否通过人脸识别' },
      },
      '当前账号（不含密码）',
    ),
    AccountResponse: object({ account: schemaRef('Account') }),
    Enterprise: object(
      {
        uscc: string('统一社会信用代码'),
        name: string('企业名称'),
        legalRepresentative: string('法定代表人'),
        province: string('工商注册省份'),
        city: string('工商注册市区'),
      },
      '企业库中的企业',
    ),
    Attachment: object({
      id: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '附件 id：设备所上传图片内容的 SHA-256' },
      kind: { type: 'string', enum: ['photo', 'signature'], description: 'photo 一寸免冠照片；signature 签名' },
      mime: { type: 'string', enum: ['image/jpeg', 'image/png'] },
      size: { type: 'integer', description: '字节数' },
      width: { type: 'integer', description: '宽（像素）' },
      height: { type: 'integer', description: '高（像素）' },
    }),
    Application: annotateApplication(requestSchemaOf(createSubmitSchema({ codeLists: lists })), lists),
    DraftValues: {
      ...annotateApplication(requestSchemaOf(createDraftSchema({ codeLists: lists })), lists),
      description: '草稿内容：各项均可缺省，已填的须格式正确',
    },
    DraftWrite: draftWriteSchema(lists),
    DraftCopy: {
      ...object(
        {
          id: { type: 'string', format: 'uuid', description: '草稿 id（设备生成）' },
          revision: { type: 'integer', minimum: 1, description: '服务器上的版本号' },
          values: schemaRef('DraftValues'),
          fieldUpdatedAt: fieldTimes(),
          photo: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '一寸免冠照片的附件 id（已上传时才有）' },
          signature: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '签名的附件 id（已上传时才有）' },
          updatedAt: { type: 'integer', minimum: 0, description: '设备上最后修改的时间（毫秒）' },
        },
        '服务器上保存的草稿',
      ),
      required: ['id', 'revision', 'values', 'fieldUpdatedAt', 'updatedAt'],
    },
    SubmissionStatus: { type: 'string', enum: [...SUBMISSION_STATUSES], description: `办理状态：${statusDescription}` },
    SubmissionReceipt: object(
      {
        id: string('申请 id'),
        receiptNumber: { type: 'string', pattern: '^JL\\d{14}$', description: '受理回执编号：JL + 日期（北京时间）+ 6 位数字' },
        submittedAt: dateTime('提交时间'),
        status: schemaRef('SubmissionStatus'),
        bodySha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '所存申请内容（键排序的 JSON）的 SHA-256' },
        receipt: schemaRef('SignedReceipt'),
      },
      '提交回执；同一 Idempotency-Key 的重试得到完全相同的回执',
    ),
    SignedReceipt: object(
      {
        receiptNumber: string('受理回执编号'),
        submissionId: string('申请 id'),
        submittedAt: dateTime('提交时间'),
        bodySha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: '所存申请内容的 SHA-256' },
        keyId: { type: 'string', pattern: '^[0-9a-f]{16}$', description: '签名密钥编号：公钥（32 字节）SHA-256 的前 16 位十六进制' },
        signature: string('Ed25519 签名（base64url），签名内容为除 signature 外五个字段按键排序、无空白的 JSON（UTF-8）'),
      },
      '服务器签名的受理回执，可凭 GET /api/receipts/public-key 的公钥离线验证',
    ),
    ReceiptPublicKey: object(
      {
        keyId: { type: 'string', pattern: '^[0-9a-f]{16}$', description: '签名密钥编号' },
        algorithm: { const: 'Ed25519' },
        publicKey: string('公钥原始 32 字节（base64url）'),
      },
      '验证回执签名的公钥',
    ),
    SubmissionSummary: object({
      id: string('申请 id'),
      receiptNumber: string('受理回执编号'),
      submittedAt: dateTime('提交时间'),
      status: schemaRef('SubmissionStatus'),
      statusLabel: string('状态的中文名称'),
    }),
    SubmissionDetail: object(
      {
        id: string('申请 id'),
        receiptNumber: string('受理回执编号'),
        submittedAt: dateTime('提交时间'),
        status: schemaRef('SubmissionStatus'),
        statusLabel: string('状态的中文名称'),
        bodySha256: string('所存申请内容的 SHA-256'),
        receipt: schemaRef('SignedReceipt'),
        commitment: {
          oneOf: [
            object({
              version: string('承诺书版本'),
              sha256: string('所承诺文本（含本人信息与受聘单位）的 SHA-256'),
              acceptedAt: dateTime('作出承诺的时间'),
            }),
            { type: 'null' },
          ],
        },
        application: schemaRef('Application'),
      },
      '申请详情，供打印申报信息',
    ),
  };
}

/** The whole API, every route the server mounts under /api. */
export function buildOpenApiDocument(options: OpenApiOptions = {}): OpenApiDocument {
  const lists = options.codeLists ?? defaultCodeLists;
  const accountOk = (description: string) => ({ description, content: json(schemaRef('AccountResponse')) });
  const setCookie = {
    'Set-Cookie': { description: `登录凭据 ${SESSION_COOKIE}（HttpOnly，SameSite=Lax）`, schema: string() },
  };

  const paths: Record<string, OpenApiPathItem> = {
    '/api/health': {
      get: {
        operationId: 'getHealth',
        summary: '服务健康检查',
        description: '供负载均衡和启动检查使用，同时检查数据库是否可用。',
        tags: ['系统'],
        responses: {
          '200': {
            description: '服务正常',
            content: json(object({ status: { const: 'ok' }, storage: { type: 'string', enum: ['sqlite', 'postgres'] } })),
          },
          '503': {
            description: '数据库不可用',
            content: json(object({ status: { const: 'unavailable' }, storage: { type: 'string', enum: ['sqlite', 'postgres'] } })),
          },
        },
      },
    },
    '/api/identity-checks': {
      post: {
        operationId: 'checkIdentity',
        summary: '身份核验：查询是否已注册',
        description: '姓名与身份证号码均须与已注册账号一致才返回 registered: true；不一致与未注册的回答相同。',
        tags: ['账号与登录'],
        requestBody: { required: true, content: json(requestSchemaOf(identityCheckSchema)) },
        responses: {
          '200': { description: '核验结果', content: json(object({ registered: { type: 'boolean' } })) },
          ...errors('400', '413', '415', '429'),
        },
      },
    },
    '/api/accounts': {
      post: {
        operationId: 'register',
        summary: '用户注册',
        description: '创建账号并直接登录（设置会话 Cookie）。密码至少 8 位，须同时包含字母和数字。',
        tags: ['账号与登录'],
        requestBody: { required: true, content: json(requestSchemaOf(registrationSchema)) },
        responses: {
          '201': { ...accountOk('注册成功，已登录'), headers: setCookie },
          ...errors('400'),
          '409': {
            description: '该身份证号码已注册',
            content: json({
              type: 'object',
              properties: { error: string('中文提示'), code: { const: 'duplicate' } },
              required: ['error', 'code'],
            }),
          },
          ...errors('413', '415', '429'),
        },
      },
    },
    '/api/session': {
      post: {
        operationId: 'signIn',
        summary: '登录',
        tags: ['账号与登录'],
        requestBody: { required: true, content: json(requestSchemaOf(signInSchema)) },
        responses: {
          '200': { ...accountOk('登录成功'), headers: setCookie },
          ...errors('400', '401', '413', '415', '429'),
        },
      },
      get: {
        operationId: 'getSession',
        summary: '当前登录账号',
        tags: ['账号与登录'],
        security: signedIn,
        responses: { '200': accountOk('当前账号'), ...errors('401') },
      },
      delete: {
        operationId: 'signOut',
        summary: '退出登录',
        description: '结束本次会话并清除 Cookie；未登录时同样成功。',
        tags: ['账号与登录'],
        responses: { '204': { description: '已退出' } },
      },
    },
    '/api/face-verifications': {
      get: {
        operationId: 'getFaceVerification',
        summary: '人脸识别状态',
        tags: ['人脸识别'],
        security: signedIn,
        responses: {
          '200': {
            description: '所用识别服务，以及 24 小时内最近一次通过的时间（没有则为 null）',
            content: json(
              object({
                provider: string('识别服务名称；development 表示开发模式'),
                verifiedAt: { type: ['string', 'null'], format: 'date-time' },
              }),
            ),
          },
          ...errors('401'),
        },
      },
      post: {
        operationId: 'verifyFace',
        summary: '人脸识别',
        description: '须勾选授权项（consent=yes）。图片只交给识别服务，服务器只保存识别结果和识别服务的编号，不保存图片。',
        tags: ['人脸识别'],
        security: signedIn,
        requestBody: {
          required: true,
          content: {
            'multipart/form-data': {
              schema: {
                type: 'object',
                properties: {
                  consent: { const: 'yes', description: '已勾选授权项' },
                  image: { type: 'string', format: 'binary', description: '人脸图片（jpg 或 png，不超过 2 MB）' },
                },
                required: ['consent', 'image'],
              },
              encoding: { image: { contentType: 'image/jpeg, image/png' } },
            },
          },
        },
        responses: {
          '200': {
            description: '已通过',
            content: json(
              object({
                result: { const: 'pass' },
                reference: string('识别服务的编号'),
                verifiedAt: dateTime('识别时间'),
                provider: string('识别服务名称'),
              }),
            ),
          },
          ...errors('400', '401', '413', '415'),
          '422': { description: '人脸识别未通过', content: json(schemaRef('Error')) },
          ...errors('503'),
        },
      },
    },
    '/api/enterprises': {
      get: {
        operationId: 'searchEnterprises',
        summary: '按名称关键字或信用代码查找企业',
        description: '名称包含关键字、或统一社会信用代码以其开头的企业；全角、空格和大小写不影响查找。',
        tags: ['企业库'],
        parameters: [
          { name: 'q', in: 'query', required: true, description: '企业名称关键字或统一社会信用代码前几位（1–50 字）', schema: { type: 'string', minLength: 1, maxLength: 50 } },
          { name: 'limit', in: 'query', required: false, description: '最多返回条数，默认 10', schema: { type: 'integer', minimum: 1, maximum: 50 } },
        ],
        responses: {
          '200': { description: '匹配的企业（可能为空）', content: json(object({ enterprises: { type: 'array', items: schemaRef('Enterprise') } })) },
          ...errors('400'),
        },
      },
    },
    '/api/enterprises/{uscc}': {
      get: {
        operationId: 'getEnterprise',
        summary: '按统一社会信用代码查看企业',
        tags: ['企业库'],
        parameters: [{ name: 'uscc', in: 'path', required: true, description: '统一社会信用代码（18 位）', schema: { type: 'string' } }],
        responses: { '200': { description: '企业', content: json(schemaRef('Enterprise')) }, ...errors('404') },
      },
    },
    '/api/attachments/{sha256}': {
      put: {
        operationId: 'uploadAttachment',
        summary: '上传一寸免冠照片或签名',
        description:
          '请求体为图片本身（jpg/jpeg/png，按内容识别），路径为设备计算的该图片内容的 SHA-256（小写十六进制），服务器核对不符则返回 422。' +
          '服务器重新编码并去除元数据后保存；本账号已上传过的同一内容直接返回 200，不再处理。不同账号上传同一图片互不影响。',
        tags: ['附件'],
        security: signedIn,
        parameters: [
          { name: 'sha256', in: 'path', required: true, description: '所上传图片内容的 SHA-256', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
          { name: 'kind', in: 'query', required: true, description: 'photo 一寸免冠照片；signature 签名', schema: { type: 'string', enum: ['photo', 'signature'] } },
        ],
        requestBody: {
          required: true,
          content: {
            'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
            'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
          },
        },
        responses: {
          '201': { description: '已保存', content: json(schemaRef('Attachment')) },
          '200': { description: '该图片已上传过', content: json(schemaRef('Attachment')) },
          ...errors('400', '401'),
          '409': { description: '同一图片已作为另一类附件上传', content: json(schemaRef('Error')) },
          '413': { description: '图片超过 5 MB 或像素过多', content: json(schemaRef('Error')) },
          ...errors('415'),
          '422': { description: '内容与 SHA-256 不符，或图片无法识别', content: json(schemaRef('Error')) },
        },
      },
      get: {
        operationId: 'getAttachment',
        summary: '查看本人上传的附件',
        description: '返回服务器重新编码后的图片。HEAD 请求只回答是否已有（200 或 404），设备可据此跳过上传。',
        tags: ['附件'],
        security: signedIn,
        parameters: [{ name: 'sha256', in: 'path', required: true, description: '附件 id', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
        responses: {
          '200': {
            description: '图片',
            content: {
              'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } },
              'image/png': { schema: { type: 'string', contentMediaType: 'image/png' } },
            },
          },
          ...errors('401', '404'),
        },
      },
    },
    '/api/drafts': {
      get: {
        operationId: 'listDrafts',
        summary: '我的草稿（最近保存的在前）',
        description: '在另一台设备登录后据此取回草稿。',
        tags: ['草稿'],
        security: signedIn,
        responses: {
          '200': { description: '本人的草稿', content: json(object({ drafts: { type: 'array', items: schemaRef('DraftCopy') } })) },
          ...errors('401'),
        },
      },
    },
    '/api/drafts/{id}': {
      put: {
        operationId: 'saveDraft',
        summary: '保存草稿（按版本号）',
        description:
          '服务器上的版本号等于 baseRevision（新草稿为 0）时保存并返回新版本号；否则返回 409 和服务器上的草稿，由设备逐字段合并后再保存。' +
          '同一内容的重试得到相同的版本号。不属于本人的草稿 id 与不存在的相同（404）。',
        tags: ['草稿'],
        security: signedIn,
        parameters: [{ name: 'id', in: 'path', required: true, description: '草稿 id（设备生成的 UUID）', schema: { type: 'string', format: 'uuid' } }],
        requestBody: { required: true, content: json(schemaRef('DraftWrite')) },
        responses: {
          '200': { description: '已保存', content: json(object({ revision: { type: 'integer', minimum: 1, description: '新的版本号' } })) },
          ...errors('400', '401', '404'),
          '409': {
            description: '草稿已在其他设备上修改：附服务器上的草稿',
            content: json(object({ error: string('中文提示'), draft: schemaRef('DraftCopy') })),
          },
          ...errors('413', '415'),
        },
      },
      delete: {
        operationId: 'deleteDraft',
        summary: '删除草稿',
        description: '草稿不存在时同样返回 204。',
        tags: ['草稿'],
        security: signedIn,
        parameters: [{ name: 'id', in: 'path', required: true, description: '草稿 id', schema: { type: 'string', format: 'uuid' } }],
        responses: { '204': { description: '已删除' }, ...errors('401') },
      },
    },
    '/api/submissions': {
      post: {
        operationId: 'submitApplication',
        summary: '提交申请（只受理一次）',
        description:
          '须在 24 小时内通过人脸识别。同一 Idempotency-Key：内容相同则返回首次的回执（200，内容完全相同）；内容不同或来自其他账号则返回 422；' +
          '首次请求仍在处理中则返回 409（按 Retry-After 稍后重试）。无论多少台服务器、多少次重试，只保存一份。' +
          '回执由服务器以 Ed25519 签名，可凭 GET /api/receipts/public-key 的公钥验证。' +
          '证件号码和姓名须与登录账号一致，企业须在企业库中，照片和签名须为本人上传。',
        tags: ['申报'],
        security: signedIn,
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: true,
            description: '设备上为这份申请生成的 UUID，重试时保持不变',
            schema: { type: 'string', format: 'uuid' },
          },
        ],
        requestBody: { required: true, content: json(schemaRef('Application')) },
        responses: {
          '201': {
            description: '已受理，返回回执',
            headers: { Location: { description: '申请详情的地址', schema: string() } },
            content: json(schemaRef('SubmissionReceipt')),
          },
          '200': { description: '重复提交：首次的回执', content: json(schemaRef('SubmissionReceipt')) },
          ...errors('400', '401', '403'),
          '409': {
            description: '同一 Idempotency-Key 的请求正在处理中，请稍后重试',
            headers: { 'Retry-After': { description: '建议等待的秒数', schema: { type: 'integer', minimum: 1 } } },
            content: json(schemaRef('Error')),
          },
          ...errors('413', '415', '422'),
        },
      },
      get: {
        operationId: 'listSubmissions',
        summary: '我的申请（最新的在前）',
        tags: ['申报'],
        security: signedIn,
        responses: {
          '200': { description: '本人的申请', content: json(object({ submissions: { type: 'array', items: schemaRef('SubmissionSummary') } })) },
          ...errors('401'),
        },
      },
    },
    '/api/submissions/{id}': {
      get: {
        operationId: 'getSubmission',
        summary: '查看申请详情',
        tags: ['申报'],
        security: signedIn,
        parameters: [{ name: 'id', in: 'path', required: true, description: '申请 id', schema: { type: 'string' } }],
        responses: { '200': { description: '申请详情', content: json(schemaRef('SubmissionDetail')) }, ...errors('401', '404') },
      },
    },
    '/api/receipts/public-key': {
      get: {
        operationId: 'getReceiptPublicKey',
        summary: '回执验签公钥',
        description: '验证受理回执签名所用的 Ed25519 公钥；无需登录，可缓存一小时。设备可保存它，离线验证回执。',
        tags: ['申报'],
        responses: {
          '200': {
            description: '公钥',
            headers: { 'Cache-Control': { description: 'public, max-age=3600', schema: string() } },
            content: json(schemaRef('ReceiptPublicKey')),
          },
        },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: '接口说明（OpenAPI 3.1）',
        tags: ['接口文档'],
        responses: { '200': { description: '本文档', content: json({ type: 'object' }) } },
      },
    },
    '/api/docs': {
      get: {
        operationId: 'getApiDocs',
        summary: '接口说明网页',
        tags: ['接口文档'],
        responses: { '200': { description: '中文网页', content: { 'text/html': { schema: string() } } } },
      },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: `${SERVICE_TITLE} 接口`,
      version: options.version ?? '0.1.0',
      description:
        '申请人端接口。请求和响应均为 JSON（另有注明的除外）；出错时返回 { error, issues? }，error 为中文提示。需要登录的接口凭 Cookie 会话识别。',
    },
    tags: [
      { name: '系统', description: '服务状态' },
      { name: '账号与登录', description: '身份核验、注册、登录与退出' },
      { name: '人脸识别', description: '实名核验（不保存人脸图片）' },
      { name: '企业库', description: '已注册、已认证的受聘单位' },
      { name: '草稿', description: '在本人多台设备间同步的申报草稿' },
      { name: '附件', description: '一寸免冠照片与签名' },
      { name: '申报', description: '提交申请与查看进度' },
      { name: '接口文档', description: '本说明' },
    ],
    paths,
    components: {
      securitySchemes: {
        cookieAuth: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: '登录或注册后设置的会话 Cookie' },
      },
      schemas: componentSchemas(lists),
      responses: componentResponses(),
    },
  };
}
