import type { Logger } from '../../logging/logger.js';
import type {
  TalkingHeadRenderer,
  TalkingHeadRequest,
  VideoResult,
} from '../../ports/talking-head-renderer.js';
import { resumeOrResubmit, withFallback } from './with-fallback.js';

/**
 * fal.ai OmniHuman first; the local portrait renderer when it fails. The result says
 * `lipSync: false`, so the user is told the video has no lip-sync rather than getting nothing.
 */
export class FallbackTalkingHead implements TalkingHeadRenderer {
  readonly provider: string;
  constructor(
    private readonly primary: TalkingHeadRenderer,
    private readonly fallback: TalkingHeadRenderer,
    private readonly log?: Logger,
  ) {
    this.provider = primary.provider;
  }

  render(request: TalkingHeadRequest): Promise<VideoResult> {
    const { resumeRequestId: _resume, onSubmitted: _submitted, ...local } = request;
    return withFallback(
      {
        stage: 'video',
        primary: this.primary.provider,
        fallback: this.fallback.provider,
        ...(this.log ? { log: this.log } : {}),
      },
      () =>
        resumeOrResubmit(
          request.resumeRequestId,
          (resume) => {
            const { resumeRequestId: _stale, ...fresh } = request;
            return this.primary.render(
              resume === undefined ? fresh : { ...fresh, resumeRequestId: resume },
            );
          },
          this.log,
        ),
      () => this.fallback.render(local),
    );
  }
}
