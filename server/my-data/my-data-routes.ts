import { Hono } from 'hono';
import { closureAnswerSchema, myDataMessages, myDataSchema } from '../../shared/api/my-data.ts';
import { endSession, requireAccount, type SignedIn } from '../accounts/session.ts';
import { clientAddress } from '../audit/audit.ts';
import type { Storage } from '../db/database.ts';
import { errorResponse } from '../http/errors.ts';
import { describeRoute, errorResponses, errorSpec } from '../openapi/describe-route.ts';
import { closeAccount } from './close-account.ts';
import { readMyData } from './my-data.ts';

export interface MyDataRoutesOptions {
  /** The time, injectable so tests can age a face check. */
  clock?: () => Date;
}

const describeRead = describeRoute({
  operationId: 'getMyData',
  summary: '我的信息：本服务保存的有关本人的全部信息',
  description:
    '账号、各申请及其各版本（含所提交的内容）和办理记录、人脸识别记录（只有结果和时间）、发给本人的通知，以及谁查看了我的申请：' +
    '工作人员、受聘单位或对接系统每次查阅或办理本人申请的身份、单位、操作和时间（不含工作人员姓名）。本次查阅本身也记入审计。' +
    '此答复即“下载我的数据”的文件内容。',
  tags: ['我的信息'],
  security: 'session',
  responses: { 200: { description: '本人的全部信息', schema: myDataSchema }, ...errorResponses(401) },
});

const describeClose = describeRoute({
  operationId: 'closeAccount',
  summary: '注销账号',
  description:
    '须没有正在办理的申请（状态不是已办结：单位未确认、不予受理、准予注册、不予注册、已撤回），且 10 分钟内通过人脸识别。' +
    '注销后所有登录会话结束、账号不能再登录（不保留密码），手机号码和草稿删除；已办结的申请依法继续保存，审计记录不删除。',
  tags: ['我的信息'],
  security: 'session',
  responses: {
    200: { description: '已注销', schema: closureAnswerSchema },
    ...errorResponses(401),
    403: errorSpec('10 分钟内未通过人脸识别'),
    409: errorSpec('有正在办理的申请（error 中列出申请编号和状态）'),
  },
});

/** /api/me: what is kept about the signed-in person, and closing their account. */
export function myDataRoutes(storage: Storage, options: MyDataRoutesOptions = {}) {
  const clock = options.clock ?? (() => new Date());
  return new Hono<SignedIn>()
    .use('*', async (c, next) => {
      // The whole of a person's data: no cache, shared or private, may keep it.
      c.header('Cache-Control', 'no-store');
      await next();
    })
    .use('*', requireAccount(storage))
    .get('/data', describeRead, async (c) =>
      c.json(await readMyData(storage, c.get('account'), { address: clientAddress(c), now: clock() }), 200),
    )
    .post('/closure', describeClose, async (c) => {
      const result = await closeAccount(storage, { accountId: c.get('account').id, address: clientAddress(c), now: clock() });
      switch (result.kind) {
        case 'in-progress':
          return errorResponse(c, 409, myDataMessages.inProgress(result.applications));
        case 'face-required':
          return errorResponse(c, 403, myDataMessages.faceRequired);
        case 'closed':
          // This session ended with the others; the browser forgets its cookie too.
          await endSession(c, storage);
          return c.json({ closedAt: result.closedAt, keptApplications: result.keptApplications, kept: result.kept }, 200);
      }
    });
}
