import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A problem with a field; `immediate` ones show while typing, before the field is first left. */
export interface FieldProblem {
  message: string;
  immediate?: boolean;
}

export type FieldCheck = (value: string) => FieldProblem | string | undefined;

interface ServerIssue {
  field: string;
  message: string;
}

/**
 * Values and errors of a small form. Errors show after a field is first left (then update as the
 * person types) or after a submit; the server's message for a field stays until that field changes.
 */
/** The element the controller serves: its inputs carry the fields' keys as ids. */
type FormHost = ReactiveControllerHost & { readonly renderRoot: ParentNode };

export class FieldValidationController<K extends string> implements ReactiveController {
  private readonly host: FormHost;
  private readonly checks: Record<K, FieldCheck>;
  private readonly order: readonly K[];
  private readonly values: Record<K, string>;
  private readonly touched = new Set<K>();
  private readonly serverErrors = new Map<K, string>();
  private submitted = false;

  constructor(host: FormHost, checks: Record<K, FieldCheck>, initial: Partial<Record<K, string>> = {}) {
    this.host = host;
    this.checks = checks;
    this.order = Object.keys(checks) as K[];
    this.values = Object.fromEntries(this.order.map((key) => [key, initial[key] ?? ''])) as Record<K, string>;
    host.addController(this);
  }

  hostConnected(): void {}

  value(key: K): string {
    return this.values[key];
  }

  setValue(key: K, value: string): void {
    if (this.values[key] === value) return;
    this.values[key] = value;
    this.serverErrors.delete(key);
    this.host.requestUpdate();
  }

  /** Called on blur: from now on this field's errors show as the person types. */
  markTouched(key: K): void {
    if (this.touched.has(key)) return;
    this.touched.add(key);
    this.host.requestUpdate();
  }

  private problem(key: K): FieldProblem | undefined {
    const server = this.serverErrors.get(key);
    if (server) return { message: server };
    const result = this.checks[key](this.values[key]);
    return typeof result === 'string' ? { message: result } : result;
  }

  /** The message to show under the field now, if any. */
  error(key: K): string | undefined {
    const problem = this.problem(key);
    if (!problem) return undefined;
    return problem.immediate || this.submitted || this.touched.has(key) || this.serverErrors.has(key)
      ? problem.message
      : undefined;
  }

  /** Shows every error; returns the fields in error in form order (empty when all is well). */
  validateAll(): K[] {
    this.submitted = true;
    this.host.requestUpdate();
    return this.order.filter((key) => this.problem(key) !== undefined);
  }

  /** Takes the server's per-field issues; returns the first affected field in form order. */
  applyServerIssues(issues: readonly ServerIssue[]): K | undefined {
    for (const issue of issues) {
      if ((this.order as readonly string[]).includes(issue.field) && !this.serverErrors.has(issue.field as K)) {
        this.serverErrors.set(issue.field as K, issue.message);
      }
    }
    this.host.requestUpdate();
    return this.order.find((key) => this.serverErrors.has(key));
  }

  /** Moves focus to a field's input once the host has rendered; `select` also selects its text. */
  async focus(key: K, select = false): Promise<void> {
    await this.host.updateComplete;
    const input = this.host.renderRoot.querySelector<HTMLInputElement>(`#${key}`);
    input?.focus();
    if (select) input?.select();
  }

  /**
   * The check before a submit: undefined when every field is valid; otherwise every error shows, the
   * first field in error gets the focus, and the words to announce are returned.
   */
  async refuseInvalid(labels: Record<K, string>): Promise<string | undefined> {
    const invalid = this.validateAll();
    const first = invalid[0];
    if (first === undefined) return undefined;
    await this.focus(first);
    return `有${invalid.length}项需要更正。${labels[first]}：${this.error(first)}`;
  }

  /** What to announce about a field in error, after focusing it (a server issue, say). */
  async focusError(key: K, labels: Record<K, string>): Promise<string> {
    await this.focus(key);
    return `${labels[key]}：${this.error(key)}`;
  }

  /**
   * What a text field needs from this controller: its id (the key), value, error and handlers. By
   * default typing sets the value; a page that does more on input passes its own handler.
   */
  bind(key: K, onInput: (value: string) => void = (value) => this.setValue(key, value)) {
    return { id: key, value: this.value(key), error: this.error(key), onInput, onBlur: () => this.markTouched(key) };
  }
}
