/**
 * The console's requests, over the one network client (client/net/api-client.ts): typed by the server's
 * routes, answers read with the shared schemas of shared/api/staff-session.ts and shared/api/review.ts.
 * Elements take a StaffClient so tests can hand one over a fake transport.
 */
import * as v from 'valibot';
import {
  type ConfirmationBody,
  type DecisionBody,
  decisionResultSchema,
  employerListSchema,
  type QueueFilter,
  queueSchema,
  staffSubmissionDetailSchema,
} from '../../shared/api/review.ts';
import {
  passwordChangeRequiredSchema,
  type StaffPasswordChangeRequest,
  type StaffSessionAnswer,
  type StaffSignInRequest,
  staffSessionAnswerSchema,
} from '../../shared/api/staff-session.ts';
import { filterQuery } from './queue/queue-filter.ts';
import { API_BASE, type ApiAnswer, type ApiFailure, type NetClient, NO_ANSWER, net as browserNet, readAnswer } from '../net/api-client.ts';

/** Sign-in with a one-time password: the person sets a new one first (POST /api/staff/password). */
export type SignInAnswer = ApiAnswer<StaffSessionAnswer> | (ApiFailure & { passwordChangeRequired: true });

export class StaffClient {
  constructor(readonly net: NetClient = browserNet) {}

  private get api() {
    return this.net.api;
  }

  /** Who is signed in; a failure (401) means nobody. */
  whoAmI(): Promise<ApiAnswer<StaffSessionAnswer>> {
    return readAnswer(this.api.staff.session.$get(), staffSessionAnswerSchema);
  }

  async signIn(body: StaffSignInRequest): Promise<SignInAnswer> {
    let response: Response;
    try {
      response = await this.api.staff.session.$post({ json: body });
    } catch {
      return NO_ANSWER;
    }
    if (response.status === 403) {
      const failure = await readAnswer(response.clone(), staffSessionAnswerSchema);
      const body = await response.json().catch(() => null);
      if (!failure.ok && v.is(passwordChangeRequiredSchema, body)) return { ...failure, passwordChangeRequired: true };
      return failure;
    }
    return readAnswer(response, staffSessionAnswerSchema);
  }

  changePassword(body: StaffPasswordChangeRequest): Promise<ApiAnswer<StaffSessionAnswer>> {
    return readAnswer(this.api.staff.password.$post({ json: body }), staffSessionAnswerSchema);
  }

  signOut(): Promise<ApiAnswer<null>> {
    return readAnswer(this.api.staff.session.$delete(), null);
  }

  queue(filter: QueueFilter, cursor?: string) {
    return readAnswer(this.api.staff.submissions.$get({ query: filterQuery(filter, cursor) }), queueSchema);
  }

  /** The address of the queue's CSV with these filters, for a download link. */
  csvUrl(filter: QueueFilter): string {
    return `${API_BASE}${this.api.staff['submissions.csv'].$path({ query: filterQuery(filter) })}`;
  }

  detail(id: string) {
    return readAnswer(this.api.staff.submissions[':id'].$get({ param: { id } }), staffSubmissionDetailSchema);
  }

  decide(id: string, body: DecisionBody) {
    return readAnswer(this.api.staff.submissions[':id'].decisions.$post({ param: { id }, json: body }), decisionResultSchema);
  }

  employerList() {
    return readAnswer(this.api.employer.submissions.$get(), employerListSchema);
  }

  confirm(id: string, body: ConfirmationBody) {
    return readAnswer(this.api.employer.submissions[':id'].confirmation.$post({ param: { id }, json: body }), decisionResultSchema);
  }
}

/** The console's client on the real network. */
export const staffClient = new StaffClient();
