/** How screens tell <staff-console> that the session began or ended (events bubbling out of shadow roots). */
import type { StaffView } from '../../shared/api/staff-session.ts';

export function signedIn(from: EventTarget, staff: StaffView): void {
  from.dispatchEvent(new CustomEvent<StaffView>('signed-in', { detail: staff, bubbles: true, composed: true }));
}

/** A request was refused for want of a session (it ended while idle, or after 8 hours). */
export function signedOut(from: EventTarget): void {
  from.dispatchEvent(new Event('signed-out', { bubbles: true, composed: true }));
}
