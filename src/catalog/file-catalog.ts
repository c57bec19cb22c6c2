import type { Catalog, Character, CharacterGender, ExampleVideo, Page } from '../ports/catalog.js';
import type { Voice } from '../ports/speech-synthesizer.js';
import type { CatalogManifest } from './catalog-manifest.js';
import { paginate } from './paginate.js';

/** Catalog files live under this storage prefix, locally and on R2 alike. */
export const catalogKeyPrefix = 'catalog/';

export function catalogStorageKey(file: string): string {
  return `${catalogKeyPrefix}${file}`;
}

/**
 * The wizard's galleries over a loaded manifest. Lists are built once: the manifest changes only
 * through the build and import scripts, and a running service picks changes up on restart.
 * Galleries keep the manifest's order, which the build and the import keep stable.
 */
export class FileCatalog implements Catalog {
  private readonly byGender: Readonly<Record<CharacterGender, readonly Character[]>>;
  private readonly charactersById: ReadonlyMap<string, Character>;
  private readonly voiceList: readonly Voice[];
  private readonly voicesById: ReadonlyMap<string, Voice>;
  private readonly examples: ReadonlyMap<ExampleVideo['format'], ExampleVideo>;

  constructor(readonly manifest: CatalogManifest) {
    const characters: Character[] = manifest.characters.map((entry) => ({
      id: entry.id,
      name: entry.name,
      gender: entry.gender,
      age: entry.age,
      imageKey: catalogStorageKey(entry.imageFile),
      ...(entry.face ? { faceLocated: true } : {}),
    }));
    this.byGender = {
      male: characters.filter((c) => c.gender === 'male'),
      female: characters.filter((c) => c.gender === 'female'),
    };
    this.charactersById = new Map(characters.map((c) => [c.id, c]));
    this.voiceList = manifest.voices.map((entry) => ({
      id: entry.id,
      name: entry.name,
      language: entry.language,
      ...(entry.languages ? { languages: entry.languages } : {}),
      gender: entry.gender,
      provider: entry.provider,
      ...(entry.previewFile ? { previewKey: catalogStorageKey(entry.previewFile) } : {}),
    }));
    this.voicesById = new Map(this.voiceList.map((v) => [v.id, v]));
    this.examples = new Map(
      manifest.examples.map((e) => [
        e.format,
        {
          format: e.format,
          videoKey: catalogStorageKey(e.videoFile),
          durationSec: e.durationSec,
          width: e.width,
          height: e.height,
        },
      ]),
    );
  }

  characters(gender: CharacterGender, page: number, pageSize: number): Promise<Page<Character>> {
    return Promise.resolve(paginate(this.byGender[gender] ?? [], page, pageSize));
  }

  character(id: string): Promise<Character | undefined> {
    return Promise.resolve(this.charactersById.get(id));
  }

  voices(page: number, pageSize: number): Promise<Page<Voice>> {
    return Promise.resolve(paginate(this.voiceList, page, pageSize));
  }

  voice(id: string): Promise<Voice | undefined> {
    return Promise.resolve(this.voicesById.get(id));
  }

  exampleVideo(format: ExampleVideo['format']): Promise<ExampleVideo | undefined> {
    return Promise.resolve(this.examples.get(format));
  }

  /** Every storage key the catalog refers to (for syncing and for cleanup jobs to leave alone). */
  storageKeys(): string[] {
    return [
      ...[...this.charactersById.values()].map((c) => c.imageKey),
      ...this.voiceList.flatMap((v) => (v.previewKey ? [v.previewKey] : [])),
      ...[...this.examples.values()].map((e) => e.videoKey),
    ];
  }
}
