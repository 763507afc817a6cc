/**
 * What became of one attempt to send an outbox item, read from the server's answer, and the words the
 * person reads about it.
 */
import type { ApiFailure } from '../net/api-client.ts';
import type { OutboxRecord } from '../data/local-db.ts';

export const OUTBOX_MESSAGES = {
  offline: '网络不可用，恢复后自动提交',
  busy: '上一次提交仍在处理中，稍后自动重试',
  unavailable: (status: number) => `服务暂时不可用（${status}），稍后自动重试`,
  fields: '申请内容有误，请修改标红的项目后重新提交',
  signIn: '登录已过期，请重新核验身份后再提交。填写的内容仍保存在本机。',
  face: '人脸识别已过期，请重新完成人脸识别后再提交。填写的内容仍保存在本机。',
  attachment: '附件未能上传，请重新选择后再提交',
  refused: (status: number) => `提交未被受理（${status}），请修改后重新提交`,
  device: '本机存储暂时不可用，稍后自动重试',
  storageFull: '本机存储空间已满',
} as const;

export type RejectReason = NonNullable<OutboxRecord['rejectedFor']>;

export type Outcome =
  | { kind: 'sent' }
  | { kind: 'requeue'; message: string; maybeDelivered: boolean; offline?: boolean; storageFull?: boolean }
  | { kind: 'reject'; reason: RejectReason; message: string; issues?: OutboxRecord['issues'] }
  | { kind: 'rekey' }
  | { kind: 'gone' };

/** Field problems: the person fixes the draft and submits again. */
export function rejectFor(issues: NonNullable<OutboxRecord['issues']>): Outcome {
  return { kind: 'reject', reason: 'issues', message: OUTBOX_MESSAGES.fields, issues };
}

/**
 * Answers after which the same request is tried again later, or that need the person to sign in or
 * redo face verification; undefined for a refusal of the request itself.
 */
export function retryOrBlock(failure: ApiFailure): Outcome | undefined {
  const { status } = failure;
  if (status === 0) return { kind: 'requeue', message: OUTBOX_MESSAGES.offline, maybeDelivered: true, offline: true };
  if (status === 409) return { kind: 'requeue', message: OUTBOX_MESSAGES.busy, maybeDelivered: true };
  if (status === 408 || status === 429 || status >= 500) {
    // A 5xx may come after the commit (a proxy timing out): the key may already be taken.
    return { kind: 'requeue', message: OUTBOX_MESSAGES.unavailable(status), maybeDelivered: status >= 500 };
  }
  if (status === 401) return { kind: 'reject', reason: 'sign-in', message: OUTBOX_MESSAGES.signIn };
  if (status === 403) return { kind: 'reject', reason: 'face', message: OUTBOX_MESSAGES.face };
  return undefined;
}
