import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { Enterprise } from '../../shared/enterprise.ts';
import { theme } from '../styles/theme.ts';
import { ENTERPRISE_NOT_FOUND } from '../sync/enterprise-match.ts';
import { EnterpriseSearchController } from './enterprise-search-controller.ts';
import { ListboxController } from './listbox-controller.ts';

export type { Enterprise };

export interface EnterpriseChangeDetail {
  enterprise: Enterprise | undefined;
  /** With no pick: the text in the input, which the form keeps so it can be matched later. */
  typed?: string;
}

export { ENTERPRISE_NOT_FOUND };
export const ENTERPRISE_TO_MATCH_NOTE = '尚未选定企业：联网后将按名称自动匹配';
export const ENTERPRISE_OFFLINE = '搜索企业需要联网，网络恢复后再选择。已填写的内容不会丢失。';
export const ENTERPRISE_UNAVAILABLE = '企业查询暂时不可用，请稍后重试';
export const ENTERPRISE_OFFLINE_RESULTS = '（离线，显示此前查询过的结果）';

/**
 * 企业信息: the employer, picked from the directory by a keyword. An accessible combobox (ARIA 1.2
 * list autocomplete); the text typed stays in the input whatever the network does.
 */
export class EnterprisePicker extends LitElement {
  static override properties = {
    value: { attribute: false },
    typed: { attribute: false },
    invalid: { type: String },
    text: { state: true },
  };

  /** The picked enterprise; undefined while none is picked. */
  declare value: Enterprise | undefined;
  /** A name typed but not picked, kept by the form (a reloaded draft): shown as text, not as a pick. */
  declare typed: string | undefined;
  /** The form's error message for this field; empty when none. */
  declare invalid: string;
  declare private text: string;

  /** The directory's suggestions; replace `search.request` to answer without a server. */
  readonly search = new EnterpriseSearchController(this, (list) =>
    this.listbox.reset(list.length > 0 && this.shadowRoot?.activeElement === this.input),
  );
  private readonly listbox = new ListboxController(this, () => this.search.suggestions.length);

  static override styles = [
    theme,
    css`
      .field { position: relative; }
      label { display: block; font-weight: 600; margin-bottom: 0.25em; }
      .required { color: var(--danger, #b42318); margin-left: 0.15em; }
      input {
        width: 100%;
        padding: 0.4em 0.6em;
        border: 1px solid var(--border, #d7dde5);
        border-radius: 6px;
        background: #fff;
        color: inherit;
      }
      input[aria-invalid='true'] { border-color: var(--danger, #b42318); }
      /* Overlays what follows, so opening and closing it never shifts the page under a finger. */
      ul[role='listbox'] {
        position: absolute;
        left: 0;
        right: 0;
        z-index: 10;
        list-style: none;
        margin: 0.25em 0 0;
        padding: 0;
        border: 1px solid var(--border, #d7dde5);
        border-radius: 6px;
        background: #fff;
        max-height: 18em;
        overflow-y: auto;
        box-shadow: 0 4px 12px rgb(0 0 0 / 12%);
      }
      li[role='option'] {
        padding: 0.45em 0.6em;
        min-height: var(--target, 44px);
        box-sizing: border-box;
        cursor: pointer;
        border-bottom: 1px solid var(--border, #d7dde5);
      }
      li[role='option']:last-child { border-bottom: 0; }
      li[role='option'][aria-selected='true'], li[role='option']:hover { background: #e8f0fa; }
      li[role='option'][aria-selected='true'] { outline: 2px solid var(--brand, #1f5fa8); outline-offset: -2px; }
      .name { display: block; }
      .meta { display: block; font-size: 0.85em; color: var(--muted, #5a6573); word-break: break-all; }
      .status, .error { margin: 0.3em 0 0; font-size: 0.9em; }
      .status:empty, .error:empty { display: none; }
    `,
  ];

  constructor() {
    super();
    this.value = undefined;
    this.typed = undefined;
    this.invalid = '';
    this.text = '';
  }

