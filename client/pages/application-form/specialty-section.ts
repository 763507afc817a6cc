import { html } from 'lit';
import { codeLists } from '../../../shared/code-lists.ts';
import { selectField } from '../../components/form-field.ts';
import { FormSection } from './form-section.ts';

/** 申请注册专业: two different specialties from the code list. */
export class ApplicationSpecialtySection extends FormSection {
  static override shownValues = ['specialty1', 'specialty2'] as const;

  private specialty(key: 'specialty1' | 'specialty2', label: string) {
    return html`${this.correctionNote(key)}${selectField({
      id: key,
      label,
      value: this.values[key] ?? '',
      choices: codeLists.specialties,
      error: this.errors.get(key),
      onChange: (code) => this.edit({ field: key, value: code === '' ? undefined : code }),
    })}`;
  }

  override render() {
    return html`<section class="card" aria-labelledby="specialty-title">
      <h2 id="specialty-title">申请注册专业</h2>
      ${this.specialty('specialty1', '申请注册专业1')} ${this.specialty('specialty2', '申请注册专业2')}
    </section>`;
  }
}

customElements.define('application-specialty-section', ApplicationSpecialtySection);

declare global {
  interface HTMLElementTagNameMap {
    'application-specialty-section': ApplicationSpecialtySection;
  }
}
