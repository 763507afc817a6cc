import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { ApiAnswer, ApiFailure } from '../net/api-client.ts';
import { type FieldCheck, FieldValidationController } from './field-validation-controller.ts';
import { LiveAnnouncer } from './live-announcer.ts';

export interface OnlineFormOptions<K extends string> {
  checks: Record<K, FieldCheck>;
  initial?: Partial<Record<K, string>>;
  /** The fields' names as the labels say them, for what is announced. */
  labels: Record<K, string>;
  /** Shown above the button when the server cannot be reached: what needs the network, and that nothing is lost. */
  offlineMessage: string;
  /** Whether a field is on the form now (one not shown cannot show a server issue under it); all by default. */
  shown?: (key: K) => boolean;
}

/**
 * A small form that only works online (身份核验, 注册, 登录): its fields, what it announces, and one submit
 * that checks the fields, sends once at a time and shows the server's answer — offline, issues under
 * their fields (the first focused and announced), or the server's message above the button.
 */
export class OnlineFormController<K extends string> implements ReactiveController {
  private readonly host: ReactiveControllerHost;
  private readonly labels: Record<K, string>;
  private readonly offlineMessage: string;
  private readonly shown: (key: K) => boolean;
  readonly fields: FieldValidationController<K>;
  /** Render its text inside the page's polite live region. */
  readonly announcer: LiveAnnouncer;
  private sending = false;
  private message = '';

  constructor(host: ReactiveControllerHost & { readonly renderRoot: ParentNode }, options: OnlineFormOptions<K>) {
    this.host = host;
    this.labels = options.labels;
    this.offlineMessage = options.offlineMessage;
    this.shown = options.shown ?? (() => true);
    this.fields = new FieldValidationController<K>(host, options.checks, options.initial);
    this.announcer = new LiveAnnouncer(host);
    host.addController(this);
  }

  hostConnected(): void {}

  /** A request is under way: the button says so (aria-disabled, so it keeps the focus). */
  get busy(): boolean {
    return this.sending;
  }

  /** The form's message above the button (role=alert); empty when none. */
  get error(): string {
    return this.message;
  }

  set error(text: string) {
    this.message = text;
    this.host.requestUpdate();
  }

  /**
   * Typing in a field. With `announce`, an error the typing brings is said out loud: the age refusal
   * shows while the ID number is typed, and the person may not be looking at it.
   */
  input(key: K, value: string, announce = false): void {
    const before = this.fields.error(key);
    this.fields.setValue(key, value);
    const after = this.fields.error(key);
    if (announce && after && after !== before) void this.announcer.say(after);
  }

  /**
   * The form's submit button, saying while a request is under way. aria-disabled, not disabled: a
   * disabled button would drop the focus while waiting.
   */
  submitButton(label: string, busyLabel: string): TemplateResult {
    return html`<button class="primary" type="submit" aria-disabled=${this.sending ? 'true' : 'false'}>
      ${this.sending ? busyLabel : label}
    </button>`;
  }

  /** The page's polite live region, read by screen readers only. */
  liveRegion(): TemplateResult {
    return html`<p class="visually-hidden" role="status" aria-live="polite">${this.announcer.text}</p>`;
  }

  /**
   * One submit: nothing while a request is under way; with a field in error, every error shows and the
   * first is focused and announced. Otherwise `send` runs and its failure is shown, unless `refused`
   * handles it first (returns true: sign-in's wrong password, say). Resolves with the answer when one
   * was asked for, for the page to act on an ok one.
   */
  async submit<T>(
    send: () => Promise<ApiAnswer<T>>,
    refused: (failure: ApiFailure) => boolean = () => false,
  ): Promise<ApiAnswer<T> | undefined> {
    if (this.sending) return undefined;
    this.error = '';
    const refusal = await this.fields.refuseInvalid(this.labels);
    if (refusal) {
      void this.announcer.say(refusal);
      return undefined;
    }
    this.sending = true;
    this.host.requestUpdate();
    const answer = await send();
    this.sending = false;
    this.host.requestUpdate();
    if (!answer.ok && !refused(answer)) await this.showFailure(answer);
    return answer;
  }

  private async showFailure(failure: ApiFailure) {
    if (failure.offline) {
      this.error = this.offlineMessage;
      return;
    }
    // An issue kept on a field not shown would refuse every later submit with nothing to correct.
    const first = this.fields.applyServerIssues(failure.issues.filter((issue) => this.shown(issue.field as K)));
    if (first !== undefined) {
      void this.announcer.say(await this.fields.focusError(first, this.labels));
      return;
    }
    // An issue the form cannot show under a field is still worth more than the general message.
    this.error = failure.issues[0]?.message ?? failure.error;
  }
}
