import { mkdtemp, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sharedExecutable } from '../adapters/local/binaries/media-binaries.js';
import { renderCaptionPreview } from '../adapters/local/captions/caption-preview.js';
import {
  burnedCaptionStyles,
  captionStyleOptions,
  type BurnedCaptionStyle,
} from '../adapters/local/captions/caption-styles.js';
import type { Logger } from '../logging/logger.js';
import type { Catalog } from '../ports/catalog.js';
import type { FileStorage } from '../ports/file-storage/file-storage.js';
import { recipeHash } from './starter/build-state.js';

/** What a preview shows in one language: the sample line and each style's name. */
export interface CaptionPreviewText {
  readonly sampleWords: readonly string[];
  readonly labels: Readonly<Record<BurnedCaptionStyle, string>>;
}

export interface CaptionPreviewsOptions {
  readonly storage: FileStorage;
  readonly catalog: Catalog;
  readonly log: Logger;
  readonly ffmpegPath?: string;
}

/**
 * The caption-style preview image of each language, made on first use from a catalog portrait and
 * kept in storage like the catalog's other images: its key names everything it was made from, so
 * a later start finds it and a changed style or text makes a new one. Concurrent first uses share
 * one render.
 */
export class CaptionPreviews {
  private readonly pending = new Map<string, Promise<string>>();

  constructor(private readonly options: CaptionPreviewsOptions) {}

  /** The storage key of the preview for `text`, rendering it first when storage lacks it. */
  async imageKey(text: CaptionPreviewText): Promise<string> {
    const frameKey = await this.frameKey();
    const recipe = recipeHash({
      kind: 'caption-preview',
      frameKey,
      text,
      styles: burnedCaptionStyles.map((style) => [style, captionStyleOptions(style)]),
    });
    const key = `catalog/caption-previews/${recipe}.jpg`;
    let made = this.pending.get(key);
    if (!made) {
      made = this.ensure(key, frameKey, text).catch((error: unknown) => {
        this.pending.delete(key);
        throw error;
      });
      this.pending.set(key, made);
    }
    return made;
  }

  // The first portrait of the gallery: the captions are seen over the kind of picture they go on.
  private async frameKey(): Promise<string> {
    const { catalog } = this.options;
    const first =
      (await catalog.characters('female', 0, 1)).items[0] ??
      (await catalog.characters('male', 0, 1)).items[0];
    if (!first) throw new Error('the catalog has no character to show the caption styles over');
    return first.imageKey;
  }

  private async ensure(key: string, frameKey: string, text: CaptionPreviewText): Promise<string> {
    const { storage, log } = this.options;
    if (await storage.exists(key)) return key;
    const startedAt = performance.now();
    const dir = await mkdtemp(join(tmpdir(), 'caption-previews-'));
    try {
      const framePath = join(dir, 'frame');
      await pipeline(await storage.get(frameKey), createWriteStream(framePath));
      const outputPath = join(dir, 'preview.jpg');
      const ffmpegPath = this.options.ffmpegPath ?? (await sharedExecutable('ffmpeg', log)).path;
      await renderCaptionPreview({
        ffmpegPath,
        framePath,
        sampleWords: text.sampleWords,
        labels: text.labels,
        outputPath,
      });
      await storage.putFile(key, outputPath, 'image/jpeg');
      log.info(
        { key, elapsedMs: Math.round(performance.now() - startedAt) },
        'caption style preview rendered',
      );
      return key;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
