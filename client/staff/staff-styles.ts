import { css } from 'lit';

/** The console's tables, filters and buttons: dense for a desktop, every control reachable by keyboard. */
export const staffStyles = css`
  h1 { font-size: 1.35em; margin: 1em 0 0.5em; }
  h2 { font-size: 1.1em; margin: 0 0 0.5em; }
  table { border-collapse: collapse; width: 100%; background: var(--surface, #fff); }
  caption { text-align: left; font-weight: 600; padding: 0.5em 0; }
  th, td { border-bottom: 1px solid var(--border, #d7dde5); padding: 0.45em 0.6em; text-align: left; vertical-align: top; }
  th { background: #eef1f5; font-weight: 600; }
  a { color: var(--brand-dark, #174a84); }
  button.secondary, button.plain { min-height: var(--target, 36px); padding: 0 12px; border-radius: 6px; }
  button.plain { border: 1px solid #8a96a6; background: #fff; color: var(--text, #1c2430); }
  button.primary.inline { width: auto; padding: 0 16px; }
  .clock.near { color: #8a4b00; font-weight: 600; }
  .clock.overdue { color: var(--danger, #b42318); font-weight: 600; }
  .row { display: flex; flex-wrap: wrap; gap: 0.75em; align-items: end; }
  .row .field { margin: 0; min-width: 10em; }
  textarea { width: 100%; min-height: 4em; border: 1px solid #8a96a6; border-radius: 6px; padding: 0.4em; }
  .changed { background: #fff4d6; }
`;
