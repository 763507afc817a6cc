/**
 * What the element tests of the account pages do as a person would: find a control by its visible
 * label, type, leave a field, read the error linked to it, press a button by its words.
 */
import { expect } from 'chai';

export { mount } from './elements.ts';

/** A made-up resident ID that passes every rule; and one of a person born in 1950 (over 65). */
export const VALID_ID = '370103199710061238';
export const OVER_65_ID = '110101195001010017';

/** The input a visible label names, found through the label's `for`. */
export function fieldByLabel(root: ShadowRoot, text: string): HTMLInputElement {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent?.replace('*', '').trim() === text);
  expect(label, `label ${text}`).to.exist;
  const input = root.getElementById(label!.htmlFor);
  expect(input, `input for ${text}`).to.be.instanceOf(HTMLInputElement);
  return input as HTMLInputElement;
}

export function type(input: HTMLInputElement, value: string) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

export function leave(input: HTMLInputElement) {
  input.dispatchEvent(new Event('blur'));
}

/** The error text linked to the input by aria-describedby, or '' when none. */
export function errorOf(root: ShadowRoot, input: HTMLInputElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
  return ids
    .map((id) => root.getElementById(id))
    .filter((node) => node?.classList.contains('field-error'))
    .map((node) => node!.textContent!.trim())
    .join(' ');
}

/** Lets pending tasks run, then waits for the element's next render. */
export async function settle(el: HTMLElement & { updateComplete: Promise<boolean> }) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await el.updateComplete;
}

export function button(root: ShadowRoot, name: string) {
  return [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
}
