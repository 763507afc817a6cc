import type { ApplicationTopField } from '../../../shared/application-fields.ts';
import { type FieldProblems, inFormOrder } from '../../../shared/application-problems.ts';

/**
 * Which problems the person sees: those of the fields they have edited, every one after a 下一步, and
 * the server's word on a field (a rejection) until that field is edited.
 */
export class VisibleErrors {
  private readonly touched = new Set<ApplicationTopField>();
  private readonly server: FieldProblems = new Map();
  private attempted = false;
  private lastShown: FieldProblems = new Map();

  /** Edited: its own problems show as the person types; the server's word on it no longer applies. */
  edited(field: ApplicationTopField): void {
    this.touched.add(field);
    this.server.delete(field);
  }

  /** Its problems show from now on (a field judged against another, say). */
  touch(field: ApplicationTopField): void {
    this.touched.add(field);
  }

  /** Leaving a filled field shows its problems; leaving an empty one untouched does not nag. True if that changed. */
  left(field: ApplicationTopField, filled: boolean): boolean {
    if (!filled || this.touched.has(field)) return false;
    this.edited(field);
    return true;
  }

  /** 下一步, or a rejection with the server's issues: every problem shows from now on. */
  attempt(serverProblems: FieldProblems = new Map()): void {
    this.attempted = true;
    this.server.clear();
    for (const [field, message] of serverProblems) this.server.set(field, message);
  }

  /** The messages to show now, given every current problem of the form. */
  visible(problems: FieldProblems): FieldProblems {
    const shown: FieldProblems = new Map();
    for (const field of inFormOrder([...problems.keys(), ...this.server.keys()])) {
      const message = this.server.get(field) ?? problems.get(field);
      if (message && (this.server.has(field) || this.attempted || this.touched.has(field))) shown.set(field, message);
    }
    // The same messages as last time: the same Map, so a section that shows them has nothing new to render.
    const same = shown.size === this.lastShown.size && [...shown].every(([field, message]) => this.lastShown.get(field) === message);
    if (!same) this.lastShown = shown;
    return this.lastShown;
  }
}
