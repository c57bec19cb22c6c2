import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const doc = await readFile(join(root, 'docs/architecture.md'), 'utf8');

// The walk through the code names files by path; a move or a rename must update the document.
const paths = [...new Set([...doc.matchAll(/`((?:src|test|bench|scripts)\/[\w./-]+?)`/g)].map((match) => match[1]!))];

describe('docs/architecture.md', () => {
  it('names files and folders by path', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it.each(paths)('%s exists', async (path) => {
    await expect(access(join(root, path.replace(/\/$/, '')))).resolves.toBeUndefined();
  });
});
