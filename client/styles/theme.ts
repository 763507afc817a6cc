import { css } from 'lit';

/**
 * Shared look of every element. Colours and sizes are custom properties set once on <app-shell>, so
 * they reach into every shadow root; the large-text mode (适老化) changes them there and only there.
 * Use `em` or these variables, never fixed pixel font sizes.
 */
export const theme = css`
  :host {
    display: block;
    color: var(--text, #1c2430);
    font-size: var(--font-size, 1rem);
    line-height: 1.6;
    /* A long unbroken run (a receipt number in a sentence) wraps rather than scrolling the screen sideways. */
    overflow-wrap: break-word;
  }
  button {
    font: inherit;
    min-height: var(--target, 44px);
    cursor: pointer;
  }
  button.primary {
    width: 100%;
    border: 0;
    border-radius: 8px;
    background: var(--brand, #1f5fa8);
    color: #fff;
    font-size: 1.05em;
  }
  button.primary:hover:not(:disabled) { background: var(--brand-dark, #174a84); }
  button.primary:disabled { background: #8a9bb0; cursor: not-allowed; }
  button.secondary {
    border: 1px solid var(--brand, #1f5fa8);
    border-radius: 8px;
    background: #fff;
    color: var(--brand, #1f5fa8);
    padding: 0 16px;
  }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
    outline: 3px solid #f2b705;
    outline-offset: 2px;
  }
  input, select, textarea {
    font: inherit;
    min-height: var(--target, 44px);
    box-sizing: border-box;
  }
  .card {
    background: var(--surface, #fff);
    border-radius: 10px;
    padding: 16px;
    margin: 12px 0;
    box-shadow: 0 1px 2px rgb(0 0 0 / 6%);
  }
  .error { color: var(--danger, #b42318); }
  /* Read by screen readers, not shown (live regions, counts the list already shows on screen). */
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .muted { color: var(--muted, #5a6573); }
`;