  protected override willUpdate(changed: PropertyValues<this>) {
    // A value set by the form (e.g. a reloaded draft) shows its name; clearing it keeps what was typed.
    if (changed.has('value') && this.value) this.text = this.value.name;
    // The form keeps exactly what was emitted, so while typing this never moves the caret.
    else if (changed.has('typed') && !this.value && this.typed !== undefined && this.typed !== this.text) this.text = this.typed;
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  private onInput(event: Event) {
    this.text = (event.target as HTMLInputElement).value;
    // The text no longer names the picked enterprise, so the pick does not hold.
    if (this.value && this.text !== this.value.name) this.value = undefined;
    // With no pick, the text itself is reported: the form keeps it to match it before sending.
    if (!this.value) this.emit(undefined, this.text);
    this.search.typed(this.text);
  }

  private pick(enterprise: Enterprise) {
    this.search.stop();
    this.value = enterprise;
    this.text = enterprise.name;
    this.listbox.close();
    this.emit(enterprise);
    this.input?.focus();
  }

  private emit(enterprise: Enterprise | undefined, typed = '') {
    this.dispatchEvent(
      new CustomEvent<EnterpriseChangeDetail>('enterprise-change', {
        detail: enterprise ? { enterprise } : { enterprise: undefined, typed },
        bubbles: true,
        composed: true,
      }),
    );
  }

  private onKeyDown(event: KeyboardEvent) {
    // Nothing listed yet: search now instead of waiting for the pause in typing.
    if (event.key === 'ArrowDown' && this.search.suggestions.length === 0) {
      this.search.searchNow(this.text);
      return;
    }
    const chosen = this.listbox.keyDown(event);
    const enterprise = chosen === undefined ? undefined : this.search.suggestions[chosen];
    if (enterprise) this.pick(enterprise);
  }

  private onFocus() {
    if (this.search.suggestions.length > 0 && !this.value) this.listbox.reset(true);
  }

  private onFocusOut(event: FocusEvent) {
    const next = event.relatedTarget as Node | null;
    if (next && this.renderRoot.contains(next)) return;
    this.listbox.close();
  }

  private statusText(): string {
    const count = this.search.suggestions.length;
    const expanded = this.listbox.expanded;
    switch (this.search.state) {
      case 'loading':
        return '正在查询企业…';
      case 'results':
        return expanded ? `找到 ${count} 家企业，可用上下方向键选择，回车确认` : '';
      case 'offline-results':
        return expanded
          ? `${ENTERPRISE_OFFLINE_RESULTS}找到 ${count} 家企业，可用上下方向键选择，回车确认`
          : ENTERPRISE_OFFLINE_RESULTS;
      case 'empty':
        return ENTERPRISE_NOT_FOUND;
      case 'offline':
        return ENTERPRISE_OFFLINE;
      case 'failed':
        return ENTERPRISE_UNAVAILABLE;
      default:
        return '';
    }
  }

  override render() {
    const { state } = this.search;
    const expanded = this.listbox.open;
    const problem = state === 'empty' || state === 'failed' || state === 'offline';
    const toMatch = this.search.offline && !this.value && this.text.trim() !== '';
    return html`
      <div class="field" @focusout=${this.onFocusOut}>
        <label for="enterprise">企业名称<span class="required" aria-hidden="true">*</span></label>
        <input
          id="enterprise"
          type="text"
          role="combobox"
          autocomplete="off"
          aria-autocomplete="list"
          aria-required="true"
          aria-expanded=${expanded ? 'true' : 'false'}
          aria-controls="enterprise-options"
          aria-activedescendant=${this.listbox.activeId || nothing}
          aria-invalid=${this.invalid ? 'true' : 'false'}
          aria-describedby="enterprise-error enterprise-status${toMatch ? ' enterprise-note' : ''}"
          placeholder="请输入企业名称关键字，选中对应的企业"
          .value=${this.text}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @focus=${this.onFocus}
        />
        <ul
          id="enterprise-options"
          role="listbox"
          aria-label="匹配的企业"
          ?hidden=${!expanded}
          @mousedown=${(e: Event) => e.preventDefault()}
        >
          ${expanded
            ? this.search.suggestions.map(
                (e, i) => html`<li
                  id=${this.listbox.optionId(i)}
                  role="option"
                  aria-selected=${i === this.listbox.activeIndex ? 'true' : 'false'}
                  @click=${() => this.pick(e)}
                >
                  <span class="name">${e.name}</span>
                  <span class="meta">统一信用代码 ${e.uscc}</span>
                  <span class="meta">${e.province} ${e.city}</span>
                </li>`,
              )
            : nothing}
        </ul>
        <!-- With results, the match count is for screen readers only: the list shows it, and a line
             that comes and goes with the list would move the page under a finger. -->
        <p
          id="enterprise-status"
          class="status ${problem ? 'error' : 'muted'} ${state === 'results' ? 'visually-hidden' : ''}"
          aria-live="polite"
        >${this.statusText()}</p>
        ${toMatch ? html`<p id="enterprise-note" class="status muted">${ENTERPRISE_TO_MATCH_NOTE}</p>` : nothing}
        <p id="enterprise-error" class="error" aria-live="assertive">${this.invalid}</p>
      </div>
    `;
  }
}

customElements.define('enterprise-picker', EnterprisePicker);

declare global {
  interface HTMLElementTagNameMap {
    'enterprise-picker': EnterprisePicker;
  }
}
