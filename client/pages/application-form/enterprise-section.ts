import { html, nothing } from 'lit';
import * as v from 'valibot';
import { draftSchema } from '../../../shared/application-schema.ts';
import '../../components/enterprise-picker.ts';
import type { Enterprise, EnterpriseChangeDetail } from '../../components/enterprise-picker.ts';
import { FormSection } from './form-section.ts';

/** 企业信息: the employer picked from the directory (its details shown), or only typed for now. */
export class ApplicationEnterpriseSection extends FormSection {
  static override shownValues = ['enterprise'] as const;

  private onEnterprise(event: CustomEvent<EnterpriseChangeDetail>) {
    const { enterprise, typed = '' } = event.detail;
    // No pick: the text is kept as typed (so the picker's caret stays put) when a draft may hold it;
    // the outbox matches it against the directory before sending.
    const kept = v.is(draftSchema.entries.enterprise, { name: typed }) ? { name: typed } : undefined;
    this.edit({ field: 'enterprise', value: enterprise ? { ...enterprise } : kept });
  }

  override render() {
    const enterprise = this.values.enterprise;
    const picked = enterprise?.uscc
      ? html`<dl aria-label="所选企业">
          <dt>统一信用代码</dt><dd>${enterprise.uscc}</dd>
          <dt>法定代表人</dt><dd>${enterprise.legalRepresentative ?? ''}</dd>
          <dt>工商注册省份</dt><dd>${enterprise.province ?? ''}</dd>
          <dt>工商注册市区</dt><dd>${enterprise.city ?? ''}</dd>
        </dl>`
      : nothing;
    return html`<section class="card" aria-labelledby="enterprise-title">
      <h2 id="enterprise-title">企业信息</h2>
      ${this.correctionNote('enterprise')}
      <enterprise-picker
        .value=${enterprise?.uscc ? (enterprise as Enterprise) : undefined}
        .typed=${enterprise && !enterprise.uscc ? enterprise.name : undefined}
        .invalid=${this.errors.get('enterprise') ?? ''}
        @enterprise-change=${this.onEnterprise}
      ></enterprise-picker>
      ${picked}
    </section>`;
  }
}

customElements.define('application-enterprise-section', ApplicationEnterpriseSection);

declare global {
  interface HTMLElementTagNameMap {
    'application-enterprise-section': ApplicationEnterpriseSection;
  }
}
