import { join } from 'node:path';
import { describeCompositorContract } from '../../ports/contracts/compositor.contract.js';
import type { Compositor } from '../../ports/compositor.js';
import { FfmpegCompositor } from '../local/compositor/ffmpeg-compositor.js';
import { FfprobeMediaProbe } from '../local/probe/ffprobe-probe.js';
import { quietLogger } from '../../testing/media/media-fixtures.js';
import { ProviderError } from '../../ports/provider-error.js';
import { FallbackCompositor } from './fallback-compositor.js';

/** A cloud compositor that is down: every call fails in a way that allows the fallback. */
const downCloud: Compositor = {
  provider: 'cloud-down',
  composite: () =>
    Promise.reject(
      new ProviderError('service unavailable', {
        provider: 'cloud-down',
        kind: 'server',
        status: 503,
      }),
    ),
};

describeCompositorContract(
  'FallbackCompositor (cloud down, ffmpeg fallback)',
  async (tools, dir) => ({
    compositor: new FallbackCompositor(
      downCloud,
      new FfmpegCompositor({
        ffmpegPath: tools.ffmpeg,
        probe: new FfprobeMediaProbe({
          ffprobePath: tools.ffprobe,
          ffmpegPath: tools.ffmpeg,
          logger: quietLogger,
        }),
        logger: quietLogger,
        maskDir: join(dir, 'masks'),
        preset: 'ultrafast',
      }),
      quietLogger,
    ),
    cleanup: async () => undefined,
  }),
);
