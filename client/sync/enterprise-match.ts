/**
 * An employer typed but never picked from the suggestions (typed offline, say) is matched against the
 * directory before the application is sent: it counts only when exactly one enterprise has that name
 * (or that USCC), compared the way the server's search compares (shared/search-text.ts).
 */
import { normaliseSearchText } from '../../shared/search-text.ts';
import { type NetClient, net } from '../net/api-client.ts';
import type { DirectoryEnterprise } from './enterprise-cache.ts';

/** Enterprises of the directory the server finds for a keyword; rejects when it cannot be asked. */
export type DirectorySearch = (keyword: string) => Promise<readonly DirectoryEnterprise[]>;

/** The seed's words for an employer the directory does not hold (or not as one enterprise). */
export const ENTERPRISE_NOT_FOUND =
  '未找到该企业：可能是企业名称输入错误，或该企业还未在“注册监理工程师管理系统”完成注册和认证。';

/** Matched by its USCC, the enterprise bears a name the person has not seen (nor accepted in the commitment). */
export const enterpriseToConfirmMessage = (name: string) => `已找到统一信用代码对应的企业“${name}”，请选中该企业后重新确认承诺书`;

/**
 * Whether the directory's name is the typed one up to spelling (full-width, spaces, letter case). The
 * commitment was accepted with the typed name; a match by name guarantees this, so the acceptance
 * covers the directory's name. A match by USCC does not.
 */
export function sameEnterpriseName(typed: string, directoryName: string): boolean {
  return normaliseSearchText(typed) === normaliseSearchText(directoryName);
}

/** The server caps one answer at this many (SEARCH_LIMIT_MAX): room for names that differ in spelling only. */
const MATCH_LIMIT = 50;

export class DirectoryUnavailableError extends Error {
  constructor(
    readonly status: number,
    readonly offline: boolean,
  ) {
    super(offline ? 'enterprise directory unreachable' : `enterprise directory answered ${status}`);
    this.name = 'DirectoryUnavailableError';
  }
}

/**
 * Usage: `const search = directorySearch(client)` — the server's directory as a DirectorySearch, asked
 * through the given network client (`searchEnterprises`, the same search the picker uses).
 */
export function directorySearch(client: NetClient = net): DirectorySearch {
  return async (keyword) => {
    const answer = await client.searchEnterprises(keyword, { limit: MATCH_LIMIT });
    if (!answer.ok) throw new DirectoryUnavailableError(answer.status, answer.offline);
    return answer.data.enterprises;
  };
}

/** GET /api/enterprises?q=… on the real network: name contains the keyword, or USCC starts with it. */
export const searchEnterpriseDirectory: DirectorySearch = (keyword) => directorySearch()(keyword);

/**
 * The one directory enterprise whose normalised name (or USCC) equals the typed text; undefined when
 * none or several do. Rejects (DirectoryUnavailableError with the default search) when the directory
 * cannot be asked: the caller keeps the application until it can.
 */
export async function matchTypedEnterprise(
  name: string,
  search: DirectorySearch = searchEnterpriseDirectory,
): Promise<DirectoryEnterprise | undefined> {
  const typed = normaliseSearchText(name);
  if (typed === '') return undefined;
  const found = await search(typed);
  const same = found.filter((e) => normaliseSearchText(e.name) === typed || normaliseSearchText(e.uscc) === typed);
  const distinct = new Map(same.map((e) => [e.uscc, e]));
  if (distinct.size !== 1) return undefined;
  const [only] = distinct.values();
  return only && { ...only };
}
