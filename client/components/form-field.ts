import { css, html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

/**
 * A labelled input with its hint and error, rendered into the page's own shadow root (not an element
 * of its own) so the label, the input and the page's <form> share one tree: `label[for]`, form submit
 * on Enter, password managers and focus all keep working.
 */
export interface TextFieldOptions {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  required?: boolean;
  type?: 'text' | 'tel' | 'password';
  autocomplete?: string;
  inputmode?: 'text' | 'numeric' | 'tel';
  /** Shown under the label and read with the field. */
  hint?: string;
  /** Further ids read with the field (e.g. a strength hint). */
  describedBy?: readonly string[];
  /** Rendered beside the input (e.g. a 显示/隐藏 toggle). */
  trailing?: TemplateResult;
  /** Rendered under the input, before the error. */
  below?: TemplateResult | typeof nothing;
  spellcheck?: boolean;
  autocapitalize?: 'off' | 'characters';
  onInput: (value: string) => void;
  onBlur: () => void;
}

export function textField(o: TextFieldOptions): TemplateResult {
  const required = o.required ?? true;
  const described = [
    ...(o.hint ? [`${o.id}-hint`] : []),
    ...(o.describedBy ?? []),
    ...(o.error ? [`${o.id}-error`] : []),
  ];
  const input = html`<input
    id=${o.id}
    name=${o.id}
    type=${o.type ?? 'text'}
    .value=${live(o.value)}
    ?required=${required}
    autocomplete=${ifDefined(o.autocomplete)}
    inputmode=${ifDefined(o.inputmode)}
    spellcheck=${o.spellcheck === undefined ? nothing : String(o.spellcheck)}
    autocapitalize=${ifDefined(o.autocapitalize)}
    aria-invalid=${o.error ? 'true' : 'false'}
    aria-describedby=${described.length ? described.join(' ') : nothing}
    @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
    @blur=${o.onBlur}
  />`;
  return html`<div class="field">
    <label for=${o.id}>${o.label}${required ? html`<span class="required" aria-hidden="true">*</span>` : nothing}</label>
    ${o.hint ? html`<p class="hint" id=${`${o.id}-hint`}>${o.hint}</p>` : nothing}
    ${o.trailing ? html`<div class="with-trailing">${input}${o.trailing}</div>` : input}
    ${o.below ?? nothing}
    ${o.error ? html`<p class="field-error" id=${`${o.id}-error`}>${o.error}</p>` : nothing}
  </div>`;
}

/** The 显示/隐藏 button of a password input; pressed = the password is visible. */
export function passwordToggle(controls: string, shown: boolean, onToggle: () => void): TemplateResult {
  return html`<button
    type="button"
    class="secondary toggle"
    aria-controls=${controls}
    aria-pressed=${shown ? 'true' : 'false'}
    @click=${onToggle}
  >${shown ? '隐藏' : '显示'}</button>`;
}

export const formFieldStyles = css`
  h1 { font-size: 1.35em; line-height: 1.4; margin: 0 0 0.5em; }
  form { margin: 0; }
  .field { margin: 0 0 1em; }
  .field label { display: block; font-weight: 600; margin: 0 0 0.25em; }
  .required { color: var(--danger, #b42318); margin-left: 0.15em; }
  .field input {
    width: 100%;
    padding: 0 0.75em;
    border: 1px solid #8a96a6;
    border-radius: 8px;
    background: #fff;
    color: inherit;
  }
  .field input[aria-invalid='true'] { border: 2px solid var(--danger, #b42318); }
  .with-trailing { display: flex; gap: 0.5em; align-items: stretch; }
  .with-trailing input { flex: 1; min-width: 0; }
  .toggle { flex: none; min-width: 4em; }
  .hint { color: var(--muted, #5a6573); font-size: 0.9em; margin: 0 0 0.25em; }
  .field-error { color: var(--danger, #b42318); font-size: 0.95em; margin: 0.25em 0 0; }
  .form-error:empty { display: none; }
  .form-error {
    color: var(--danger, #b42318);
    background: #fdecea;
    border-radius: 8px;
    padding: 0.6em 0.8em;
    margin: 0 0 1em;
  }
  button.primary[aria-disabled='true'] { background: #8a9bb0; cursor: progress; }
  button.link {
    background: none;
    border: 0;
    color: var(--brand, #1f5fa8);
    text-decoration: underline;
    padding: 0 0.25em;
  }
  .actions { display: flex; flex-direction: column; gap: 0.75em; margin-top: 0.5em; }
`;
