import { css, html, LitElement } from 'lit';
import { theme } from '../styles/theme.ts';

const STEPS = ['申报须知', '申报信息', '申报告知'] as const;

/** The three-step stepper of the application: 申报须知 · 申报信息 · 申报告知. */
export class StepIndicator extends LitElement {
  static override properties = { current: { type: Number } };
  /** 1-based index of the step the person is on. */
  declare current: number;

  static override styles = [
    theme,
    css`
      ol { display: flex; list-style: none; margin: 12px 0; padding: 0; gap: 4px; }
      li { flex: 1; display: flex; flex-direction: column; align-items: center; gap: 4px; color: var(--muted, #5a6573); font-size: 0.9em; text-align: center; }
      .dot { width: 1.8em; height: 1.8em; border-radius: 50%; display: grid; place-items: center; border: 2px solid currentColor; font-weight: 600; }
      li[aria-current='step'], li.done { color: var(--brand, #1f5fa8); }
      li[aria-current='step'] .dot { background: var(--brand, #1f5fa8); color: #fff; border-color: var(--brand, #1f5fa8); }
    `,
  ];

  constructor() {
    super();
    this.current = 1;
  }

  override render() {
    return html`
      <nav aria-label="申报步骤">
        <ol>
          ${STEPS.map((label, index) => {
            const step = index + 1;
            return html`<li class=${step < this.current ? 'done' : ''} aria-current=${step === this.current ? 'step' : 'false'}>
              <span class="dot" aria-hidden="true">${step}</span><span>${label}</span>
            </li>`;
          })}
        </ol>
      </nav>
    `;
  }
}

customElements.define('step-indicator', StepIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'step-indicator': StepIndicator;
  }
}
