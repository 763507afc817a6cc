/** Mounting an element under test and waiting, boundedly, for what it shows. */

/** Creates the element, lets `setup` set its properties, puts it in the page and waits for its render. */
export async function mount<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  setup?: (el: HTMLElementTagNameMap[K]) => void,
): Promise<HTMLElementTagNameMap[K]> {
  const el = document.createElement(tag);
  setup?.(el);
  document.body.append(el);
  await (el as unknown as { updateComplete: Promise<boolean> }).updateComplete;
  return el;
}

/** Polls `find` until it returns something, or fails after `timeout` ms. */
export async function waitFor<T>(find: () => T | null | undefined | false, timeout = 4000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const found = find();
    if (found) return found;
    if (performance.now() - start > timeout) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
