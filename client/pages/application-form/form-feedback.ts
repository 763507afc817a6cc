import { html, type LitElement, nothing, type ReactiveController } from 'lit';
import type { ApplicationTopField } from '../../../shared/application-fields.ts';
import { inFormOrder, problemsFromIssues } from '../../../shared/application-problems.ts';
import { LiveAnnouncer } from '../../components/live-announcer.ts';
import type { OutboxRecord } from '../../data/local-db.ts';
import { navigate, routes } from '../../navigation.ts';
import { fieldControl } from './field-focus.ts';
import { VisibleErrors } from './visible-errors.ts';

/** What stops a submission until the person acts elsewhere. */
type Blocker = 'identity' | 'face' | undefined;

/**
 * What the form tells the person about a submission: the errors shown on the fields, the focus on the
 * first to fix, the words read by screen readers, a message about the whole application, and the way
 * to sign in or redo face verification when the server asks for it.
 */
export class FormFeedback implements ReactiveController {
  readonly errors = new VisibleErrors();
  private readonly announcer: LiveAnnouncer;
  /** The outbox's or the server's word on the application as a whole. */
  private formError = '';
  private blocker: Blocker;

  constructor(private readonly host: LitElement) {
    host.addController(this);
    this.announcer = new LiveAnnouncer(host);
  }

  hostConnected(): void {}

  /** 下一步 again: earlier words go, and every problem shows from now on. */
  attempt(): void {
    this.errors.attempt();
    this.formError = '';
    this.blocker = undefined;
    this.host.requestUpdate();
  }

  /** Silence before the submission is handed on. */
  quiet(): void {
    this.announcer.clear();
  }

  /** Says it, and shows it as a problem of the whole application when `problem`. */
  async say(message: string, problem = false): Promise<void> {
    this.formError = problem ? message : '';
    await this.announcer.say(message);
  }

  /** The server refused it: its issues go on the fields, or the person is sent to sign in or face check. */
  rejected(item: OutboxRecord): void {
    const { fields, general } = problemsFromIssues(item.issues ?? []);
    this.errors.attempt(fields);
    this.blocker = item.rejectedFor === 'sign-in' ? 'identity' : item.rejectedFor === 'face' ? 'face' : undefined;
    this.formError = item.issues?.length ? general.join('；') : (item.lastError ?? '');
    this.host.requestUpdate();
    if (fields.size > 0) void this.reportInvalid(fields.keys());
    else void this.announcer.say(this.formError);
  }

  /** Focuses the first field to fix and says how many there are, again even when unchanged. */
  async reportInvalid(fields: Iterable<ApplicationTopField>): Promise<void> {
    const list = inFormOrder(fields);
    this.host.requestUpdate();
    await this.host.updateComplete;
    const first = list[0] ? fieldControl(this.host.renderRoot, list[0]) : null;
    if (first) {
      first.focus({ preventScroll: true });
      // Centred, so the sticky 下一步 bar does not cover it.
      first.scrollIntoView({ block: 'center' });
    }
    await this.announcer.say(`请修改标红的 ${list.length} 项后再提交`);
  }

  render() {
    const { formError, blocker } = this;
    return html`<div class="announce" id="announce" aria-live="assertive">${this.announcer.text}</div>
      ${formError && formError !== this.announcer.text ? html`<p class="form-error">${formError}</p>` : nothing}
      ${blocker === 'face'
        ? html`<button type="button" class="secondary" @click=${() => navigate(this.host, routes.face)}>前往人脸识别</button>`
        : blocker === 'identity'
          ? html`<button type="button" class="secondary" @click=${() => navigate(this.host, routes.identity)}>返回</button>`
          : nothing}`;
  }
}
