import { css } from 'lit';

/** Shared look of every page. Sizes come from custom properties so a large-text mode can scale them. */
export const theme = css`
  :host {
    --brand: #1f5fa8;
    --brand-dark: #174a84;
    --text: #1c2430;
    --muted: #5a6573;
    --surface: #ffffff;
    --border: #d7dde5;
    --danger: #b42318;
    --font-size: 16px;
    --target: 44px;
    display: block;
    color: var(--text);
    font-size: var(--font-size);
    line-height: 1.6;
  }
  button.primary {
    min-height: var(--target);
    width: 100%;
    border: 0;
    border-radius: 8px;
    background: var(--brand);
    color: #fff;
    font: inherit;
    font-size: 1.05em;
    cursor: pointer;
  }
  button.primary:hover { background: var(--brand-dark); }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible {
    outline: 3px solid #f2b705;
    outline-offset: 2px;
  }
  .card {
    background: var(--surface);
    border-radius: 10px;
    padding: 16px;
    margin: 12px 0;
    box-shadow: 0 1px 2px rgb(0 0 0 / 6%);
  }
`;
