import { readFile } from 'node:fs/promises';

/** The first release whose schema indexes the columns Emmett's catch-up reads by. */
const readIndexAddedIn = [0, 42, 4] as const;

export interface EmmettCaveats {
  readonly version: string;
  /** Said beside every catch-up ratio: what makes Emmett's catch-up slower than it need be. */
  readonly catchUp: string;
}

/**
 * What the catch-up comparison must say about the Emmett it ran: the installed version, whether
 * its read query has an index, and that its processor writes a checkpoint per event.
 */
export async function emmettCaveats(): Promise<EmmettCaveats> {
  const manifest = new URL(
    '../../node_modules/@event-driven-io/emmett-postgresql/package.json',
    import.meta.url,
  );
  const { version } = JSON.parse(await readFile(manifest, 'utf8')) as { version: string };
  const parts = version.split(/[.-]/).slice(0, 3).map(Number);
  const older = readIndexAddedIn.findIndex((part, index) => (parts[index] ?? 0) !== part);
  const lacksIndex = older !== -1 && (parts[older] ?? 0) < readIndexAddedIn[older]!;
  const index = lacksIndex
    ? `has no index for its catch-up read query (its upstream added one in ${readIndexAddedIn.join('.')}), so every batch scans the table,`
    : 'indexes its catch-up read query';
  return {
    version,
    catchUp: `Emmett ${version} ${index} and writes a checkpoint per event, not per batch: the catch-up ratio flatters ours`,
  };
}
