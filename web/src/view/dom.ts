import { ensureDefined } from '../model/index.ts';

/** The element with `id`, checked to be an instance of `type` (the page's markup is fixed: a miss is a bug). */
export function byId<T extends HTMLElement>(id: string, type: { new (): T; prototype: T }): T {
  const el = ensureDefined(document.getElementById(id), `#${id}`);
  if (!(el instanceof type)) throw new Error(`assertion failed: #${id} is a ${el.tagName}`);
  return el;
}

/** A new element with a class name and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className = '',
  text = '',
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className !== '') e.className = className;
  if (text !== '') e.textContent = text;
  return e;
}

/**
 * Sets an element's text only when it changed (most cells keep theirs from one frame to the next), by
 * rewriting its text node's data: cheaper than `textContent`, which replaces the node.
 */
export function setText(node: HTMLElement, text: string): void {
  const first = node.firstChild;
  if (first instanceof Text && first === node.lastChild) {
    if (first.data !== text) first.data = text;
  } else if (node.textContent !== text) {
    node.textContent = text;
  }
}

/** The value of a CSS custom property of the document (the themes live in the stylesheet). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
