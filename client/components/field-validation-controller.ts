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
export class FieldValidationController<K extends string> implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly checks: Record<K, FieldCheck>;
  private readonly order: readonly K[];
  private readonly values: Record<K, string>;
  private readonly touched = new Set<K>();
  private readonly serverErrors = new Map<K, string>();
  private submitted = false;

  constructor(host: ReactiveControllerHost, checks: Record<K, FieldCheck>, initial: Partial<Record<K, string>> = {}) {
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
}
