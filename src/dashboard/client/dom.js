// @ts-check

/**
 * Builds an element with attributes and children; text goes in as text, never as HTML, so data
 * from the API cannot inject markup.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | undefined>} [attributes]
 * @param {...(Node | string | number | null | undefined)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes))
    if (value !== undefined) element.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === 'number' ? String(child) : child);
  }
  return element;
}

/** @param {HTMLElement} element @param {...(Node | string)} children */
export function replaceChildren(element, ...children) {
  element.replaceChildren(...children);
}

/** @param {number} value */
export const formatNumber = (value) => new Intl.NumberFormat('en-US').format(value);
