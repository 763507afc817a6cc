import { html } from 'lit';
import { todayIso } from '../../../shared/calendar-date.ts';
import { type CodeList, codeLists } from '../../../shared/code-lists.ts';
import { choiceField, selectField, type TextFieldOptions, textField } from '../../components/form-field.ts';
import { SEX_LABELS, type Sex } from '../../../shared/resident-id.ts';
import { FormSection } from './form-section.ts';

type TextKey = 'birthDate' | 'mobile' | 'school' | 'major' | 'graduationDate';
type CodeKey = 'ethnicity' | 'education' | 'degree';

const SEXES = Object.entries(SEX_LABELS) as [Sex, string][];

/** 基本信息: name and ID from the verified account (read only), then the person's own details. */
export class ApplicationBasicSection extends FormSection {
  static override shownValues = [
    'name', 'idNumber', 'sex', 'birthDate', 'mobile', 'school', 'major', 'graduationDate', 'ethnicity', 'education', 'degree',
  ] as const;

  private readOnly(id: string, label: string, value: string, required: boolean) {
    return textField({ id, label, value, required, readonly: true, describedBy: ['account-hint'] });
  }

  private text(key: TextKey, label: string, extra: Partial<TextFieldOptions> = {}) {
    return html`${this.correctionNote(key)}${textField({
      id: key,
      label,
      value: this.values[key] ?? '',
      error: this.errors.get(key),
      autocomplete: 'off',
      describedBy: this.correctionNoteIds(key),
      ...extra,
      onInput: (value) => this.edit({ field: key, value: value === '' ? undefined : value }),
      onBlur: (value) => this.leave(key, value),
    })}`;
  }

  private code(key: CodeKey, label: string, choices: CodeList) {
    return html`${this.correctionNote(key)}${selectField({
      id: key,
      label,
      value: this.values[key] ?? '',
      choices,
      error: this.errors.get(key),
      onChange: (code) => this.edit({ field: key, value: code === '' ? undefined : code }),
    })}`;
  }

  override render() {
    const today = todayIso();
    return html`<section class="card" aria-labelledby="basic-title">
      <h2 id="basic-title">基本信息</h2>
      <p class="hint" id="account-hint">姓名和证件号码来自实名账户，不能修改。</p>
      ${this.correctionNote('name')}${this.readOnly('name', '姓名', this.values.name ?? '', true)}
      ${this.correctionNote('sex')}
      ${choiceField({
        name: 'sex',
        legend: '性别',
        value: this.values.sex,
        choices: SEXES,
        error: this.errors.get('sex'),
        onChange: (sex) => this.edit({ field: 'sex', value: sex }),
      })}
      ${this.correctionNote('idType')}${this.readOnly('idType', '证件类型', '身份证', false)}
      ${this.correctionNote('idNumber')}${this.readOnly('idNumber', '证件号码', this.values.idNumber ?? '', true)}
      ${this.text('birthDate', '出生日期', { type: 'date', max: today })}
      ${this.text('mobile', '手机号码', { type: 'tel', autocomplete: 'tel', inputmode: 'numeric' })}
      ${this.code('ethnicity', '民族', codeLists.ethnicities)}
      ${this.code('education', '学历', codeLists.educationLevels)}
      ${this.code('degree', '学位', codeLists.degrees)}
      ${this.text('school', '毕业院校')}
      ${this.text('major', '所学专业')}
      ${this.text('graduationDate', '毕业时间', { type: 'date', max: today })}
    </section>`;
  }
}

customElements.define('application-basic-section', ApplicationBasicSection);

declare global {
  interface HTMLElementTagNameMap {
    'application-basic-section': ApplicationBasicSection;
  }
}
