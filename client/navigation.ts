/** Pages ask <app-shell> to move on by dispatching this event; they never touch history themselves. */
export interface NavigateDetail {
  to: string;
  /** Replace the current history entry instead of adding one (e.g. after a completed step). */
  replace?: boolean;
}

export function navigate(from: EventTarget, to: string, replace = false): void {
  from.dispatchEvent(
    new CustomEvent<NavigateDetail>('navigate', { detail: { to, replace }, bubbles: true, composed: true }),
  );
}

/** Paths of the applicant's screens, in the order of the journey. */
export const routes = {
  service: '/',
  identity: '/identity',
  register: '/register',
  signIn: '/sign-in',
  forgotPassword: '/forgot-password',
  changeMobile: '/account/mobile',
  face: '/face',
  notice: '/apply/notice',
  form: '/apply/form',
  done: '/apply/done',
  applications: '/applications',
  myData: '/me',
} as const;

/** Usage: `navigate(this, receiptRoute(receipt.submissionId), true)` — 申报告知 for that submission. */
export function receiptRoute(submissionId: string): string {
  return `${routes.done}?${new URLSearchParams({ submission: submissionId })}`;
}

/** The submission a receipt route names (see receiptRoute); undefined for any other address. */
export function submissionOfRoute(search: string): string | undefined {
  return new URLSearchParams(search).get('submission') ?? undefined;
}
