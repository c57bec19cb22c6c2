import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const doc = await readFile(join(root, 'docs/architecture.md'), 'utf8');
const readme = await readFile(join(root, 'README.md'), 'utf8');

// The walk through the code names files by path; a move or a rename must update the document.
const paths = [
  ...new Set(
    [...doc.matchAll(/`((?:src|test|bench|scripts)\/[\w./-]+?)`/g)].map((match) => match[1]!),
  ),
];

/** The table under a heading: the backticked `src/...` names in its first column. */
function tableFolders(markdown: string, heading: string): Set<string> {
  const section = markdown.slice(markdown.indexOf(heading));
  const fromTable = section.slice(section.indexOf('\n|') + 1);
  const table = fromTable.slice(0, fromTable.search(/\n(?!\|)/));
  const firstCells = table.split('\n').map((row) => row.split('|')[1] ?? '');
  return new Set(
    firstCells.flatMap((cell) =>
      [...cell.matchAll(/`(src\/[\w-]+)\/?`/g)].map((match) => match[1]!),
    ),
  );
}

const topLevelFolders = (await readdir(join(root, 'src'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => `src/${entry.name}`);

describe('docs/architecture.md', () => {
  it('names files and folders by path', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it.each(paths)('%s exists', async (path) => {
    await expect(access(join(root, path.replace(/\/$/, '')))).resolves.toBeUndefined();
  });
});

// The layout, the folder map and the README's "What is in the box" must agree: a folder added,
// moved or removed shows up in both tables or the test names it.
describe.each([
  ['docs/architecture.md', doc, '## Folder map'],
  ['README.md', readme, '## What is in the box'],
])('the folder table of %s', (_name, markdown, heading) => {
  const listed = tableFolders(markdown, heading);

  it('lists every top-level folder of src/', () => {
    expect(topLevelFolders.filter((folder) => !listed.has(folder))).toEqual([]);
  });

  it('lists no folder that does not exist', () => {
    expect([...listed].filter((folder) => !topLevelFolders.includes(folder))).toEqual([]);
  });
});
