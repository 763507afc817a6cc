import { html, LitElement, nothing } from 'lit';
import type { Correction } from '../../../shared/api/submissions.ts';
import { type ApplicationTopField, fieldLabel, topField } from '../../../shared/application-fields.ts';

/** The notes to show beside each field; several on one field (企业名称, 统一社会信用代码) are read together. */
export function notesByField(corrections: readonly Correction[]): Map<ApplicationTopField, string> {
  const notes = new Map<ApplicationTopField, string>();
  for (const { field, note } of corrections) {
    const top = topField(field);
    if (top) notes.set(top, notes.has(top) ? `${notes.get(top)}；${note}` : note);
  }
  return notes;
}

/** Usage: `${correctionList(corrections)}` — each note with its field's name (the form's top, 我的申请). */
export function correctionList(corrections: readonly Correction[]) {
  return html`<ul class="corrections">
    ${corrections.map(({ field, note }) => html`<li><span class="label">${fieldLabel(field)}：</span>${note}</li>`)}
  </ul>`;
}

/**
 * The top of a 补正's form: what the reviewer asked, every note with the field's name, all at once
 * (一次性告知). Renders into the page's tree, like the form's sections.
 */
export class CorrectionSummary extends LitElement {
  static override properties = {
    corrections: { attribute: false },
  };

  declare corrections: readonly Correction[];

  constructor() {
    super();
    this.corrections = [];
  }

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    if (this.corrections.length === 0) return nothing;
    return html`<section class="card correction-summary" aria-labelledby="correction-title">
      <h2 id="correction-title">需补正</h2>
      <p class="hint">审查人员要求补正以下内容，请按意见修改后点击“下一步”重新提交。</p>
      ${correctionList(this.corrections)}
    </section>`;
  }
}

customElements.define('correction-summary', CorrectionSummary);

declare global {
  interface HTMLElementTagNameMap {
    'correction-summary': CorrectionSummary;
  }
}
