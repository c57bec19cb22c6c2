import type { Logger } from '../../logging/logger.js';
import type { CompositeRequest, Compositor } from '../../ports/compositor.js';
import type { VideoResult } from '../../ports/talking-head-renderer.js';
import { resumeOrResubmit, withFallback } from './with-fallback.js';

/** The cloud compositor (Modal + Shotstack) first; the ffmpeg compositor when it fails. */
export class FallbackCompositor implements Compositor {
  readonly provider: string;
  constructor(
    private readonly primary: Compositor,
    private readonly fallback: Compositor,
    private readonly log?: Logger,
  ) {
    this.provider = primary.provider;
  }

  composite(request: CompositeRequest): Promise<VideoResult> {
    const { resumeRequestId: _resume, onSubmitted: _submitted, ...local } = request;
    return withFallback(
      {
        stage: 'overlay',
        primary: this.primary.provider,
        fallback: this.fallback.provider,
        ...(this.log ? { log: this.log } : {}),
      },
      () =>
        resumeOrResubmit(
          request.resumeRequestId,
          (resume) => {
            const { resumeRequestId: _stale, ...fresh } = request;
            return this.primary.composite(
              resume === undefined ? fresh : { ...fresh, resumeRequestId: resume },
            );
          },
          this.log,
        ),
      () => this.fallback.composite(local),
    );
  }
}
