import type { Page } from '../ports/catalog.js';

/**
 * One 0-based page of a list. A page past the end (a stale button after the catalog shrank)
 * shows the last page rather than nothing; an empty list still has one, empty, page.
 */
export function paginate<T>(items: readonly T[], page: number, pageSize: number): Page<T> {
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`pageSize must be a positive integer, got ${pageSize}`);
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  const requested = Number.isFinite(page) ? Math.floor(page) : 0;
  const current = Math.min(Math.max(0, requested), pageCount - 1);
  return {
    items: items.slice(current * pageSize, (current + 1) * pageSize),
    page: current,
    pageCount,
    total: items.length,
  };
}
