import { css, html, nothing, type TemplateResult } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';

/**
 * A labelled control (input, select or a group of radios) with its hint and error, rendered into the
 * page's own tree (not an element with a shadow root of its own) so the label, the control and the
 * page's <form> share one tree: `label[for]`, form submit on Enter, password managers and focus all
 * keep working.
 */
export interface TextFieldOptions {
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  required?: boolean;
  type?: 'text' | 'tel' | 'password' | 'date';
  /** The latest date a date input offers. */
  max?: string;
  /** Shown, not edited (e.g. what the verified account says). */
  readonly?: boolean;
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
  onInput?: (value: string) => void;
  onBlur?: (value: string) => void;
}

const requiredMark = (required: boolean) => (required ? html`<span class="required" aria-hidden="true">*</span>` : nothing);

const errorLine = (id: string, error: string | undefined) =>
  error ? html`<p class="field-error" id=${`${id}-error`}>${error}</p>` : nothing;

function describedBy(id: string, error: string | undefined, hint?: string, more: readonly string[] = []) {
  const ids = [...(hint ? [`${id}-hint`] : []), ...more, ...(error ? [`${id}-error`] : [])];
  return ids.length ? ids.join(' ') : nothing;
}

export function textField(o: TextFieldOptions): TemplateResult {
  const required = o.required ?? true;
  const input = html`<input
    id=${o.id}
    name=${o.id}
    type=${o.type ?? 'text'}
    .value=${live(o.value)}
    ?required=${required}
    ?readonly=${o.readonly}
    max=${ifDefined(o.max)}
    autocomplete=${ifDefined(o.autocomplete)}
    inputmode=${ifDefined(o.inputmode)}
    spellcheck=${o.spellcheck === undefined ? nothing : String(o.spellcheck)}
    autocapitalize=${ifDefined(o.autocapitalize)}
    aria-invalid=${o.error ? 'true' : 'false'}
    aria-describedby=${describedBy(o.id, o.error, o.hint, o.describedBy)}
    @input=${(e: Event) => o.onInput?.((e.target as HTMLInputElement).value)}
    @blur=${(e: Event) => o.onBlur?.((e.target as HTMLInputElement).value)}
  />`;
  return html`<div class="field">
    <label for=${o.id}>${o.label}${requiredMark(required)}</label>
    ${o.hint ? html`<p class="hint" id=${`${o.id}-hint`}>${o.hint}</p>` : nothing}
    ${o.trailing ? html`<div class="with-trailing">${input}${o.trailing}</div>` : input}
    ${o.below ?? nothing}
    ${errorLine(o.id, o.error)}
  </div>`;
}

export interface SelectFieldOptions {
  id: string;
  label: string;
  /** The chosen code; '' for none (请选择). */
  value: string;
  choices: readonly { code: string; name: string }[];
  error?: string | undefined;
  onChange: (code: string) => void;
}

/** A required pick from a code list, starting on 请选择. */
export function selectField(o: SelectFieldOptions): TemplateResult {
  return html`<div class="field">
    <label for=${o.id}>${o.label}${requiredMark(true)}</label>
    <select
      id=${o.id}
      name=${o.id}
      aria-required="true"
      aria-invalid=${o.error ? 'true' : 'false'}
      aria-describedby=${describedBy(o.id, o.error)}
      @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}
    >
      <option value="" .selected=${live(o.value === '')}>请选择</option>
      ${o.choices.map((item) => html`<option value=${item.code} .selected=${live(item.code === o.value)}>${item.name}</option>`)}
    </select>
    ${errorLine(o.id, o.error)}
  </div>`;
}

export interface ChoiceFieldOptions<T extends string> {
  /** The group's name; each radio's id is `${name}-${value}`. */
  name: string;
  legend: string;
  value: T | undefined;
  choices: readonly (readonly [T, string])[];
  error?: string | undefined;
  onChange: (value: T) => void;
}

/** A required choice of one among a few, as radios in a fieldset. */
export function choiceField<T extends string>(o: ChoiceFieldOptions<T>): TemplateResult {
  return html`<fieldset class="field" aria-describedby=${describedBy(o.name, o.error)}>
    <legend>${o.legend}${requiredMark(true)}</legend>
    <div class="choices">
      ${o.choices.map(
        ([value, text]) => html`<span class="choice">
          <input
            type="radio"
            id=${`${o.name}-${value}`}
            name=${o.name}
            value=${value}
            aria-invalid=${o.error ? 'true' : 'false'}
            .checked=${live(o.value === value)}
            @change=${() => o.onChange(value)}
          />
          <label for=${`${o.name}-${value}`}>${text}</label>
        </span>`,
      )}
    </div>
    ${errorLine(o.name, o.error)}
  </fieldset>`;
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
  .field select { width: 100%; padding: 0 0.75em; border: 1px solid #8a96a6; border-radius: 8px; background: #fff; color: inherit; }
  .field input[readonly] { background: #eef1f5; }
  .field select[aria-invalid='true'] { border: 2px solid var(--danger, #b42318); }
  fieldset.field { border: 0; padding: 0; min-width: 0; }
  fieldset.field legend { font-weight: 600; padding: 0; margin: 0 0 0.25em; }
  .choices { display: flex; gap: 1.5em; }
  .choice { display: flex; align-items: center; gap: 0.4em; min-height: var(--target, 44px); }
  .field .choice input { width: 1.25em; height: 1.25em; min-height: 0; margin: 0; }
  .choice label { margin: 0; font-weight: normal; }
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
