import { html, nothing } from 'lit';
import '../../components/commitment-dialog.ts';
import type { CommitmentChangeDetail, CommitmentDialog } from '../../components/commitment-dialog.ts';
import { FormSection } from './form-section.ts';

/** 个人承诺: the state of the commitment, and the dialog that shows its text and takes the choice. */
export class ApplicationCommitmentSection extends FormSection {
  static override shownValues = ['commitment', 'name', 'idNumber', 'mobile', 'enterprise'] as const;

  static override properties = {
    note: { attribute: false },
  };

  /** Why an earlier choice was dropped (the text it covered changed); '' for none. */
  declare note: string;

  constructor() {
    super();
    this.note = '';
  }

  private async open() {
    await this.querySelector<CommitmentDialog>('commitment-dialog')?.show();
  }

  private onChange(event: CustomEvent<CommitmentChangeDetail>) {
    const { choice, version, acceptedAt } = event.detail;
    this.edit({ field: 'commitment', value: { choice, version, acceptedAt } });
    // The dialog closed: back to where it was opened from.
    void this.updateComplete.then(() => this.querySelector<HTMLButtonElement>('#view-commitment')?.focus());
  }

  override render() {
    const { values } = this;
    const choice = values.commitment?.choice;
    const accepted = choice === 'accept';
    const message = this.errors.get('commitment');
    const describedBy = ['commitment-state', ...this.correctionNoteIds('commitment'), ...(message ? ['commitment-error'] : [])].join(' ');
    return html`<section class="card" aria-labelledby="commitment-heading">
        <h2 id="commitment-heading">个人承诺</h2>
        ${this.correctionNote('commitment')}
        <div class="commitment-row">
          <button id="view-commitment" type="button" class="secondary" aria-haspopup="dialog"
            aria-invalid=${message ? 'true' : 'false'} aria-describedby=${describedBy}
            @click=${this.open}>查看承诺书</button>
          <span id="commitment-state" class=${accepted ? 'state-accepted' : 'muted'}>
            ${accepted ? '已作出承诺' : choice === 'decline' ? '未作出承诺' : '未确认承诺书'}</span>
        </div>
        ${this.note ? html`<p class="hint">${this.note}</p>` : nothing}
        ${message ? html`<p class="field-error" id="commitment-error">${message}</p>` : nothing}
      </section>
      <commitment-dialog
        .party=${{
          name: values.name ?? '',
          idNumber: values.idNumber ?? '',
          mobile: values.mobile ?? '',
          employer: values.enterprise?.name ?? '',
        }}
        .choice=${choice}
        @commitment-change=${this.onChange}
      ></commitment-dialog>`;
  }
}

customElements.define('application-commitment-section', ApplicationCommitmentSection);

declare global {
  interface HTMLElementTagNameMap {
    'application-commitment-section': ApplicationCommitmentSection;
  }
}
