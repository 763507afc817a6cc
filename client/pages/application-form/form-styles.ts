import { css } from 'lit';

/** The form page's own look; its sections render into the page's tree, so these reach them too. */
export const applicationFormStyles = css`
  h1 { font-size: 1.25em; margin: 0.75em 0 0; }
  .code { color: var(--muted, #5a6573); font-size: 0.85em; word-break: break-all; margin: 0; }
  h2 { font-size: 1.1em; margin: 0 0 0.75em; }
  h2 .format { font-weight: normal; font-size: 0.85em; }
  dl { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: 0.4em 1em; margin: 0.5em 0 0; }
  dt { color: var(--muted, #5a6573); }
  dd { margin: 0; word-break: break-all; }
  .attachment + .attachment { margin-top: 1.25em; }
  .commitment-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75em; }
  .state-accepted { color: #1a7f37; font-weight: 600; }
  /* Kept in view while scrolling: the person always sees that the draft is saved, and 下一步. */
  .submit-bar { position: sticky; bottom: 0; background: var(--surface, #fff); padding: 0.5em 0 0.75em; box-shadow: 0 -1px 0 var(--border, #d7dde5); }
  .announce:not(:empty) { color: var(--danger, #b42318); background: #fdecea; border-radius: 8px; padding: 0.6em 0.8em; margin: 0 0 1em; }
  outbox-status { margin: 0 0 0.5em; }
  .withdraw { width: 100%; margin: 0 0 0.5em; }
  .correction-note { color: var(--danger, #b42318); background: #fdecea; border-radius: 8px; padding: 0.5em 0.75em; margin: 0 0 0.5em; }
  .correction-summary { border-left: 4px solid var(--danger, #b42318); }
  .corrections { margin: 0; padding-left: 1.2em; }
  .correction-note .label, .correction-summary .label { font-weight: 600; }
  .blocker { display: flex; flex-direction: column; gap: 0.75em; }
`;
