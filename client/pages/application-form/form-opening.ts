/**
 * Opening the application form: who is signed in (the server's session, or offline the newest draft
 * on the device), the account's drafts from other devices, then the draft to edit, prefilled from the
 * account.
 */
import type { AccountView } from '../../../shared/api/accounts.ts';
import { sessionAnswerSchema } from '../../../shared/api/session.ts';
import { birthDateFromId, sexFromId } from '../../../shared/resident-id.ts';
import { DraftStore } from '../../data/draft-store.ts';
import { newestDraft } from '../../data/drafts.ts';
import type { LocalDb } from '../../data/local-db.ts';
import { type NetClient, net as appNet, readAnswer } from '../../net/api-client.ts';
import type { DraftSync } from '../../sync/draft-sync.ts';
import { correctionDraft } from './correction-draft.ts';

/** The signed-in person as GET /api/session reports them. */
export type SessionAccount = AccountView;

export type FormOpening =
  | { phase: 'signed-out' }
  | { phase: 'face-required'; account: SessionAccount }
  | { phase: 'failed'; failure: string }
  /** `offline`: the account is the device's own record of it; the server was not reached. */
  | { phase: 'ready'; account: SessionAccount; store: DraftStore; offline: boolean };

/** Offline with nothing on this device yet: the account (and so the form) needs the server once. */
const FIRST_OPEN_OFFLINE = '首次填写申报信息需要联网核验登录状态，请在网络恢复后点击“重试”。';
const NO_STORAGE = '无法在本机保存填写内容（浏览器存储不可用），请退出无痕模式或更换浏览器后重试。';
/** How long the form waits for the account's server drafts before showing what the device has. */
const PULL_WAIT_MS = 3000;

/** Offline fallback: the newest draft on the device stands in for the session it was made in. */
async function accountFromNewestDraft(db: LocalDb): Promise<SessionAccount | undefined> {
  const draft = await newestDraft(db);
  const { name, idNumber } = draft?.values ?? {};
  if (!draft || !name || !idNumber) return undefined;
  const birthDate = birthDateFromId(idNumber);
  const sex = sexFromId(idNumber);
  if (!birthDate || !sex) return undefined;
  const mobile = draft.values.mobile ?? '';
  return { id: draft.accountId, name, idNumber, mobile, birthDate, sex, faceVerified: true };
}

/** Name and ID are the account's; birth date, sex and mobile start from it and may be edited. */
function prefill(store: DraftStore, account: SessionAccount) {
  const values = store.values;
  if (values.name !== account.name) store.set('name', account.name);
  if (values.idNumber !== account.idNumber) store.set('idNumber', account.idNumber);
  if (values.idType !== 'resident-id') store.set('idType', 'resident-id');
  // Defaults, not edits: an edit made on another device wins over them when drafts are merged.
  if (values.birthDate === undefined) store.setDefault('birthDate', account.birthDate);
  if (values.sex === undefined) store.setDefault('sex', account.sex);
  if (values.mobile === undefined && account.mobile) store.setDefault('mobile', account.mobile);
}

export interface FormOpeningOptions {
  /** The signed-in person, when the page was given one; otherwise the server is asked. */
  given?: SessionAccount | undefined;
  /** A submission's id: the draft of its 补正 opens instead of the newest draft. */
  correction?: string | undefined;
  /** The network for a 补正's submitted version (default: the app's client). */
  net?: NetClient;
}

export async function openApplicationForm(db: LocalDb, sync: DraftSync, options: FormOpeningOptions = {}): Promise<FormOpening> {
  const { given, correction, net = appNet } = options;
  let account = given;
  let offline = false;
  if (!account) {
    const answer = await readAnswer(net.api.session.$get(), sessionAnswerSchema);
    if (answer.ok) {
      account = answer.data.account;
    } else if (answer.status === 401) {
      return { phase: 'signed-out' };
    } else {
      // Offline-first: a draft on this device can still be filled in without the server.
      account = await accountFromNewestDraft(db).catch(() => undefined);
      if (!account) return { phase: 'failed', failure: answer.offline ? FIRST_OPEN_OFFLINE : answer.error };
      offline = true;
    }
  }
  if (!account.faceVerified) return { phase: 'face-required', account };
  if (correction !== undefined) {
    const opened = await correctionDraft(db, net, account.id, correction).catch(() => ({ ok: false, failure: NO_STORAGE }) as const);
    if (!opened.ok) return { phase: 'failed', failure: opened.failure };
    return { phase: 'ready', account, store: DraftStore.opened(db, opened.record), offline };
  }
  if (!offline && navigator.onLine !== false) {
    // Drafts from other devices first, so the form opens on them; a slow answer is merged later.
    const pulled = sync.pullDrafts(account.id).catch((error: unknown) => console.error('[form] drafts not pulled', error));
    await Promise.race([pulled, new Promise((resolve) => setTimeout(resolve, PULL_WAIT_MS))]);
  }
  try {
    const store = await DraftStore.open(db, account.id);
    prefill(store, account);
    return { phase: 'ready', account, store, offline };
  } catch (error) {
    console.error('[form] cannot open the draft', error);
    return { phase: 'failed', failure: NO_STORAGE };
  }
}
