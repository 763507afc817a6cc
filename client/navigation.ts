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
  face: '/face',
  notice: '/apply/notice',
  form: '/apply/form',
  done: '/apply/done',
  applications: '/applications',
} as const;
