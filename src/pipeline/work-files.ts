import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { FileStorage } from '../ports/file-storage/file-storage.js';

const prefix = 'ugc-generation-';

/**
 * The generation a scratch directory (`ugc-generation-<id>-<random>`) belongs to; undefined if not
 * ours.
 */
export function generationIdOfWorkDir(name: string): string | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  const cut = rest.lastIndexOf('-');
  return cut > 0 ? rest.slice(0, cut) : undefined;
}

/**
 * One run's scratch directory, removed afterwards, plus which storage keys already have a local
 * copy in it: a file this run rendered and uploaded is not downloaded again by the next stage.
 */
export class WorkFiles {
  // A promise, so stages fetching two files at once share one directory.
  private dir: Promise<string> | undefined;
  private readonly local = new Map<string, string>();

  constructor(
    private readonly storage: FileStorage,
    private readonly generationId: string,
    private readonly root: string = tmpdir(),
  ) {}

  async path(name: string): Promise<string> {
    this.dir ??= this.create();
    return join(await this.dir, name);
  }

  /** A local copy of a stored object, named `<name><ext of the key>`. */
  async fetch(key: string, name: string): Promise<string> {
    const known = this.local.get(key);
    if (known) return known;
    const path = await this.storage.toLocalFile(key, await this.path(`${name}${extname(key)}`));
    this.local.set(key, path);
    return path;
  }

  /** Uploads a local file and remembers it as that key's local copy. */
  async store(key: string, path: string, contentType: string): Promise<number> {
    const stored = await this.storage.putFile(key, path, contentType);
    this.local.set(key, path);
    return stored.sizeBytes;
  }

  private async create(): Promise<string> {
    // The configured root (e.g. ./data/work) may not exist yet on a fresh machine.
    await mkdir(this.root, { recursive: true });
    return mkdtemp(join(this.root, `${prefix}${safe(this.generationId)}-`));
  }

  async dispose(): Promise<void> {
    const dir = await this.dir?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
    this.dir = undefined;
    this.local.clear();
  }
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64);
}
