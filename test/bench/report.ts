/** How the bench states its figures: one table per section, each figure beside its goal. */

export interface Goal {
  /** What the goal says, as written in the README, e.g. "≤ 14 KB". */
  text: string;
  met: boolean;
}

export interface Row {
  figure: string;
  value: string;
  goal?: Goal;
}

export function goal(text: string, met: boolean): Goal {
  return { text, met };
}

/** Columns padded by display width (a CJK character takes two). */
function width(text: string): number {
  let w = 0;
  for (const char of text) w += /[\u2E80-\uFFFF]/.test(char) ? 2 : 1;
  return w;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

export function printTable(title: string, rows: readonly Row[]): void {
  const cells = rows.map((row) => [row.figure, row.value, row.goal?.text ?? '', row.goal ? (row.goal.met ? 'met' : 'MISSED') : '']);
  const header = ['figure', 'measured', 'goal', ''];
  const widths = header.map((h, i) => Math.max(width(h), ...cells.map((c) => width(c[i]!))));
  const line = (c: string[]) => c.map((cell, i) => pad(cell, widths[i]!)).join('  ').trimEnd();
  console.log(`\n## ${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ms = (value: number) => `${Math.round(value)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

/** The value at quantile `q` (0–1) of an unsorted list; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The same tables in Markdown, for bench/README.md. */
export function markdownTables(tables: readonly { title: string; rows: readonly Row[] }[]): string {
  const esc = (text: string) => text.replace(/\|/g, '\\|');
  return tables
    .map(({ title, rows }) =>
      [
        `#### ${title}`,
        '',
        '| figure | measured | goal | |',
        '| --- | --- | --- | --- |',
        ...rows.map((r) => `| ${esc(r.figure)} | ${esc(r.value)} | ${esc(r.goal?.text ?? '')} | ${r.goal ? (r.goal.met ? 'met' : '**missed**') : ''} |`),
      ].join('\n'),
    )
    .join('\n\n');
}
