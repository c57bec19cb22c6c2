import { join, dirname } from 'node:path';
import type { Logger } from '../../logging/logger.js';
import type { CompositeRequest, Compositor } from '../../ports/compositor.js';
import type { MontageRenderer } from '../../ports/montage-renderer.js';
import type { MatteMode, OverlayMatteMaker } from '../../ports/overlay-matte-maker.js';
import type { VideoResult } from '../../ports/talking-head-renderer.js';
import { formatJobIds, parseJobIds, type CompositeJobIds } from './job-ids.js';

export interface MatteMontageCompositorOptions {
  readonly matte: OverlayMatteMaker;
  readonly montage: MontageRenderer;
  /** Green screen is what both Shotstack (chromaKey) and ffmpeg key most robustly. */
  readonly mode?: MatteMode;
  readonly log?: Logger;
}

/**
 * The cloud path for the background format: the matte maker (Modal's GPU) cuts the person
 * out of the talking head, then the montage renderer (Shotstack) lays it over the user's clip with
 * the speech and captions. Each job id is reported as soon as it exists, both in one resumable id.
 */
export class MatteMontageCompositor implements Compositor {
  readonly provider: string;
  readonly #matte: OverlayMatteMaker;
  readonly #montage: MontageRenderer;
  readonly #mode: MatteMode;
  readonly #log: Logger | undefined;

  constructor(options: MatteMontageCompositorOptions) {
    this.#matte = options.matte;
    this.#montage = options.montage;
    this.#mode = options.mode ?? 'greenscreen';
    this.#log = options.log;
    this.provider = `${options.matte.provider}+${options.montage.provider}`;
  }

  async composite(request: CompositeRequest): Promise<VideoResult> {
    let ids: CompositeJobIds = parseJobIds(request.resumeRequestId);
    const report = async (next: CompositeJobIds) => {
      ids = next;
      await request.onSubmitted?.(formatJobIds(ids));
    };

    const matteStarted = performance.now();
    const matte = await this.#matte.makeMatte({
      talkingHeadPath: request.talkingHeadPath,
      shape: request.shape,
      mode: this.#mode,
      outputPath: join(dirname(request.outputPath), `overlay-${this.#mode}.mp4`),
      ...(ids.matte !== undefined ? { resumeRequestId: ids.matte } : {}),
      // A new matte job invalidates any montage made from an older one.
      onSubmitted: (id) => report({ matte: id }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    this.#log?.info(
      {
        stage: 'modal',
        provider: matte.provider,
        elapsedMs: Math.round(performance.now() - matteStarted),
        bytes: matte.sizeBytes,
        frames: matte.frames,
        costUsd: matte.costUsd,
      },
      'overlay matte ready',
    );

    const montageStarted = performance.now();
    const video = await this.#montage.render({
      backgroundPath: request.backgroundPath,
      talkingHeadPath: request.talkingHeadPath,
      overlayPath: matte.path,
      overlayMode: matte.mode,
      shape: request.shape,
      words: request.words,
      ...(request.captionStyle ? { captionStyle: request.captionStyle } : {}),
      outputPath: request.outputPath,
      ...(ids.montage !== undefined ? { resumeRequestId: ids.montage } : {}),
      onSubmitted: (id) => report({ ...ids, montage: id }),
      ...(request.signal ? { signal: request.signal } : {}),
    });
    this.#log?.info(
      {
        stage: 'montage',
        provider: video.provider,
        elapsedMs: Math.round(performance.now() - montageStarted),
        bytes: video.sizeBytes,
        costUsd: video.costUsd,
      },
      'montage rendered',
    );
    const costs = [matte.costUsd, video.costUsd].filter(
      (cost): cost is number => cost !== undefined,
    );
    return {
      ...video,
      provider: this.provider,
      ...(costs.length > 0 ? { costUsd: costs.reduce((sum, cost) => sum + cost, 0) } : {}),
    };
  }
}
