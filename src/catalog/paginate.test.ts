import { describe, expect, it } from 'vitest';
import { paginate } from './paginate.js';

const items = Array.from({ length: 7 }, (_, i) => i);

describe('paginate', () => {
  it('slices 0-based pages and counts them', () => {
    expect(paginate(items, 0, 3)).toEqual({ items: [0, 1, 2], page: 0, pageCount: 3, total: 7 });
    expect(paginate(items, 2, 3)).toEqual({ items: [6], page: 2, pageCount: 3, total: 7 });
  });

  it('shows the last page for a page past the end and the first for nonsense', () => {
    expect(paginate(items, 9, 3).page).toBe(2);
    expect(paginate(items, -1, 3).page).toBe(0);
    expect(paginate(items, Number.NaN, 3).page).toBe(0);
    expect(paginate(items, 1.7, 3).page).toBe(1);
  });

  it('gives an empty list one empty page', () => {
    expect(paginate([], 0, 5)).toEqual({ items: [], page: 0, pageCount: 1, total: 0 });
  });

  it('refuses page sizes that are not positive integers', () => {
    expect(() => paginate(items, 0, 0)).toThrow(RangeError);
    expect(() => paginate(items, 0, 2.5)).toThrow(RangeError);
  });
});
