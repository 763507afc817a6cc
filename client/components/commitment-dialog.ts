import { css, html, LitElement, nothing } from 'lit';
import {
  COMMITMENT_TITLE,
  COMMITMENT_VERSION,
  type CommitmentChoice,
  type CommitmentParty,
  commitmentChoices,
  renderCommitment,
} from '../../shared/commitment.ts';
import { serverNow } from '../../shared/server-time.ts';
import { theme } from '../styles/theme.ts';

export interface CommitmentChangeDetail {
  choice: CommitmentChoice;
  version: string;
  /** When 确认 was pressed, ISO 8601. */
  acceptedAt: string;
}

const BLANK = '＿＿＿＿';

/**
 * 个人承诺: the commitment text filled with the applicant's details, in a modal <dialog>; 确认 reports
 * the choice with `commitment-change` and closes.
 */
export class CommitmentDialog extends LitElement {
  static override properties = {
    party: { attribute: false },
    choice: { attribute: false },
    selected: { state: true },
    problem: { state: true },
  };

  /** Name, ID number, mobile and employer written into the text. */
  declare party: CommitmentParty;
  /** The choice already made (preselected when the dialog opens). */
  declare choice: CommitmentChoice | undefined;
  declare private selected: CommitmentChoice | undefined;
  declare private problem: string;

  static override styles = [
    theme,
    css`
      dialog {
        border: 0;
        border-radius: 10px;
        padding: 0;
        width: min(42em, calc(100vw - 1.5em));
        max-height: calc(100dvh - 1.5em);
        color: inherit;
        font-size: inherit;
      }
      dialog::backdrop { background: rgb(0 0 0 / 45%); }
      .frame { display: flex; flex-direction: column; max-height: calc(100dvh - 1.5em); }
      header { display: flex; align-items: center; justify-content: space-between; padding: 0.5em 0.5em 0.5em 1em; border-bottom: 1px solid var(--border, #d7dde5); }
      h2 { font-size: 1.15em; margin: 0; }
      .close { min-width: var(--target, 44px); border: 0; background: none; font-size: 1.5em; line-height: 1; color: var(--muted, #5a6573); }
      .text { overflow-y: auto; padding: 0.5em 1em; }
      .text p { margin: 0.5em 0; }
      ol { list-style: none; margin: 0; padding: 0; }
      li { margin: 0.5em 0; }
      footer { border-top: 1px solid var(--border, #d7dde5); padding: 0.75em 1em 1em; }
      fieldset { border: 0; margin: 0 0 0.75em; padding: 0; }
      legend { font-weight: 600; padding: 0; margin-bottom: 0.25em; }
      .option { display: flex; align-items: center; gap: 0.5em; min-height: var(--target, 44px); }
      .option input { min-height: auto; width: 1.25em; height: 1.25em; margin: 0; }
      .problem { margin: 0 0 0.5em; }
    `,
  ];

  constructor() {
    super();
    this.party = { name: '', idNumber: '', mobile: '', employer: '' };
    this.choice = undefined;
    this.selected = undefined;
    this.problem = '';
  }

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  get open(): boolean {
    return this.dialog?.open ?? false;
  }

  /** Opens modally with the current choice preselected. */
  async show(): Promise<void> {
    this.selected = this.choice;
    this.problem = '';
    await this.updateComplete;
    const dialog = this.dialog;
    if (dialog && !dialog.open) dialog.showModal();
  }

  close(): void {
    this.dialog?.close();
  }

  private confirm() {
    if (!this.selected) {
      this.problem = '请选择是否作出上述承诺';
      return;
    }
    const detail: CommitmentChangeDetail = {
      choice: this.selected,
      version: COMMITMENT_VERSION,
      // When the person committed, on the service's clock (a phone's may be days off).
      acceptedAt: serverNow().toISOString(),
    };
    this.dispatchEvent(new CustomEvent<CommitmentChangeDetail>('commitment-change', { detail, bubbles: true, composed: true }));
    this.close();
  }

  override render() {
    const party = {
      name: this.party.name || BLANK,
      idNumber: this.party.idNumber || BLANK,
      mobile: this.party.mobile || BLANK,
      employer: this.party.employer || BLANK,
    };
    const [intro, personal, ...clauses] = renderCommitment(party).paragraphs;
    return html`
      <dialog aria-labelledby="commitment-title" aria-describedby="commitment-intro">
        <div class="frame">
          <header>
            <h2 id="commitment-title">${COMMITMENT_TITLE}</h2>
            <button type="button" class="close" aria-label="关闭" @click=${this.close}>×</button>
          </header>
          <div class="text" tabindex="0" aria-label="承诺书内容">
            <p id="commitment-intro">${intro}</p>
            <p class="personal">${personal}</p>
            <ol class="clauses">${clauses.map((clause) => html`<li>${clause}</li>`)}</ol>
          </div>
          <footer>
            <fieldset>
              <legend>请选择</legend>
              ${commitmentChoices.map(
                ({ value, label }) => html`<div class="option">
                  <input
                    type="radio"
                    id="choice-${value}"
                    name="commitment-choice"
                    value=${value}
                    .checked=${this.selected === value}
                    @change=${() => {
                      this.selected = value;
                      this.problem = '';
                    }}
                  />
                  <label for="choice-${value}">${label}</label>
                </div>`,
              )}
            </fieldset>
            ${this.problem ? html`<p class="problem error" role="alert">${this.problem}</p>` : nothing}
            <button type="button" class="primary" @click=${this.confirm}>确认</button>
          </footer>
        </div>
      </dialog>
    `;
  }
}

customElements.define('commitment-dialog', CommitmentDialog);

declare global {
  interface HTMLElementTagNameMap {
    'commitment-dialog': CommitmentDialog;
  }
}
