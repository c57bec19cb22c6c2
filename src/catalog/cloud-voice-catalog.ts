import type { Logger } from '../logging/logger.js';
import type { Catalog, Page } from '../ports/catalog.js';
import type { Voice } from '../ports/speech-synthesizer.js';
import { paginate } from './paginate.js';

export interface CloudVoiceCatalogOptions {
  readonly catalog: Catalog;
  /** The cloud provider's voices (ElevenLabs `/v1/voices`), previews as URLs. */
  readonly cloudVoices: () => Promise<readonly Voice[]>;
  readonly log?: Logger;
  readonly ttlMs?: number;
  readonly now?: () => number;
}

/**
 * The catalog with the cloud provider's voices ahead of the local gallery. The list is cached and,
 * when the provider is unreachable, the last good list (or none) is offered, so the wizard never
 * breaks on an ElevenLabs outage. Voice ids are stored in events, so a cloud voice that disappears
 * later still resolves from the last list it was seen in.
 */
export class CloudVoiceCatalog implements Catalog {
  readonly #inner: Catalog;
  readonly #cloudVoices: () => Promise<readonly Voice[]>;
  readonly #log: Logger | undefined;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #cached: { at: number; voices: readonly Voice[] } | undefined;
  readonly #seen = new Map<string, Voice>();

  constructor(options: CloudVoiceCatalogOptions) {
    this.#inner = options.catalog;
    this.#cloudVoices = options.cloudVoices;
    this.#log = options.log;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  characters: Catalog['characters'] = (gender, page, pageSize) =>
    this.#inner.characters(gender, page, pageSize);
  character: Catalog['character'] = (id) => this.#inner.character(id);
  exampleVideo: Catalog['exampleVideo'] = (format) => this.#inner.exampleVideo(format);

  async voices(page: number, pageSize: number): Promise<Page<Voice>> {
    const local = await this.#inner.voices(0, Number.MAX_SAFE_INTEGER);
    return paginate([...(await this.cloud()), ...local.items], page, pageSize);
  }

  async voice(id: string): Promise<Voice | undefined> {
    return (
      (await this.#inner.voice(id)) ??
      (await this.cloud()).find((voice) => voice.id === id) ??
      this.#seen.get(id)
    );
  }

  private async cloud(): Promise<readonly Voice[]> {
    const cached = this.#cached;
    if (cached && this.#now() - cached.at < this.#ttlMs) return cached.voices;
    try {
      const voices = await this.#cloudVoices();
      for (const voice of voices) this.#seen.set(voice.id, voice);
      this.#cached = { at: this.#now(), voices };
      return voices;
    } catch (error) {
      this.#log?.warn(
        { stage: 'tts', err: error },
        'cloud voices unavailable; showing the local gallery',
      );
      // Try again soon, not on every screen, and keep offering what worked last.
      this.#cached = { at: this.#now() - this.#ttlMs + 30_000, voices: cached?.voices ?? [] };
      return this.#cached.voices;
    }
  }
}
